// WaitForSingleObject[Ex], WaitForMultipleObjects[Ex].
#include <ntsem/winternl.h>

#include "nt/timeout.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;

namespace {

// STATUS_WAIT_0 + i, STATUS_ABANDONED_WAIT_0 + i, STATUS_USER_APC and
// STATUS_TIMEOUT have the values of the Win32 results; anything else failed.
// A wait that did not fail leaves the last error untouched.
DWORD wait_result(NTSTATUS status) {
  if (status == STATUS_TIMEOUT) return WAIT_TIMEOUT;
  if (status >= 0 && status <= STATUS_USER_APC) return static_cast<DWORD>(status);
  win32::fail(status);
  return WAIT_FAILED;
}

}  // namespace

extern "C" {

DWORD WaitForSingleObjectEx(HANDLE h, DWORD ms, BOOL alertable) {
  LARGE_INTEGER storage;
  return wait_result(
      NtWaitForSingleObject(h, alertable ? 1 : 0, nt::from_milliseconds(ms, &storage)));
}

DWORD WaitForSingleObject(HANDLE h, DWORD ms) { return WaitForSingleObjectEx(h, ms, FALSE); }

DWORD WaitForMultipleObjectsEx(DWORD count, const HANDLE* handles, BOOL wait_all, DWORD ms,
                               BOOL alertable) {
  LARGE_INTEGER storage;
  return wait_result(NtWaitForMultipleObjects(count, handles, wait_all ? WaitAll : WaitAny,
                                              alertable ? 1 : 0,
                                              nt::from_milliseconds(ms, &storage)));
}

DWORD WaitForMultipleObjects(DWORD count, const HANDLE* handles, BOOL wait_all, DWORD ms) {
  return WaitForMultipleObjectsEx(count, handles, wait_all, ms, FALSE);
}

}  // extern "C"
