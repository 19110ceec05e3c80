// The calling thread's robust futex list: words that the kernel marks when
// the thread ends, however it ends (thread exit, exit, SIGKILL).
//
// When a thread ends, the kernel walks the list that thread registered with
// set_robust_list and, for every entry whose 32-bit word holds the thread's
// id in its low 30 bits, atomically replaces the word by
// `robust_owner_died | (word & robust_waiters)` and wakes one sleeper on it if
// robust_waiters was set.  A compare-and-swap by another thread that expected
// the live value then fails: "claim a live thread's word" and "the thread
// died" are ordered by the kernel, with no window.  This is the one
// mechanism of Linux that marks a dead thread's words in shared memory
// (docs/wait-engine.md, "The kernel tells us who died").
//
// The kernel takes one list per thread, and glibc registers its own for its
// robust mutexes, so ntsem's entries go into glibc's list, in glibc's layout
// (struct __pthread_internal_list inside pthread_mutex_t): the list links the
// addresses of the entries' `next` fields, each entry has glibc's back link
// `prev` just before `next`, and an entry's word lies `robust_word_offset`
// bytes from its `next` field (the head's futex_offset; glibc's is -32 on
// x86-64).  What this relies on:
//   - only the owning thread changes its list: glibc inside its robust mutex
//     calls, ntsem here, never both at once (a signal handler that locks a
//     robust pthread mutex while this thread is inside robust_push or
//     robust_remove is not supported, as for glibc's own calls);
//   - glibc may write the `prev` and `next` of an ntsem entry when it unlinks
//     a neighbour, so both fields exist, in that order;
//   - an entry stays mapped while it is listed: the kernel stops its walk at
//     the first entry it cannot read, and would miss glibc's entries behind it.
// Nothing of an entry is ever read by another process: its pointers are
// addresses in the owning process only.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ntsem::sys {

inline constexpr std::uint32_t robust_tid_mask = 0x3FFF'FFFFu;     // FUTEX_TID_MASK
inline constexpr std::uint32_t robust_owner_died = 0x4000'0000u;   // FUTEX_OWNER_DIED
inline constexpr std::uint32_t robust_waiters = 0x8000'0000u;      // FUTEX_WAITERS

// A list entry in glibc's layout.  The list points at `next`.
struct robust_entry {
  void* prev;
  void* next;
};

// Where an entry's word lies, relative to its `next` field.
inline constexpr std::ptrdiff_t robust_word_offset = -32;

// A robust word with its entry at the place the list expects: the layout to
// embed where a word needs nothing else around it (wait blocks).
struct robust_word {
  std::atomic<std::uint32_t> word;
  std::uint8_t unused[20];
  robust_entry entry;
};
static_assert(offsetof(robust_word, entry) + offsetof(robust_entry, next) ==
              offsetof(robust_word, word) - robust_word_offset);
static_assert(sizeof(robust_word) == 40);

// The calling thread's id (gettid), as the kernel compares it with a word.
std::uint32_t current_thread_id();

// Whether the calling thread has a registered list whose futex_offset is
// robust_word_offset.  Without it nothing below may be called.
bool robust_list_usable();

// Puts `entry` at the front of the calling thread's list.  It must not be
// listed already.  The entry's word is the caller's business: the kernel
// marks it only while it holds this thread's id.
void robust_push(robust_entry& entry);

// Takes `entry` out of the calling thread's list (it must be listed there).
void robust_remove(robust_entry& entry);

// Points the list's pending slot at `entry` (nullptr clears it).  The kernel
// treats the pending entry like a listed one, without following its links:
// the way to cover a word for a moment, as around a short lock hold, with two
// stores instead of a push and a remove.  glibc uses the same slot inside its
// robust mutex calls, so it must be cleared before the caller returns to
// code that may lock a robust pthread mutex.
void robust_set_pending(robust_entry* entry);

}  // namespace ntsem::sys
