// Operations on an object's state word (layout and invariants in
// shm/object_slot.hpp), shared by every object type and by the wait engine.
//
// Memory ordering: every access to the state word is sequentially
// consistent.  A successful take reads the value stored by the release that
// made the object signaled, which gives the acquire/release pairing the API
// promises ("a wait that succeeds synchronizes-with the release").
#pragma once

#include <atomic>
#include <cstdint>

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "shm/object_slot.hpp"
#include "sys/futex.hpp"
#include "sys/robust_list.hpp"

namespace ntsem::object {

inline constexpr auto order = std::memory_order_seq_cst;

enum class take_result : std::uint8_t {
  taken,
  taken_abandoned,  // a mutex whose last owner ended owning it: now ours
  limit_exceeded,   // a mutex its owner holds INT_MAX + 1 times
  not_signaled,
  // Only a holder of the queue lock may decide: a wait-all is committing a
  // take (LOCKED), or the object is signaled while threads are queued on it
  // or a holder has frozen it (QUEUED: they come first, INV-QUEUE).
  needs_lock,
  dead,
};

// Takes one wait's worth from the object (a semaphore unit) if it is signaled
// and nobody holds or waits for its queue lock's decision (needs_lock).
take_result try_take_mutex(const object_ref& ref);  // object/mutex.hpp

// Whether the queue lock's last holder died holding it and nobody has taken
// it since (the kernel's mark, sys/robust_list.hpp): its repair is owed,
// and waiters it claimed may be asleep unwoken (INV-WOKEN, object/
// handoff.hpp).  Only a state with QUEUED can owe one (a holder keeps
// QUEUED set from its freeze until its claimed waiters have been woken), so
// a look without the lock reads the lock word only then: a look that does
// not block, at an object that it would otherwise report not signaled, then
// comes to the lock, and the hold repairs.  So a poll or a query wakes them
// too, not only a wait that blocks or a change.
inline bool repair_owed(const shm::object_slot& slot, std::uint64_t s) {
  return (s & shm::state::queued) && (slot.queue_lock.load(order) & sys::robust_owner_died);
}

template <class Ops>
inline take_result try_take(const object_ref& ref) {
  if constexpr (Ops::owned) return try_take_mutex(ref);
  std::uint64_t s = ref.slot->state.load(order);
  for (;;) {
    if (shm::state::incarnation(s) != ref.incarnation) return take_result::dead;
    if (s & shm::state::locked) return take_result::needs_lock;  // INV-LOCK
    std::uint32_t v = shm::state::value(s);
    if (!Ops::signaled(v, 0))
      return repair_owed(*ref.slot, s) ? take_result::needs_lock : take_result::not_signaled;
    if (s & shm::state::queued) return take_result::needs_lock;
    const std::uint32_t next = Ops::after_wait(v, 0);
    // A wait that changes nothing (a manual-reset event) needs no store: the
    // load above read the value the signaling call stored, which is the
    // synchronizes-with the API promises, and nobody can observe a store of
    // the same value.
    if (next == v) return take_result::taken;
    if (ref.slot->state.compare_exchange_weak(s, shm::state::with_value(s, next), order))
      return take_result::taken;
  }
}

// Waits until no wait-all is committing a take of the object (INV-LOCK), and
// until a dead holder's repair is made (repair_owed): takes and releases its
// queue lock, which waits out the committing thread, or finds it dead and
// repairs the object first.  Returns the state word read after that.  Lock
// holds are short and always end, so there is no deadline.
std::uint64_t wait_out_commit(const object_ref& ref);

// The object's value as a query reports it: never while a wait-all holds the
// object (INV-LOCK), nor before a dead holder's repair (repair_owed).
// STATUS_INVALID_HANDLE if the object died.
inline NTSTATUS read_value(const object_ref& ref, std::uint32_t* out) {
  std::uint64_t s = ref.slot->state.load(order);
  // A new commit may seal it again at once; its value is not reported
  // until a commit is whole (INV-LOCK).
  while ((s & shm::state::locked) || repair_owed(*ref.slot, s)) s = wait_out_commit(ref);
  if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
  *out = shm::state::value(s);
  return STATUS_SUCCESS;
}

}  // namespace ntsem::object
