// The Win32 face's error convention: a failed call stores a Win32 error code
// in the calling thread's last error; the NT layer below speaks NTSTATUS, and
// RtlNtStatusToDosError is the one table between them.
#pragma once

#include <ntsem/winternl.h>

namespace ntsem::win32 {

void set_last_error(DWORD error);

// Stores the Win32 error for `status` and returns false (for BOOL results).
inline bool fail(NTSTATUS status) {
  set_last_error(RtlNtStatusToDosError(status));
  return false;
}

// A BOOL call's result: TRUE for STATUS_SUCCESS (the last error untouched),
// else FALSE with the error for `status` stored.
inline BOOL bool_result(NTSTATUS status) {
  return status == STATUS_SUCCESS ? TRUE : (fail(status), FALSE);
}

}  // namespace ntsem::win32
