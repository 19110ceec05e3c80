// Reading an event's whole state in tests (white-box, through NtQueryEvent),
// so a scenario can compare it after every call.
#pragma once

#include <ntsem/winternl.h>

#include <ostream>

namespace ntsem::test {

struct event_state {
  LONG type = -1;   // NotificationEvent (manual reset) or SynchronizationEvent
  LONG state = -1;  // 1 signaled, 0 not
  friend bool operator==(const event_state&, const event_state&) = default;
  friend std::ostream& operator<<(std::ostream& out, const event_state& s) {
    return out << "{type " << s.type << ", state " << s.state << "}";
  }
};

inline constexpr event_state manual_set{NotificationEvent, 1};
inline constexpr event_state manual_reset{NotificationEvent, 0};
inline constexpr event_state auto_set{SynchronizationEvent, 1};
inline constexpr event_state auto_reset{SynchronizationEvent, 0};

// Through NtQueryEvent on a full-access duplicate, whatever access `h` has.
// {-1, -1} if the handle is not a live event.
event_state event_state_of(HANDLE h);

}  // namespace ntsem::test
