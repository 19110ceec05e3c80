// Sleep, SleepEx.
#include <ntsem/winternl.h>

#include "nt/native.hpp"
#include "win32/timeout.hpp"

using namespace ntsem;

extern "C" {

DWORD SleepEx(DWORD ms, BOOL alertable) {
  const NTSTATUS status = nt::delay_execution(alertable != FALSE, win32::to_deadline(ms));
  return status == STATUS_USER_APC ? WAIT_IO_COMPLETION : 0;
}

void Sleep(DWORD ms) { SleepEx(ms, FALSE); }

}  // extern "C"
