// The object slot: the shared-memory layout of one synchronization object.
//
// This header is an ABI.  Other processes map these bytes, possibly built from
// another version of ntsem, so: fixed-width fields, no pointers, a magic and a
// layout version that a reader checks before trusting anything else, and a
// static_assert on every offset.  Change a field's meaning only together with
// `layout_version`.
//
// One slot is one cache line.  Every word that is written while the object is
// alive is atomic; the others are written before the slot is published.
//
// The state word
// --------------
//   bits  0..30  value         type-specific (semaphore: the count; event:
//                              bit 0 signaled, bit 1 manual-reset; thread:
//                              1 once it has ended; mutex: the owner's
//                              thread id, FUTEX_OWNER_DIED, object/mutex.hpp)
//   bit   31     SLEEPERS      mutex: threads sleep on the low half and
//                              want the kernel's wake when the owner dies
//                              (FUTEX_WAITERS of the robust word); set
//                              exactly while QUEUED is
//                  HANDING     other types: a holder of queue_lock is
//                              handing units to queued waiters and has not
//                              stored what is left; set only with LOCKED
//                              (INV-GIVEN, object/handoff.hpp)
//   bits 32..61  incarnation   which object occupies the slot (see below)
//   bit   62     LOCKED        a wait-all is committing a take of the object,
//                              or (with HANDING) a hand-off of units is not
//                              stored yet: its value is not to be reported
//                              until LOCKED clears (wait/wait_all.cpp)
//   bit   63     QUEUED        the object's queue of waiting threads is not
//                              empty, or a holder of its queue lock froze it
//                              (object/handoff.hpp)
//
// The queue
// ---------
// Threads that wait on the object (alone, with others, or for all of
// several) wait in its queue: a FIFO of queue
// entries (shm/queue_entry.hpp) in the entry area of the object's home,
// linked from queue_head to queue_tail (object/wait_queue.hpp), changed
// only by the holder of queue_lock, a robust lock (sys/robust_lock.hpp)
// whose list entry is queue_lock_entry, 32 bytes after it.
//
// Incarnations
// ------------
// A slot is reused after its object dies.  Each death increments the slot's
// incarnation, and every operation that changes an object is a compare-and-
// swap on the state word that includes the incarnation its handle recorded.
// So an operation through a handle whose object has died fails cleanly
// (STATUS_INVALID_HANDLE) and can never change the next object in the slot,
// without any reference counting on the uncontended path.
//
// References to the object are counted per process, in private memory
// (object/object_ref.hpp), never in the slot: a process that dies must not
// leave counts behind in memory that others keep using.
//
// Invariants (named where the code relies on them)
//   INV-INCARNATION  The incarnation changes only when the object dies, and
//                    a slot's next object never has the incarnation of the
//                    one before (unnamed: incremented; named: a dead file is
//                    never reused, and a view of it becomes zeros, which no
//                    live object's incarnation (never 0) matches).
//   INV-COUNT        Semaphore: 0 <= value <= maximum, at every instant.
//   INV-EVENT        Event: value <= 3; bit 1 (manual-reset) is fixed at
//                    creation and never changes; only bit 0 (signaled) does.
//   INV-OWNER        Mutex: see object/mutex.hpp.  The one change of the
//                    value not made by a lock holder or a compare-and-swap
//                    of ours is the kernel's death mark of the owner word
//                    (owner id -> FUTEX_OWNER_DIED, SLEEPERS kept).
//   INV-LOCK         LOCKED is set only by a holder of queue_lock, on a
//                    frozen state (QUEUED set), and cleared before that
//                    hold ends, or, if the holder died, by the next holder
//                    while it repairs the queue (INV-ALL, wait/wait_all.cpp;
//                    INV-GIVEN, object/handoff.hpp).  So a reader that
//                    meets LOCKED takes queue_lock and reads again: the
//                    commit (or hand-off) is then whole or undone, and the
//                    objects of a wait-all change together as far as
//                    anyone can tell.
//   INV-QUEUE        Only a holder of queue_lock sets or clears QUEUED,
//                    and whenever queue_lock is free, QUEUED is set exactly
//                    while the queue holds an entry.  A holder sets it
//                    before it reads the value it decides on (a "freeze",
//                    object/handoff.hpp), even over an empty queue, and
//                    leaves it as the queue is when it stores.  While it is
//                    set, only a holder of queue_lock changes the value
//                    (takers without the lock refuse a QUEUED object), so
//                    a value read under the lock after the freeze is stable.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sys/robust_list.hpp"

namespace ntsem::shm {

inline constexpr std::uint32_t slot_magic = 0x4D53544Eu;  // "NTSM"
// 7: entries in use outside a named object's queue are the dead holder's
// to the queue lock's next holder (INV-QALONE, object/wait_queue.hpp).
// 8: a queue entry's serial and thread are one word, which its waiter may
// revive without the lock, and which releasers close (INV-REVIVE,
// shm/queue_entry.hpp).
inline constexpr std::uint8_t layout_version = 8;

// A type added here is refused by builds that do not know it (its files read
// as corrupt, object/object_type.hpp is_named_type), so a new type needs no
// new layout_version as long as the slot's fields keep their meaning.  The
// types that may be named take the small numbers, which the listing of
// named objects shares (NTSEM_TYPE_*, <ntsem/namespace.h>); a type that is
// never named stays apart from them.
enum class object_type : std::uint8_t {
  none = 0,  // a free slot
  semaphore = 1,
  event = 2,
  mutex = 4,  // 3 is NTSEM_TYPE_PROCESS_RECORD in the listing
  // A thread of the owning process, as its handles see it: signaled once
  // the thread has ended (object/thread.hpp).  Never named: a named file of
  // this type reads as corrupt.
  thread = 16,
};

namespace state {
inline constexpr std::uint64_t value_mask = 0x7FFF'FFFFull;
inline constexpr std::uint64_t sleepers = 1ull << 31;
// The same bit as SLEEPERS, for the types that have no owner.
inline constexpr std::uint64_t handing = 1ull << 31;
inline constexpr std::uint64_t locked = 1ull << 62;
inline constexpr int incarnation_shift = 32;
inline constexpr std::uint64_t incarnation_mask = 0x3FFF'FFFFull;  // 30 bits
inline constexpr std::uint64_t queued = 1ull << 63;

constexpr std::uint32_t value(std::uint64_t s) { return static_cast<std::uint32_t>(s & value_mask); }
constexpr std::uint32_t incarnation(std::uint64_t s) {
  return static_cast<std::uint32_t>((s >> incarnation_shift) & incarnation_mask);
}
constexpr std::uint64_t make(std::uint32_t incarnation, std::uint32_t value) {
  return (std::uint64_t{incarnation & incarnation_mask} << incarnation_shift) |
         (std::uint64_t{value} & value_mask);
}
constexpr std::uint64_t with_value(std::uint64_t s, std::uint32_t v) {
  return (s & ~value_mask) | (std::uint64_t{v} & value_mask);
}
}  // namespace state

struct alignas(64) object_slot {
  // Written before the slot is published, read-only while the object lives.
  std::uint32_t magic;           // slot_magic
  std::uint8_t version;          // layout_version
  std::uint8_t type;             // object_type
  std::uint16_t reserved0;       // 0
  // The protocol words (see above).
  std::atomic<std::uint64_t> state;
  // Semaphore: the maximum count, 1..0x7FFFFFFF.  Mutex: how many times its
  // owner holds it beyond the first (written only by the owner thread,
  // object/mutex.hpp).  0 for other types.  Atomic
  // only because a stale handle may read it while the slot is being reused;
  // the read value is then never acted upon (the state compare-and-swap
  // fails, INV-INCARNATION).
  std::atomic<std::int32_t> maximum;
  // The queue (see above): 1 + entry index of its first and last entries,
  // 0 for none; and its lock, a robust word.
  std::atomic<std::uint32_t> queue_head;
  std::atomic<std::uint32_t> queue_lock;
  std::atomic<std::uint32_t> queue_tail;
  // The state word's entry in a robust list, for a type whose low half is
  // a robust word (a mutex's owner).  Unused by semaphores and events.
  sys::robust_entry state_entry;
  // queue_lock's entry in its holder's robust list (the holder's addresses:
  // nobody else reads them).
  sys::robust_entry queue_lock_entry;
};

static_assert(sizeof(object_slot) == 64);
static_assert(alignof(object_slot) == 64);
static_assert(offsetof(object_slot, magic) == 0);
static_assert(offsetof(object_slot, version) == 4);
static_assert(offsetof(object_slot, type) == 5);
static_assert(offsetof(object_slot, state) == 8);
static_assert(offsetof(object_slot, maximum) == 16);
static_assert(offsetof(object_slot, queue_head) == 20);
static_assert(offsetof(object_slot, queue_lock) == 24);
static_assert(offsetof(object_slot, queue_tail) == 28);
static_assert(offsetof(object_slot, state_entry) == 32);
static_assert(offsetof(object_slot, queue_lock_entry) == 48);
// The kernel finds the lock word from its entry.
static_assert(offsetof(object_slot, queue_lock_entry) + offsetof(sys::robust_entry, next) +
                  sys::robust_word_offset ==
              offsetof(object_slot, queue_lock));
static_assert(offsetof(object_slot, state_entry) + offsetof(sys::robust_entry, next) +
                  sys::robust_word_offset ==
              offsetof(object_slot, state));
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(sizeof(std::atomic<std::uint64_t>) == 8);

}  // namespace ntsem::shm
