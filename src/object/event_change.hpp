// The three ways a call changes an event (object/event.hpp, change_event).
#pragma once

#include <cstdint>

namespace ntsem::object {

enum class event_change : std::uint8_t {
  set,    // SetEvent, NtSetEvent
  reset,  // ResetEvent, NtResetEvent, NtClearEvent
  pulse,  // PulseEvent, NtPulseEvent
};

}  // namespace ntsem::object
