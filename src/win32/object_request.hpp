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

}  // namespace ntsem::win32
