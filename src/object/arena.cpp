#include "object/arena.hpp"

#include <new>

#include "object/wait_queue.hpp"
#include "sys/file.hpp"
#include "sys/shared_memory.hpp"

namespace ntsem::object {

namespace {
const home_operations arena_home{[](object_home& home) { process_arena().destroy(home); }};
}  // namespace

arena& process_arena() {
  // Never destroyed: objects may be used by threads still running at exit.
  static arena* a = new arena;
  return *a;
}

shm::object_slot* arena::take_free_slot() {
  std::lock_guard lock(mutex_);
  if (!created_) {
    if (!region_.create("ntsem-arena", arena_max_slots * sizeof(shm::object_slot))) return nullptr;
    constexpr std::size_t entry_bytes = std::size_t{arena_queue_entries} * sizeof(shm::queue_entry);
    if (!entries_.create("ntsem-arena-queues", entry_bytes) || !entries_.grow_to(entry_bytes))
      return nullptr;
    // Private and zero-filled on first touch, like the slots.
    homes_ = static_cast<object_home*>(
        sys::reserve_zeroed_memory(arena_max_slots * sizeof(object_home)));
    if (!homes_) return nullptr;
    sys::file_identity id{};
    if (sys::identify(region_.fd(), &id) != sys::file_error::ok) return nullptr;
    file_ = {static_cast<std::uint64_t>(id.device), static_cast<std::uint64_t>(id.inode)};
    created_ = true;
  }
  auto* slots = reinterpret_cast<shm::object_slot*>(region_.base());
  if (!free_.empty()) {
    std::uint32_t index = free_.front();
    free_.pop_front();
    ++live_;
    return &slots[index];
  }
  if (slots_used_ == slots_mapped_) {
    std::size_t want = slots_mapped_ + arena_grow_slots;
    if (want > arena_max_slots) return nullptr;
    if (!region_.grow_to(want * sizeof(shm::object_slot))) return nullptr;
    slots_mapped_ = want;
  }
  shm::object_slot* slot = &slots[slots_used_++];
  // A fresh slot is zero-filled memory: its first object gets incarnation 1.
  slot->state.store(shm::state::make(1, 0), std::memory_order_relaxed);
  new (&homes_[slots_used_ - 1]) object_home{};
  ++live_;
  return slot;
}

object_ref arena::publish(shm::object_slot* slot, shm::object_type type, std::uint32_t value) {
  // The slot is not reachable by any other thread yet (it was free, and its
  // previous incarnation's handles all fail their incarnation check), so
  // plain and relaxed writes are enough here; the handle table publishes the
  // reference with release ordering.
  // The incarnation was advanced when the previous object died (or set to 1
  // for a fresh slot); no handle refers to it yet.
  std::uint32_t incarnation = shm::state::incarnation(slot->state.load(std::memory_order_relaxed));
  slot->magic = shm::slot_magic;
  slot->version = shm::layout_version;
  slot->type = static_cast<std::uint8_t>(type);
  slot->reserved0 = 0;
  slot->state.store(shm::state::make(incarnation, value), std::memory_order_release);
  auto index = static_cast<std::size_t>(slot - reinterpret_cast<shm::object_slot*>(region_.base()));
  object_home& home = homes_[index];
  home.queue_area = {reinterpret_cast<shm::queue_entry*>(entries_.base()), arena_queue_entries};
  home.location = {file_.device, file_.inode, index * sizeof(shm::object_slot)};
  return object_ref{slot, incarnation, &home, start_home(home, arena_home)};
}

void arena::destroy(object_home& home) {
  const std::size_t index = index_of(home);
  shm::object_slot* slot = reinterpret_cast<shm::object_slot*>(region_.base()) + index;
  // INV-INCARNATION: the state word's incarnation moves on (never to 0), so
  // any operation still in flight through a stale handle fails its compare-
  // and-swap from now on; the home already refuses new references (refs ==
  // 0).
  const std::uint32_t old = shm::state::incarnation(slot->state.load(std::memory_order_relaxed));
  std::uint32_t next = (old + 1) & shm::state::incarnation_mask;
  if (next == 0) next = 1;
  slot->state.store(shm::state::make(next, 0), std::memory_order_seq_cst);
  // Every waiter holds a reference, so what is still queued is stale: the
  // entries of waits that are over, left for their threads to take out
  // (wait/stale_entries.hpp), who can no longer reach the object.  They go
  // with it.  Nobody else uses the queue now (no reference is left).
  wait_queue(slot->queue_head, slot->queue_tail, home.queue_area).clear();
  slot->type = static_cast<std::uint8_t>(shm::object_type::none);
  std::lock_guard lock(mutex_);
  free_.push_back(static_cast<std::uint32_t>(index));
  --live_;
}

std::size_t arena::live_objects() const {
  std::lock_guard lock(mutex_);
  return live_;
}

}  // namespace ntsem::object
