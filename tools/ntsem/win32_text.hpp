// Win32 results spelled the way the Windows documentation spells them.
#pragma once

#include <ntsem/windows.h>

#include <string>
#include <string_view>

namespace ntsem_tool {

// "ERROR_INVALID_HANDLE (6)", or "error 1234" for a code without a name here.
std::string error_text(DWORD error);

// "WAIT_TIMEOUT", "WAIT_OBJECT_0 + 2", or for WAIT_FAILED the last error too.
// Call it right after the wait, before anything can change the last error.
std::string wait_result_text(DWORD result);

// "<call> failed: <last error>", for the message of a failed call.
std::string failed_call_text(std::string_view call);

}  // namespace ntsem_tool
