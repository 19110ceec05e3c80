// WaitForSingleObject[Ex], WaitForMultipleObjects[Ex], SignalObjectAndWait.
#include <ntsem/winternl.h>

#include "nt/native.hpp"
#include "win32/timeout.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;

namespace {

// STATUS_WAIT_0 + i, STATUS_ABANDONED_WAIT_0 + i, STATUS_USER_APC and
// STATUS_TIMEOUT have the values of the Win32 results; anything else failed.
// A wait that did not fail leaves the last error untouched.
inline DWORD wait_result(NTSTATUS status) {
  if (status == STATUS_TIMEOUT) return WAIT_TIMEOUT;
  if (status >= 0 && status <= STATUS_USER_APC) return static_cast<DWORD>(status);
  win32::fail(status);
  return WAIT_FAILED;
}

}  // namespace

extern "C" {

DWORD WaitForSingleObjectEx(HANDLE h, DWORD ms, BOOL alertable) {
  return wait_result(nt::wait_for_single_object(h, alertable, win32::to_deadline(ms)));
}

DWORD WaitForSingleObject(HANDLE h, DWORD ms) {
  return wait_result(nt::wait_for_single_object(h, false, win32::to_deadline(ms)));
}

DWORD WaitForMultipleObjectsEx(DWORD count, const HANDLE* handles, BOOL wait_all, DWORD ms,
                               BOOL alertable) {
  return wait_result(nt::wait_for_multiple_objects(count, handles, wait_all ? WaitAll : WaitAny,
                                                   alertable, win32::to_deadline(ms)));
}

DWORD WaitForMultipleObjects(DWORD count, const HANDLE* handles, BOOL wait_all, DWORD ms) {
  return WaitForMultipleObjectsEx(count, handles, wait_all, ms, FALSE);
}

DWORD SignalObjectAndWait(HANDLE signal, HANDLE wait, DWORD ms, BOOL alertable) {
  return wait_result(nt::signal_and_wait(signal, wait, alertable, win32::to_deadline(ms)));
}

}  // extern "C"
