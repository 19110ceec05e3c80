// Queue entries: one waiting thread's place in one object's FIFO of
// waiters (docs/wait-engine.md, "Queue entries").  They live with the
// object, in an entry area of its file (named) or of its arena (unnamed), so
// that everyone who may release the object may also change them.
//
// An ABI like object_slot.hpp.  Everything in an entry is untrusted: a
// reader bounds-checks `next` and `block` and treats a nonsensical entry as
// the end of its queue (object/wait_queue.hpp), never as a pointer or size.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ntsem::shm {

// An offer (object/handoff.hpp, INV-OFFER) is made to a wait-any waiter
// whose record the releaser may not write: the entry, not the waiter's claim
// word, then says that the wait was satisfied through it.
enum class entry_state : std::uint32_t {
  free = 0,
  taken = 1,      // allocated by a waiter, being filled or queued
  offered = 2,    // queued, holding what one wait takes (a unit, or a
                  // manual-reset event's signal) reserved for its waiter
  offering = 3,   // offered under the queue lock's present hold, whose value
                  // is not stored yet: a repairer that finds the state sealed
                  // (HANDING) takes the offer's unit out of the sealed value
  returning = 4,  // an offer its waiter declined, handed back under the
                  // present hold: its unit is back in the value once stored,
                  // and a repairer that finds the state sealed puts it back
};

enum class entry_kind : std::uint8_t {
  // A thread waiting on this object alone or on any of several: a release
  // satisfies it with one unit.
  wait_any = 0,
  // A thread waiting for all of several objects, of which this one is not
  // signaled: a release tells it (wakes it) and hands the unit on.
  wait_all = 1,
  // A wait-all's commit mark: the thread holding the queue lock is taking
  // this object with others, or died doing so (wait/wait_all.cpp).
  commit = 2,
};

// Every field is written while the object lives, so every field is atomic
// (relaxed is enough: the object's queue lock orders them, and a reader
// that does not hold it trusts nothing it reads), but for the waiter word,
// which a revive changes without the lock (INV-REVIVE): a releaser reads it
// with acquire, so that the new wait's claim word is visible once its serial
// is.
struct queue_entry {
  // entry_state; compare-and-swap from free allocates the entry.
  std::atomic<std::uint32_t> state;
  // 1 + the index of the next entry of the same queue; 0 for the last.
  std::atomic<std::uint32_t> next;
  // The waiter: its process record (names::record_name), its wait block in
  // that record, the serial of the wait (shm/process_record.hpp, the claim
  // word) and its thread.
  std::atomic<std::uint32_t> pid;
  std::atomic<std::uint32_t> nonce;
  // The serial and the thread, one word (entry_waiter below): the one field
  // that its waiter may change without the lock (INV-REVIVE).
  std::atomic<std::uint64_t> waiter;
  std::atomic<std::uint16_t> block;
  // The object's index in the wait (WAIT_OBJECT_0 + index) in bits 0..7,
  // the entry_kind in bits 8..15.
  std::atomic<std::uint16_t> place;
  // Rung (incremented, then woken) by a releaser that may not write the
  // waiter's record: the waiter then takes its offer (or, for a mutex, the
  // object) itself.
  std::atomic<std::uint32_t> doorbell;
};

inline constexpr std::uint16_t make_place(std::uint8_t index, entry_kind kind) {
  return static_cast<std::uint16_t>(index | (unsigned{static_cast<std::uint8_t>(kind)} << 8));
}
inline constexpr std::uint8_t place_index(std::uint16_t place) {
  return static_cast<std::uint8_t>(place & 0xFF);
}
// The entry's kind; an unknown value (the entry is untrusted) reads as
// wait_any, the kind whose handling needs nothing but the claim word.
inline entry_kind entry_kind_of(const queue_entry& e) {
  const auto k = static_cast<std::uint8_t>(e.place.load(std::memory_order_relaxed) >> 8);
  return k <= static_cast<std::uint8_t>(entry_kind::commit) ? static_cast<entry_kind>(k)
                                                             : entry_kind::wait_any;
}

// The entry's state is changed under the object's queue lock, and only
// allocation (a compare-and-swap from free, object/wait_queue.hpp) and
// freeing change it without: relaxed, as the other fields.
inline bool in_state(const queue_entry& e, entry_state s) {
  return e.state.load(std::memory_order_relaxed) == static_cast<std::uint32_t>(s);
}
inline void set_state(queue_entry& e, entry_state s) {
  e.state.store(static_cast<std::uint32_t>(s), std::memory_order_relaxed);
}
// Whether an entry holds an offer (in a queue: offered, or offering under
// a hold that has not ended).
inline bool holds_offer(const queue_entry& e) {
  return in_state(e, entry_state::offered) || in_state(e, entry_state::offering);
}

// The waiter word: the wait's serial (24 bits, shm/process_record.hpp) in
// bits 0..30 of the low half, CLOSED in bit 31, the thread in the high half.
//
// A satisfied wait-any leaves its other entries linked, stale
// (wait/stale_entries.hpp), and its thread's next wait on the same object,
// at the same place, takes such an entry back without the lock, *revives*
// it, when nothing has been linked behind it and no release has passed it:
//   INV-REVIVE  An entry's waiter word changes without the queue lock only
//               by its own thread's compare-and-swap from its last wait's
//               word, CLOSED clear, to its new wait's (same thread, same
//               place, the new serial), made after the new wait's claim
//               word is waiting and while the entry is its queue's tail.
//               CLOSED, once set, stays until the entry is stamped anew.
//               It is set, under the lock, on the tail before an entry is
//               linked behind it (wait_queue::append), and on an entry
//               before anyone but its own thread takes it out, or offers
//               it a take, on the strength of the serial it read
//               (queue_hold::claim).
// So a revived entry was never passed by: it stands where an entry linked
// now would (nothing is behind it), and every unit the object holds is
// promised to waiters ahead of it (a hand-off that leaves units walks the
// whole queue and drops each stale entry it meets, INV-HANDOFF).  And a
// releaser that read the old serial and decides on it (drops the entry,
// offers it a take) first closes the word it read: that fails if the entry
// was revived meanwhile, and it reads the entry again.  The thread in the
// word makes a reused entry (freed, allocated and stamped by another wait)
// unmistakable for the reviver's: no other live thread has its id.
inline constexpr std::uint64_t entry_closed = std::uint64_t{1} << 31;

inline constexpr std::uint64_t entry_waiter(std::uint32_t serial, std::uint32_t thread_id) {
  return (std::uint64_t{thread_id} << 32) | (serial & ~static_cast<std::uint32_t>(entry_closed));
}
inline constexpr std::uint32_t waiter_serial(std::uint64_t w) {
  return static_cast<std::uint32_t>(w & ~entry_closed);
}
inline constexpr std::uint32_t waiter_thread(std::uint64_t w) {
  return static_cast<std::uint32_t>(w >> 32);
}
// Under the lock, where the word is read for the entry's stamp only.
inline std::uint32_t entry_serial(const queue_entry& e) {
  return waiter_serial(e.waiter.load(std::memory_order_relaxed));
}
inline std::uint32_t entry_thread(const queue_entry& e) {
  return waiter_thread(e.waiter.load(std::memory_order_relaxed));
}
// Closes the word `seen` (INV-REVIVE); false if it is no longer `seen`: its
// waiter revived the entry since it was read.
inline bool close_entry(queue_entry& e, std::uint64_t seen) {
  return (seen & entry_closed) ||
         e.waiter.compare_exchange_strong(seen, seen | entry_closed, std::memory_order_acq_rel);
}

static_assert(sizeof(queue_entry) == 32);
static_assert(offsetof(queue_entry, next) == 4);
static_assert(offsetof(queue_entry, pid) == 8);
static_assert(offsetof(queue_entry, waiter) == 16);
static_assert(offsetof(queue_entry, block) == 24);
static_assert(offsetof(queue_entry, place) == 26);
static_assert(offsetof(queue_entry, doorbell) == 28);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(std::atomic<std::uint16_t>::is_always_lock_free);

// An area of entries, in this process's address space.
struct entry_area {
  queue_entry* entries = nullptr;
  std::uint32_t count = 0;
  // The area serves one object's queue alone (a named object's file), so
  // that whoever holds that queue's lock knows every entry in use
  // (object/wait_queue.hpp, INV-QALONE); false for an area that the queues
  // of many objects share (an arena's).
  bool one_queue = false;
};

}  // namespace ntsem::shm
