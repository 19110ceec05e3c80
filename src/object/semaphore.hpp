// Semaphore operations on a slot: creation, release, query.  Waiting is the
// wait engine's (wait/), through semaphore_ops (object_type.hpp).
//
// The count is the state value; the maximum is fixed at creation.
// INV-COUNT: 0 <= count <= maximum at every instant, because a release is a
// single compare-and-swap that checks the bound against the value it
// replaces, and a wait only ever takes from a positive count.
#pragma once

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "object/state_word.hpp"

namespace ntsem::object {

// STATUS_INVALID_PARAMETER for bad counts; STATUS_INSUFFICIENT_RESOURCES when
// no slot can be had.  On success *out holds the object's one reference.
NTSTATUS create_semaphore(LONG initial, LONG maximum, object_ref* out);

// Adds `count` (> 0, checked by the caller) to the count and wakes up to
// `count` waiters.  STATUS_SEMAPHORE_LIMIT_EXCEEDED, count unchanged, if the
// result would pass the maximum; STATUS_INVALID_HANDLE if the object died.
// Inline: with no waiter it is one compare-and-swap and two loads.
inline NTSTATUS release_semaphore(const object_ref& ref, LONG count, LONG* previous) {
  shm::object_slot& slot = *ref.slot;
  // Relaxed: the maximum never changes during the object's life; if the
  // object died, the compare-and-swap below fails whatever was read.
  const auto maximum = static_cast<std::uint32_t>(slot.maximum.load(std::memory_order_relaxed));
  std::uint64_t s = slot.state.load(order);
  std::uint32_t old_count;
  for (;;) {
    if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
    if (s & shm::state::locked) {  // INV-LOCK
      s = wait_while_locked(slot, s);
      continue;
    }
    old_count = shm::state::value(s);
    // INV-COUNT; the 64-bit sum cannot overflow, so "count + n overflows"
    // is just another way to pass the maximum.
    if (std::uint64_t{old_count} + static_cast<std::uint32_t>(count) > maximum)
      return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    if (slot.state.compare_exchange_weak(
            s, shm::state::with_value(s, old_count + static_cast<std::uint32_t>(count)), order))
      break;
  }
  wake_after_change(slot, static_cast<int>(count));
  if (previous) *previous = static_cast<LONG>(old_count);
  return STATUS_SUCCESS;
}

NTSTATUS query_semaphore(const object_ref& ref, LONG* current, LONG* maximum);

}  // namespace ntsem::object
