// A lock in shared memory that survives the death of its holder: a robust
// word (sys/robust_list.hpp) that holds its holder's thread id, and the
// word's list entry 32 bytes after it.  If the holder dies, however it dies,
// the kernel marks the word FUTEX_OWNER_DIED and wakes one sleeper; the next
// thread to lock it is told so, and repairs what the lock protects before it
// goes on (docs/wait-engine.md: queue locks).
//
// The word:
//   0                           free
//   tid [| WAITERS]             held by thread tid; WAITERS: someone sleeps
//   OWNER_DIED [| WAITERS]      free, and its last holder died holding it
//
// Two ways to hold it:
//   brief   for a few instructions: the thread's pending slot points at the
//           entry while it holds the lock (two stores, no list change).  One
//           brief hold at a time per thread, and no other lock taken under it.
//   listed  the entry goes into the thread's list, so a thread may hold
//           several (a wait-all holds each of its objects' locks).
// In both cases the pending slot covers the lock while it is being taken and
// released, as glibc does for its robust mutexes, so a death at any
// instruction leaves either a free word or a marked one.
//
// Lock holds never sleep on anything but another lock later in the lock
// order, so a sleeper here waits for a thread that runs or that died; the
// wait has no deadline.
#pragma once

#include <atomic>
#include <cstdint>

#include "sys/robust_list.hpp"

namespace ntsem::sys {

enum class lock_hold : std::uint8_t { brief, listed };

enum class lock_taken : std::uint8_t {
  normally,
  owner_died,  // the previous holder died holding it: repair, then go on
};

// Takes the lock, sleeping while another thread holds it.  `entry` is the
// word's entry (its `next` field 32 bytes after the word).
lock_taken robust_lock(std::atomic<std::uint32_t>& word, robust_entry& entry, lock_hold hold);

// Takes the lock only if it is free now (or its holder died); false if
// another thread holds it.
bool robust_try_lock(std::atomic<std::uint32_t>& word, robust_entry& entry, lock_hold hold,
                     lock_taken* taken);

// Makes a brief hold of the lock a listed one (its entry joins the list and
// leaves the pending slot), so that the thread may take other locks under
// it.  Release it as listed.
void robust_hold_listed(robust_entry& entry);

// Releases a lock the calling thread holds the way it took it.
void robust_unlock(std::atomic<std::uint32_t>& word, robust_entry& entry, lock_hold hold);

}  // namespace ntsem::sys
