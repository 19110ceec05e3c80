// The one place that chooses the Win32 API the conformance suite runs against:
// Windows' own (a MinGW build, run under Wine or on Windows) or ntsem's.
#pragma once

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX  // keep std::min/std::max usable
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <sddl.h>
// Declared by the Windows Driver Kit (wdm.h), not by <windows.h>.
#ifndef SEMAPHORE_QUERY_STATE
#define SEMAPHORE_QUERY_STATE 0x0001
#endif
#ifndef EVENT_QUERY_STATE
#define EVENT_QUERY_STATE 0x0001
#endif
#else
#include <ntsem/sddl.h>
#include <ntsem/windows.h>
#endif
