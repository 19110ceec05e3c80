// The native calls as internal functions, taking the internal deadline.  The
// exported Nt* functions and the Win32 face are both thin wrappers over
// these, so a Win32 call reaches the object in one direct call.
#pragma once

#include <ntsem/winternl.h>

#include "nt/object_attributes.hpp"
#include "object/event_change.hpp"
#include "sys/deadline.hpp"

namespace ntsem::nt {

NTSTATUS wait_for_single_object(HANDLE h, bool alertable, const sys::deadline& timeout);
NTSTATUS wait_for_multiple_objects(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                   bool alertable, const sys::deadline& timeout);
// NtSignalAndWaitForSingleObject.
NTSTATUS signal_and_wait(HANDLE signal_handle, HANDLE wait_handle, bool alertable,
                         const sys::deadline& timeout);
NTSTATUS release_semaphore(HANDLE h, LONG count, LONG* previous);
// STATUS_SUCCESS (new), STATUS_OBJECT_NAME_EXISTS (opened), or an error.
NTSTATUS create_semaphore(HANDLE* out, ACCESS_MASK access, const object_request& request,
                          LONG initial, LONG maximum);
NTSTATUS open_semaphore(HANDLE* out, ACCESS_MASK access, const object_request& request);
// STATUS_INVALID_PARAMETER for an EVENT_TYPE that is neither kind.
NTSTATUS create_event(HANDLE* out, ACCESS_MASK access, const object_request& request,
                      EVENT_TYPE type, bool initial_state);
NTSTATUS open_event(HANDLE* out, ACCESS_MASK access, const object_request& request);
// NtSetEvent, NtResetEvent and NtPulseEvent; *previous may be null.
NTSTATUS change_event(HANDLE h, object::event_change how, LONG* previous);

}  // namespace ntsem::nt
