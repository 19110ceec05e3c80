// GetCurrentThreadId, OpenThread, QueueUserAPC.
#include <ntsem/winternl.h>

#include "nt/native.hpp"
#include "win32/last_error.hpp"

using namespace ntsem;

namespace {

// QueueUserAPC's routine takes one argument: it is queued as this routine,
// with the user's routine and argument as the first two of its three.
void WINAPI call_user_apc(ULONG_PTR routine, ULONG_PTR argument, ULONG_PTR) {
  reinterpret_cast<PAPCFUNC>(routine)(argument);
}

}  // namespace

extern "C" {

DWORD GetCurrentThreadId(void) { return nt::current_thread_id(); }

HANDLE OpenThread(DWORD access, BOOL inherit, DWORD id) {
  HANDLE h = nullptr;
  const NTSTATUS status = nt::open_thread(&h, access, inherit != FALSE, id);
  if (status != STATUS_SUCCESS) {
    win32::fail(status);
    return nullptr;
  }
  return h;
}

DWORD QueueUserAPC(PAPCFUNC routine, HANDLE thread, ULONG_PTR data) {
  // A null routine stays null, so that the native call refuses it after
  // checking the handle.
  const NTSTATUS status =
      nt::queue_apc_thread(thread, routine ? call_user_apc : nullptr,
                           reinterpret_cast<ULONG_PTR>(routine), data, 0);
  return win32::bool_result(status);
}

}  // extern "C"
