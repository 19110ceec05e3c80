#include "object/thread.hpp"

#include "object/arena.hpp"
#include "object/handoff.hpp"
#include "object/object_type.hpp"

namespace ntsem::object {

NTSTATUS create_thread_object(object_ref* out) {
  const bool ok = process_arena().create(shm::object_type::thread, 0, clear_maximum, out);
  return ok ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS end_thread_object(const object_ref& ref) {
  std::uint32_t old = 0;
  std::uint32_t now = 0;
  return change_value<thread_ops>(
      ref,
      [](std::uint32_t, std::uint32_t* next) {
        *next = thread_ops::ended;
        return STATUS_SUCCESS;
      },
      &old, &now);
}

}  // namespace ntsem::object
