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
// NtCreateMutant's part after OBJECT_ATTRIBUTES; the caller owns a new
// mutex when `initial_owner` (an existing one is opened, not taken).
NTSTATUS create_mutant(HANDLE* out, ACCESS_MASK access, const object_request& request,
                       bool initial_owner);
NTSTATUS open_mutant(HANDLE* out, ACCESS_MASK access, const object_request& request);
// NtReleaseMutant; *previous may be null.
NTSTATUS release_mutant(HANDLE h, LONG* previous);
// NtDelayExecution: STATUS_SUCCESS once the time has passed, or
// STATUS_USER_APC after an alertable sleep ran the thread's APCs.
NTSTATUS delay_execution(bool alertable, const sys::deadline& timeout);
// NtQueueApcThread.
NTSTATUS queue_apc_thread(HANDLE h, PNTAPCFUNC routine, ULONG_PTR argument1,
                          ULONG_PTR argument2, ULONG_PTR argument3);
// A handle to the thread `id` of this process (ntsem knows a thread once it
// has called GetCurrentThreadId, used GetCurrentThread() as a handle or
// waited alertably; after it ends, while a handle to it is open), with
// `access` mapped by the thread mapping.  STATUS_INVALID_CID for any other
// id.
NTSTATUS open_thread(HANDLE* out, ACCESS_MASK access, bool inherit, DWORD id);
// The calling thread's id, which OpenThread then finds.
DWORD current_thread_id();

}  // namespace ntsem::nt
