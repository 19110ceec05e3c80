#include "wait/wait.hpp"

namespace ntsem::wait {
namespace {

template <class Ops>
NTSTATUS wait_until_taken(const object::object_ref& ref, const sys::deadline& timeout) {
  const sys::deadline until = timeout.resolved();
  shm::object_slot& slot = *ref.slot;
  // INV-WAITERS: counted before the first check below, uncounted after the last.
  slot.waiters.fetch_add(1, object::order);
  NTSTATUS result = STATUS_TIMEOUT;
  for (bool last_try = false;;) {
    std::uint64_t s;
    object::take_result r = object::try_take<Ops>(ref, &s);
    if (r == object::take_result::taken) {
      result = STATUS_WAIT_0;
      break;
    }
    if (r == object::take_result::dead) {
      result = STATUS_INVALID_HANDLE;
      break;
    }
    if (r == object::take_result::locked) {
      object::wait_while_locked(slot, s);
      continue;
    }
    // Not signaled.  A wake-up is always followed by one more try, so a unit
    // that was released for us is taken even when the deadline has passed.
    if (last_try) break;
    switch (sys::futex_wait(shm::state_futex_word(slot), static_cast<std::uint32_t>(s), until)) {
      case sys::futex_result::timed_out: last_try = true; break;
      case sys::futex_result::woken:
      case sys::futex_result::not_expected:
      case sys::futex_result::interrupted: break;
    }
  }
  slot.waiters.fetch_sub(1, object::order);
  return result;
}

}  // namespace

NTSTATUS wait_one_blocking(const target& t, const sys::deadline& until) {
  if (!object::add_ref(t.object)) return STATUS_INVALID_HANDLE;
  NTSTATUS result = object::visit_type(
      t.type, [&](auto ops) { return wait_until_taken<decltype(ops)>(t.object, until); },
      STATUS_INVALID_HANDLE);
  object::drop_ref(t.object);
  return result;
}

NTSTATUS sleep_until(const sys::deadline& timeout) {
  const sys::deadline until = timeout.resolved();
  static const std::uint32_t never_woken = 0;
  while (sys::futex_wait(&never_woken, 0, until) != sys::futex_result::timed_out) {
  }
  return STATUS_TIMEOUT;
}

}  // namespace ntsem::wait
