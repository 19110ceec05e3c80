// CloseHandle, Get/SetHandleInformation, DuplicateHandle, GetCurrentProcess,
// GetCurrentThread.
#include <ntsem/winternl.h>

#include "handle/handle_table.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;

namespace {
bool is_current_process_or_thread(HANDLE h) {
  return h == handle::current_process() || h == handle::current_thread();
}
}  // namespace

extern "C" {

HANDLE GetCurrentProcess(void) { return handle::current_process(); }
HANDLE GetCurrentThread(void) { return handle::current_thread(); }

BOOL CloseHandle(HANDLE h) {
  NTSTATUS status = NtClose(h);
  return status == STATUS_SUCCESS ? TRUE : win32::fail(status);
}

BOOL GetHandleInformation(HANDLE h, LPDWORD flags) {
  if (is_current_process_or_thread(h)) {
    if (flags) *flags = 0;
    return TRUE;
  }
  handle::handle_info info;
  NTSTATUS status = handle::lookup(h, &info);
  if (status != STATUS_SUCCESS) return win32::fail(status);
  if (flags) *flags = info.flags;
  return TRUE;
}

BOOL SetHandleInformation(HANDLE h, DWORD mask, DWORD flags) {
  // The pseudo handles have no entry whose flags could change.
  if (is_current_process_or_thread(h)) return win32::fail(STATUS_ACCESS_DENIED);
  NTSTATUS status = handle::set_flags(h, mask, flags);
  return status == STATUS_SUCCESS ? TRUE : win32::fail(status);
}

BOOL DuplicateHandle(HANDLE source_process, HANDLE source, HANDLE target_process, LPHANDLE target,
                     DWORD access, BOOL inherit, DWORD options) {
  NTSTATUS status = NtDuplicateObject(source_process, source, target_process, target, access,
                                      inherit ? OBJ_INHERIT : 0, options);
  return status == STATUS_SUCCESS ? TRUE : win32::fail(status);
}

}  // extern "C"
