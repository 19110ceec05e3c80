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

NTSTATUS query_semaphore(const object_ref& ref, LONG* current, LONG* maximum) {
  LONG m = ref.slot->maximum.load(std::memory_order_relaxed);
  std::uint64_t s = wait_while_locked(*ref.slot, ref.slot->state.load(order));  // INV-LOCK
  if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
  *current = static_cast<LONG>(shm::state::value(s));
  *maximum = m;
  return STATUS_SUCCESS;
}

}  // namespace ntsem::object
