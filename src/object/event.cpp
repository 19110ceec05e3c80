#include "object/event.hpp"

#include "object/arena.hpp"

namespace ntsem::object {

NTSTATUS create_event(bool manual_reset, bool signaled, object_ref* out) {
  const bool ok = process_arena().create(shm::object_type::event,
                                         event_ops::value_of(manual_reset, signaled),
                                         clear_maximum, out);
  return ok ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS query_event(const object_ref& ref, bool* manual_reset, bool* signaled) {
  std::uint32_t value = 0;
  if (NTSTATUS s = read_value(ref, &value); s != STATUS_SUCCESS) return s;
  *manual_reset = event_ops::manual_reset(value);
  *signaled = event_ops::signaled(value);
  return STATUS_SUCCESS;
}

}  // namespace ntsem::object
