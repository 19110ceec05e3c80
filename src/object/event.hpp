// Event operations on a slot: creation, set, reset, query.  Waiting is the
// wait engine's (wait/), through event_ops (object_type.hpp), which also
// lays out the state value: bit 0 signaled, bit 1 manual-reset.
//
// INV-EVENT (shm/object_slot.hpp): the value is at most 3 and its
// manual-reset bit never changes, because every change is a compare-and-swap
// (change_value, or a wait's take) that rewrites only the signaled bit.
#pragma once

#include <ntsem/winternl.h>

#include "object/event_change.hpp"
#include "object/object_ref.hpp"
#include "object/object_type.hpp"
#include "object/handoff.hpp"

namespace ntsem::object {

// STATUS_INSUFFICIENT_RESOURCES when no slot can be had.  On success *out
// holds the object's one reference.
NTSTATUS create_event(bool manual_reset, bool signaled, object_ref* out);

// Changes the event; *previous (if not null) gets 1 if it was signaled
// before, else 0.  A set satisfies queued waiters first
// (object/handoff.hpp): all of them for a manual-reset event, the first for
// an auto-reset one, which the signal then leaves reset.  A pulse does the
// same and then resets the event in the same step: it releases exactly the
// threads queued at that moment, and nobody sees the event signaled.  If
// the event is left signaled, multi-object waiters are woken to re-examine
// it.  STATUS_INVALID_HANDLE if the object died.
inline NTSTATUS change_event(const object_ref& ref, event_change how, LONG* previous) {
  std::uint32_t old = 0;
  std::uint32_t now = 0;
  const auto reset = [](std::uint32_t v) { return v & ~event_ops::signaled_bit; };
  const auto change = [how, reset](std::uint32_t v, std::uint32_t* next) {
    *next = how == event_change::reset ? reset(v) : v | event_ops::signaled_bit;
    return STATUS_SUCCESS;
  };
  const NTSTATUS status =
      how == event_change::pulse
          ? change_value<event_ops>(ref, change, &old, &now, reset)
          : change_value<event_ops>(ref, change, &old, &now);
  if (status != STATUS_SUCCESS) return status;
  if (previous) *previous = event_ops::signaled(old) ? 1 : 0;
  return STATUS_SUCCESS;
}

// The event's reset mode and whether it is signaled.
NTSTATUS query_event(const object_ref& ref, bool* manual_reset, bool* signaled);

}  // namespace ntsem::object
