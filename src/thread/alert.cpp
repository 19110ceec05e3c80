#include "thread/alert.hpp"

#include "shm/process_record.hpp"
#include "sys/futex.hpp"

namespace ntsem::thread {
namespace {

constexpr auto order = std::memory_order_seq_cst;  // INV-ALERT

// alert_armed's value while wait `serial` may be alerted (never 0).
constexpr std::uint64_t armed_serial(std::uint32_t serial) {
  return (std::uint64_t{serial} << 1) | 1;
}
constexpr bool is_armed(std::uint64_t armed) { return (armed & 1) != 0; }
constexpr std::uint32_t serial_of(std::uint64_t armed) {
  return static_cast<std::uint32_t>(armed >> 1);
}

// Ends t's armed wait if it is still waiting (INV-ALERT, the queuer's side).
void alert(thread_object& t) {
  const std::uint64_t armed = t.alert_armed.load(order);
  if (!is_armed(armed)) return;
  // Acquire pairs with the release store made before the first arming.
  std::atomic<std::uint64_t>* claim = t.alert_claim.load(std::memory_order_acquire);
  const std::uint32_t serial = serial_of(armed);
  // Waiting, or waiting covered (asleep on a mutex, object/mutex.hpp): the
  // same wait either way.
  std::uint64_t expected = claim->load(order);
  do {
    if (!shm::claim::still_waiting(expected, serial, t.id)) return;
  } while (!claim->compare_exchange_weak(expected, shm::claim::alerted(serial, t.id), order));
  // The wait block stays mapped for the process's life; a wake that
  // arrives after the wait has ended is spurious to the next one.
  sys::futex_wake(reinterpret_cast<const std::uint32_t*>(claim), 1);
}

}  // namespace

NTSTATUS queue_user_apc(thread_object& t, const user_apc& apc) {
  if (!t.apcs.push(apc)) return STATUS_UNSUCCESSFUL;
  alert(t);
  return STATUS_SUCCESS;
}

bool apcs_queued() {
  const thread_object* self = current_thread_if_made();
  return self && self->apcs.pending();
}

NTSTATUS deliver_apcs(NTSTATUS status) {
  if (status != STATUS_USER_APC) return status;
  thread_object* self = current_thread_if_made();
  if (!self) return status;
  while (const std::optional<user_apc> apc = self->apcs.pop())
    apc->routine(apc->arguments[0], apc->arguments[1], apc->arguments[2]);
  return status;
}

alertable_wait::alertable_wait(bool alertable) {
  if (alertable && current_thread(&self_) != STATUS_SUCCESS) self_.reset();
}

alertable_wait::~alertable_wait() {
  if (self_) self_->alert_armed.store(0, order);
}

bool alertable_wait::arm(std::atomic<std::uint64_t>& claim, std::uint32_t serial) {
  if (!self_) return false;
  self_->alert_claim.store(&claim, std::memory_order_release);
  self_->alert_armed.store(armed_serial(serial), order);
  return self_->apcs.pending();
}

}  // namespace ntsem::thread
