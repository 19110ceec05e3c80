#include "support/semaphore_state.hpp"

#include "handle/handle_table.hpp"
#include "object/arena.hpp"
#include "object/wait_queue.hpp"

namespace ntsem::test {

HANDLE full_access_duplicate(HANDLE h) {
  static_assert(SEMAPHORE_ALL_ACCESS == EVENT_ALL_ACCESS);
  HANDLE full = nullptr;
  if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &full, SEMAPHORE_ALL_ACCESS,
                       FALSE, 0))
    return nullptr;
  return full;
}

semaphore_state state_of(HANDLE h) {
  HANDLE full = full_access_duplicate(h);
  if (!full) return {};
  SEMAPHORE_BASIC_INFORMATION info{};
  NTSTATUS status =
      NtQuerySemaphore(full, SemaphoreBasicInformation, &info, sizeof(info), nullptr);
  CloseHandle(full);
  if (status != STATUS_SUCCESS) return {};
  return {info.CurrentCount, info.MaximumCount};
}

static shm::object_slot* slot_of(HANDLE h) {
  handle::handle_info info;
  return handle::lookup(h, &info) == STATUS_SUCCESS ? info.object.slot : nullptr;
}

std::uint32_t queue_length(HANDLE h) {
  handle::handle_info info;
  if (handle::lookup(h, &info) != STATUS_SUCCESS) return 0;
  shm::object_slot& slot = *info.object.slot;
  const object::wait_queue queue(slot.queue_head, slot.queue_tail, info.object.home->queue_area);
  std::uint32_t n = 0;
  for (auto i = queue.first(); i && n < info.object.home->queue_area.count; i = queue.after(*i))
    ++n;
  return n;
}

std::string queued_kinds(HANDLE h) {
  handle::handle_info info;
  if (handle::lookup(h, &info) != STATUS_SUCCESS) return "";
  shm::object_slot& slot = *info.object.slot;
  const shm::entry_area& area = info.object.home->queue_area;
  const object::wait_queue queue(slot.queue_head, slot.queue_tail, area);
  std::string kinds;
  std::uint32_t n = 0;
  for (auto i = queue.first(); i && n < area.count; i = queue.after(*i), ++n) {
    if (!kinds.empty()) kinds += ' ';
    switch (shm::entry_kind_of(area.entries[*i])) {
      case shm::entry_kind::wait_any: kinds += "any"; break;
      case shm::entry_kind::wait_all: kinds += "all"; break;
      case shm::entry_kind::commit: kinds += "commit"; break;
    }
  }
  return kinds;
}

std::uint32_t entries_in_use(HANDLE h) {
  handle::handle_info info;
  if (handle::lookup(h, &info) != STATUS_SUCCESS) return 0;
  const shm::entry_area& area = info.object.home->queue_area;
  std::uint32_t n = 0;
  for (std::uint32_t i = 0; i < area.count; ++i)
    if (area.entries[i].state.load() != static_cast<std::uint32_t>(shm::entry_state::free)) ++n;
  return n;
}

std::size_t live_objects() { return object::process_arena().live_objects(); }

}  // namespace ntsem::test
