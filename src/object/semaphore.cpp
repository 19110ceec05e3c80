#include "object/semaphore.hpp"

#include "object/arena.hpp"
#include "object/state_word.hpp"

namespace ntsem::object {

NTSTATUS create_semaphore(LONG initial, LONG maximum, object_ref* out) {
  if (maximum <= 0 || initial < 0 || initial > maximum) return STATUS_INVALID_PARAMETER;
  bool ok = process_arena().create(
      shm::object_type::semaphore, static_cast<std::uint32_t>(initial),
      [&](shm::object_slot& slot) { slot.maximum.store(maximum, std::memory_order_relaxed); },
      out);
  return ok ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS release_semaphore(const object_ref& ref, LONG count, LONG* previous) {
  shm::object_slot& slot = *ref.slot;
  // Relaxed: the maximum never changes during the object's life; if the
  // object died, the compare-and-swap below fails whatever was read.
  const auto maximum = static_cast<std::uint32_t>(slot.maximum.load(std::memory_order_relaxed));
  std::uint64_t s = slot.state.load(order);
  std::uint32_t old_count;
  for (;;) {
    if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
    if (s & shm::state::locked) {  // INV-LOCK
      s = wait_while_locked(slot, s);
      continue;
    }
    old_count = shm::state::value(s);
    // INV-COUNT; the 64-bit sum cannot overflow, so "count + n overflows"
    // is just another way to pass the maximum.
    if (std::uint64_t{old_count} + static_cast<std::uint32_t>(count) > maximum)
      return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    if (slot.state.compare_exchange_weak(
            s, shm::state::with_value(s, old_count + static_cast<std::uint32_t>(count)), order))
      break;
  }
  wake_after_change(slot, static_cast<int>(count));
  if (previous) *previous = static_cast<LONG>(old_count);
  return STATUS_SUCCESS;
}

NTSTATUS query_semaphore(const object_ref& ref, LONG* current, LONG* maximum) {
  LONG m = ref.slot->maximum.load(std::memory_order_relaxed);
  std::uint64_t s = wait_while_locked(*ref.slot, ref.slot->state.load(order));  // INV-LOCK
  if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
  *current = static_cast<LONG>(shm::state::value(s));
  *maximum = m;
  return STATUS_SUCCESS;
}

}  // namespace ntsem::object
