// What every Win32 Create/Open call does with its name and security
// attributes before it reaches the native layer, and how it reports the
// result: one place for all object types.
#pragma once

#include <ntsem/winternl.h>

#include "nt/object_attributes.hpp"

namespace ntsem::win32 {

// CreateXxx: the name (NULL or "" is unnamed), SECURITY_ATTRIBUTES'
// inherit flag and descriptor.  Fails only for a name too long to convert
// (kernel32 converts A names before anything else); other name errors are
// reported after the call's own argument checks, as Windows reports them.
NTSTATUS creation_request(const SECURITY_ATTRIBUTES* attributes, const char* name,
                          nt::object_request* out);
NTSTATUS creation_request(const SECURITY_ATTRIBUTES* attributes, const char16_t* name,
                          nt::object_request* out);
// OpenXxx: a NULL name is ERROR_INVALID_PARAMETER, "" ERROR_INVALID_HANDLE.
NTSTATUS open_request(BOOL inherit, const char* name, nt::object_request* out);
NTSTATUS open_request(BOOL inherit, const char16_t* name, nt::object_request* out);

// Sets the last error for `status` and returns NULL.
HANDLE fail_handle(NTSTATUS status);
// A CreateXxx result: a new object clears the last error, an existing one
// sets ERROR_ALREADY_EXISTS (both return the handle); a failure returns NULL.
HANDLE created_handle(NTSTATUS status, HANDLE h);

// A whole CreateXxx call: the request from the name and attributes, then
// `create(&handle, request)` (the type's native create, its own argument
// checks first), reported as created_handle says.
template <class Char, class Create>
HANDLE create_handle(const SECURITY_ATTRIBUTES* attributes, const Char* name, Create&& create) {
  nt::object_request request;
  if (NTSTATUS s = creation_request(attributes, name, &request); s != STATUS_SUCCESS)
    return fail_handle(s);
  HANDLE h = nullptr;
  const NTSTATUS s = create(&h, request);
  return created_handle(s, h);
}

// A type's native open (nt::open_semaphore, nt::open_event).
using open_call = NTSTATUS (*)(HANDLE* out, ACCESS_MASK access, const nt::object_request&);

// A whole OpenXxx call: the request, then the type's native open.
template <class Char>
HANDLE open_handle(DWORD access, BOOL inherit, const Char* name, open_call open) {
  nt::object_request request;
  if (NTSTATUS s = open_request(inherit, name, &request); s != STATUS_SUCCESS)
    return fail_handle(s);
  HANDLE h = nullptr;
  const NTSTATUS s = open(&h, access, request);
  return s == STATUS_SUCCESS ? h : fail_handle(s);
}

}  // namespace ntsem::win32
