#include "win32/last_error.hpp"

namespace ntsem::win32 {
namespace {
thread_local DWORD last_error = ERROR_SUCCESS;
}

void set_last_error(DWORD error) { last_error = error; }

}  // namespace ntsem::win32

extern "C" DWORD GetLastError(void) { return ntsem::win32::last_error; }
extern "C" void SetLastError(DWORD error) { ntsem::win32::set_last_error(error); }
