// NtDelayExecution: a sleep, alertable or not.
#include <thread>

#include "nt/native.hpp"
#include "nt/timeout.hpp"
#include "thread/alert.hpp"
#include "wait/wait.hpp"

namespace ntsem::nt {

NTSTATUS delay_execution(bool alertable, const sys::deadline& timeout) {
  if (!alertable && timeout.is_poll()) {
    // A sleep of no time gives up the rest of the time slice, as on Windows.
    std::this_thread::yield();
    return STATUS_SUCCESS;
  }
  const NTSTATUS status = wait::sleep_until(timeout, alertable);
  return status == STATUS_TIMEOUT ? STATUS_SUCCESS : thread::deliver_apcs(status);
}

}  // namespace ntsem::nt

extern "C" NTSTATUS NtDelayExecution(BOOLEAN alertable, PLARGE_INTEGER interval) {
  // Windows reads the interval (a fault for NULL, which has no "forever").
  if (!interval) return STATUS_ACCESS_VIOLATION;
  return ntsem::nt::delay_execution(alertable, ntsem::nt::to_deadline(interval));
}
