// Operations on an object's state word (layout and invariants in
// shm/object_slot.hpp), shared by every object type and by the wait engine.
//
// Memory ordering: every access to the state word and to the waiter count is
// sequentially consistent.  INV-WAITERS is a store-buffering (Dekker) pattern
// between "change the state, then read the waiter count" and "count myself,
// then read the state", which needs a single total order over those four
// accesses; on x86-64 a sequentially consistent load is a plain load and the
// read-modify-writes are locked instructions either way, so this costs
// nothing there.  A successful take reads the value stored by the release that
// made the object signaled, which gives the acquire/release pairing the API
// promises ("a wait that succeeds synchronizes-with the release").
#pragma once

#include <atomic>
#include <cstdint>

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "shm/object_slot.hpp"
#include "sys/futex.hpp"

namespace ntsem::object {

inline constexpr auto order = std::memory_order_seq_cst;

enum class take_result : std::uint8_t { taken, not_signaled, locked, dead };

// Takes one wait's worth from the object (a semaphore unit) if it is signaled,
// no wait-all holds it and no thread is queued on it (those come first:
// INV-QUEUE, object/handoff.hpp).  `observed` receives the state last read.
template <class Ops>
inline take_result try_take(const object_ref& ref, std::uint64_t* observed = nullptr) {
  std::uint64_t s = ref.slot->state.load(order);
  for (;;) {
    if (observed) *observed = s;
    if (shm::state::incarnation(s) != ref.incarnation) return take_result::dead;
    if (s & shm::state::locked) return take_result::locked;  // INV-LOCK
    std::uint32_t v = shm::state::value(s);
    if (!Ops::signaled(v) || (s & shm::state::queued)) return take_result::not_signaled;
    const std::uint32_t next = Ops::after_wait(v);
    // A wait that changes nothing (a manual-reset event) needs no store: the
    // load above read the value the signaling call stored, which is the
    // synchronizes-with the API promises, and nobody can observe a store of
    // the same value.
    if (next == v) return take_result::taken;
    if (ref.slot->state.compare_exchange_weak(s, shm::state::with_value(s, next), order))
      return take_result::taken;
  }
}

// Wakes every thread waiting on several objects, which may be satisfied by
// a change just made to the object (threads waiting on it alone are
// queued and handed their units: object/handoff.hpp).  Must follow the
// change (INV-WAITERS).
//
// Lifetime: the caller holds a handle (or a reference) for the whole call, so
// the mapping stays valid; if the object has died meanwhile, the slot may
// already hold another object and the wake is merely spurious for it.
void wake_multi_waiters(shm::object_slot& slot);
inline void wake_after_change(shm::object_slot& slot) {
  if (slot.multi_waiters.load(order) != 0) wake_multi_waiters(slot);
}

// Sleeps while a wait-all holds the object (INV-LOCK, INV-LOCK-WAKE) and
// returns the state word read after it cleared.  `s` is the locked state the
// caller read.  Lock holds are short and always end, so there is no deadline.
std::uint64_t wait_while_locked(shm::object_slot& slot, std::uint64_t s);

// Wakes every thread in wait_while_locked (INV-LOCK-WAKE); called by whoever
// cleared LOCKED while LOCK_WAITERS was set.
void wake_lock_waiters(shm::object_slot& slot);

// The object's value as a query reports it: never while a wait-all holds the
// object (INV-LOCK).  STATUS_INVALID_HANDLE if the object died.
inline NTSTATUS read_value(const object_ref& ref, std::uint32_t* out) {
  std::uint64_t s = ref.slot->state.load(order);
  if (s & shm::state::locked) s = wait_while_locked(*ref.slot, s);
  if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
  *out = shm::state::value(s);
  return STATUS_SUCCESS;
}

// Wait-all support.  lock_object sets LOCKED, sleeping while another wait-all
// holds it; false if the object died (the caller holds a reference, so this
// means a broken slot).  unlock_object clears LOCKED and, with take=true,
// takes one wait's worth in the same step.
bool lock_object(const object_ref& ref);
template <class Ops>
void unlock_object(const object_ref& ref, bool take);

// Whether a wait-all may take the object it has locked: signaled, and no
// thread queued on it (they come first, INV-QUEUE).
template <class Ops>
inline bool locked_takeable(const object_ref& ref) {
  const std::uint64_t s = ref.slot->state.load(order);
  return Ops::signaled(shm::state::value(s)) && !(s & shm::state::queued);
}

template <class Ops>
void unlock_object(const object_ref& ref, bool take) {
  std::uint64_t s = ref.slot->state.load(order);
  std::uint64_t next;
  do {
    next = s & ~(shm::state::locked | shm::state::lock_waiters);
    if (take) next = shm::state::with_value(next, Ops::after_wait(shm::state::value(s)));
  } while (!ref.slot->state.compare_exchange_weak(s, next, order));
  if (s & shm::state::lock_waiters) wake_lock_waiters(*ref.slot);  // INV-LOCK-WAKE
}

}  // namespace ntsem::object
