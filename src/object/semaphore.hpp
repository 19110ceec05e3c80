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

namespace ntsem::object {

// STATUS_INVALID_PARAMETER for bad counts; STATUS_INSUFFICIENT_RESOURCES when
// no slot can be had.  On success *out holds the object's one reference.
NTSTATUS create_semaphore(LONG initial, LONG maximum, object_ref* out);

// Adds `count` (> 0, checked by the caller) to the count and wakes up to
// `count` waiters.  STATUS_SEMAPHORE_LIMIT_EXCEEDED, count unchanged, if the
// result would pass the maximum; STATUS_INVALID_HANDLE if the object died.
NTSTATUS release_semaphore(const object_ref& ref, LONG count, LONG* previous);

NTSTATUS query_semaphore(const object_ref& ref, LONG* current, LONG* maximum);

}  // namespace ntsem::object
