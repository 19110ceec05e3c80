// The single-object wait's blocking part, and sleeps on nothing.
#include "wait/wait.hpp"

namespace ntsem::wait {

NTSTATUS wait_one_blocking(const target& t, const sys::deadline& until, bool alertable) {
  if (!object::add_ref(t.object)) return STATUS_INVALID_HANDLE;
  const NTSTATUS result = wait_queued(std::span(&t, 1), until, alertable);
  object::drop_ref(t.object);
  return result;
}

NTSTATUS sleep_until(const sys::deadline& timeout, bool alertable) {
  if (alertable) {
    if (timeout.is_poll()) return nothing_taken(true);
    // Sleeps on the claim word, which only an APC moves.
    return wait_queued({}, timeout, true);
  }
  const sys::deadline until = timeout.resolved();
  static const std::uint32_t never_woken = 0;
  while (sys::futex_wait(&never_woken, 0, until) != sys::futex_result::timed_out) {
  }
  return STATUS_TIMEOUT;
}

}  // namespace ntsem::wait
