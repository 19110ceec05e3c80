// CreateEvent[Ex]A/W, OpenEventA/W, SetEvent, ResetEvent, PulseEvent.
#include <ntsem/winternl.h>

#include "nt/native.hpp"
#include "win32/last_error.hpp"
#include "win32/object_request.hpp"

using namespace ntsem;

namespace {

constexpr DWORD known_flags = CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET;

// CreateEventEx's flags become NtCreateEvent's arguments.  Windows' kernel32
// refuses any other flag bit, after converting an A name and before the name
// and descriptor are looked at (ReactOS dll/win32/kernel32/client/synch.c,
// CreateEventExW; Wine ignores the unknown bits).
template <class Char>
HANDLE create_event(LPSECURITY_ATTRIBUTES attributes, const Char* name, DWORD flags,
                    DWORD access) {
  return win32::create_handle(attributes, name, [&](HANDLE* h, const nt::object_request& request) {
    if (flags & ~known_flags) return STATUS_INVALID_PARAMETER;
    const EVENT_TYPE type =
        (flags & CREATE_EVENT_MANUAL_RESET) ? NotificationEvent : SynchronizationEvent;
    return nt::create_event(h, access, request, type, (flags & CREATE_EVENT_INITIAL_SET) != 0);
  });
}

DWORD flags_of(BOOL manual_reset, BOOL initial_state) {
  return (manual_reset ? CREATE_EVENT_MANUAL_RESET : 0) |
         (initial_state ? CREATE_EVENT_INITIAL_SET : 0);
}

}  // namespace

extern "C" {

HANDLE CreateEventA(LPSECURITY_ATTRIBUTES attributes, BOOL manual_reset, BOOL initial_state,
                    LPCSTR name) {
  return create_event(attributes, name, flags_of(manual_reset, initial_state), EVENT_ALL_ACCESS);
}

HANDLE CreateEventW(LPSECURITY_ATTRIBUTES attributes, BOOL manual_reset, BOOL initial_state,
                    LPCWSTR name) {
  return create_event(attributes, name, flags_of(manual_reset, initial_state), EVENT_ALL_ACCESS);
}

HANDLE CreateEventExA(LPSECURITY_ATTRIBUTES attributes, LPCSTR name, DWORD flags, DWORD access) {
  return create_event(attributes, name, flags, access);
}

HANDLE CreateEventExW(LPSECURITY_ATTRIBUTES attributes, LPCWSTR name, DWORD flags,
                      DWORD access) {
  return create_event(attributes, name, flags, access);
}

HANDLE OpenEventA(DWORD access, BOOL inherit, LPCSTR name) {
  return win32::open_handle(access, inherit, name, nt::open_event);
}

HANDLE OpenEventW(DWORD access, BOOL inherit, LPCWSTR name) {
  return win32::open_handle(access, inherit, name, nt::open_event);
}

BOOL SetEvent(HANDLE h) {
  return win32::bool_result(nt::change_event(h, object::event_change::set, nullptr));
}

BOOL ResetEvent(HANDLE h) {
  return win32::bool_result(nt::change_event(h, object::event_change::reset, nullptr));
}

BOOL PulseEvent(HANDLE h) {
  return win32::bool_result(nt::change_event(h, object::event_change::pulse, nullptr));
}

}  // extern "C"
