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
  const LONG m = ref.slot->maximum.load(std::memory_order_relaxed);
  std::uint32_t count = 0;
  if (NTSTATUS s = read_value(ref, &count); s != STATUS_SUCCESS) return s;
  *current = static_cast<LONG>(count);
  *maximum = m;
  return STATUS_SUCCESS;
}

}  // namespace ntsem::object
