// Win32 timeouts (milliseconds, INFINITE) to the internal deadline.
#pragma once

#include <ntsem/windows.h>

#include "sys/deadline.hpp"

namespace ntsem::win32 {

constexpr sys::deadline to_deadline(DWORD ms) {
  return ms == INFINITE ? sys::deadline::infinite() : sys::deadline::after_ms(ms);
}

}  // namespace ntsem::win32
