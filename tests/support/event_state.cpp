#include "support/event_state.hpp"

#include "support/semaphore_state.hpp"

namespace ntsem::test {

event_state event_state_of(HANDLE h) {
  HANDLE full = full_access_duplicate(h);
  if (!full) return {};
  EVENT_BASIC_INFORMATION info{};
  const NTSTATUS status = NtQueryEvent(full, EventBasicInformation, &info, sizeof(info), nullptr);
  CloseHandle(full);
  if (status != STATUS_SUCCESS) return {};
  return {static_cast<LONG>(info.EventType), info.EventState};
}

}  // namespace ntsem::test
