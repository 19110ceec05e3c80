// Mutex operations on a slot: creation, the lock-free take, release, query,
// and what a thread's end does to the mutexes it owns.  Waiting is the wait
// engine's (wait/), through mutex_ops (object/object_type.hpp), which also
// lays out the state value.
//
// The owner word is the state word's low half, a robust futex word whose
// list entry is the slot's state_entry (shm/object_slot.hpp).
//
// Invariants:
//   INV-OWNER  While the value holds a thread's id, the slot's
//              state_entry is in that thread's robust list, or in its
//              pending slot (around a take, around a release, and while
//              it sleeps covered, INV-COVER); so when that thread ends,
//              however it ends, the kernel makes the value
//              FUTEX_OWNER_DIED (abandoned).  The entry is in no list
//              while the mutex is free or abandoned, so whoever takes it
//              next may list it.  A release moves the entry from the
//              owner's list to its pending slot before the owner's id
//              leaves the word, and keeps it there until the word holds
//              the next owner's id or none (so a releaser that dies
//              before that store abandons the mutex, and its sleepers are
//              woken).
//   INV-COVER  A releaser hands a mutex to a queued waiter (makes the
//              owner word that waiter's id) only when the waiter's claim
//              word is covered(serial, index, tid): the waiter set its
//              pending slot on the mutex's entry before it moved its word
//              there, and moves it back before it clears the slot (or,
//              made owner, lists the entry first).  Any other waiter is
//              told instead, and a wait-any one has the mutex held for its
//              entry, which it takes as it leaves (INV-OFFER,
//              object/handoff.hpp); a wait-all attempts again.  The
//              hand-off is final only once the owner word holds the
//              waiter's id (INV-HANDED, object/handoff.hpp).
//   INV-SLEEP  A thread that sleeps waiting for a mutex sleeps on its
//              owner word too (with SLEEPERS set, so that the kernel
//              wakes one sleeper when it marks the word); woken by a
//              death, it hands the abandoned mutex on under the lock.
//
// The recursion count lives in the slot's `maximum` and is written only by
// the owner: 0 when it owns the mutex once.  Each owning thread also keeps
// a reference on the mutex (so its memory, where its robust list points,
// stays mapped) and, at its exit, abandons the mutexes it still owns
// itself, handing them on at once.
#pragma once

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "object/object_type.hpp"
#include "object/state_word.hpp"

namespace ntsem::object {

// An unnamed mutex, owned by the calling thread when `initial_owner`.
// STATUS_INSUFFICIENT_RESOURCES when no slot can be had.
NTSTATUS create_mutex(bool initial_owner, object_ref* out);

// The lock-free take (try_take for mutex_ops): taken (first or recursive),
// taken_abandoned, not_signaled, needs_lock or dead.
take_result try_take_mutex(const object_ref& ref);

// ReleaseMutex: the owner gives up one of its holds; the last hands the
// mutex to the oldest waiter that can take it.  *previous (if not null)
// gets the count before the release (0 owned once, -1 twice, ...).
// STATUS_MUTANT_NOT_OWNED if the caller does not own it.
NTSTATUS release_mutex(const object_ref& ref, LONG* previous);

// The mutex's state as NtQueryMutant reports it.
NTSTATUS query_mutex(const object_ref& ref, LONG* current_count, bool* owned_by_caller,
                     bool* abandoned);

// Records that the calling thread has just come to own the mutex (through
// any take): keeps a reference on it until it is released or abandoned.
void note_owned(const object_ref& ref);

class queue_hold;

// INV-OFFER for a mutex, the waiter's side, under the queue lock held in
// `hold`: entry `index`, the caller's, holds the offer of the mutex, which
// is held for it (mutex_ops::offered_owner).  take_offered_mutex makes the
// caller its owner (listed before the owner word holds its id, INV-OWNER),
// then the entry goes; true if the mutex was abandoned.  The caller then
// stores the state again (settle), so that QUEUED says what the queue
// holds.  decline_offered_mutex, for a wait satisfied otherwise first,
// takes it the same way, then hands it on as a release does (abandoned
// still, if it was), so that a death at any step leaves it held for the
// entry, owned, or handed on (a dead owner's mutex is abandoned).
bool take_offered_mutex(queue_hold& hold, const object_ref& ref, std::uint32_t index);
void decline_offered_mutex(queue_hold& hold, const object_ref& ref, std::uint32_t index);

}  // namespace ntsem::object
