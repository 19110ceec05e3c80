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

}  // namespace ntsem::win32
