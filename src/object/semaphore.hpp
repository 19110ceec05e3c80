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
#include "object/handoff.hpp"
#include "object/object_type.hpp"

namespace ntsem::object {

// STATUS_INVALID_PARAMETER for bad counts; STATUS_INSUFFICIENT_RESOURCES when
// no slot can be had.  On success *out holds the object's one reference.
NTSTATUS create_semaphore(LONG initial, LONG maximum, object_ref* out);

// Adds `count` (> 0, checked by the caller) to the count, handing units to
// queued waiters first (object/handoff.hpp).  STATUS_SEMAPHORE_LIMIT_EXCEEDED,
// count unchanged, if the result would pass the maximum; STATUS_INVALID_HANDLE
// if the object died.
// Inline: with no waiter it is one compare-and-swap and three loads.
inline NTSTATUS release_semaphore(const object_ref& ref, LONG count, LONG* previous) {
  shm::object_slot& slot = *ref.slot;
  // Relaxed: the maximum never changes during the object's life; if the
  // object died, the compare-and-swap of change_value fails whatever was read.
  const auto maximum = static_cast<std::uint32_t>(slot.maximum.load(std::memory_order_relaxed));
  const auto added = static_cast<std::uint32_t>(count);
  std::uint32_t old_count = 0;
  std::uint32_t new_count = 0;
  const NTSTATUS status = change_value<semaphore_ops>(
      ref,
      [&](std::uint32_t v, std::uint32_t* next) {
        // INV-COUNT; the 64-bit sum cannot overflow, so "count + n
        // overflows" is just another way to pass the maximum.
        if (std::uint64_t{v} + added > maximum) return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
        *next = v + added;
        return STATUS_SUCCESS;
      },
      &old_count, &new_count);
  if (status != STATUS_SUCCESS) return status;
  if (previous) *previous = static_cast<LONG>(old_count);
  return STATUS_SUCCESS;
}

NTSTATUS query_semaphore(const object_ref& ref, LONG* current, LONG* maximum);

}  // namespace ntsem::object
