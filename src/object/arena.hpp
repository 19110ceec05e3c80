// The process's arena: the shared memory that holds its unnamed objects, one
// 64-byte slot each.  Backed by a memfd so that another process can map it when
// a handle is inherited or duplicated; grows in place up to a fixed
// reservation (arena_max_slots).
//
// Slots are recycled first-in first-out, so a slot is reused as late as
// possible; together with the incarnation in every state word this keeps an
// operation through a stale handle from ever touching a newer object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "object/object_ref.hpp"
#include "sys/shared_memory.hpp"

namespace ntsem::object {

// 2^24 slots = 1 GiB of address space reserved (not memory: pages are used only
// when touched).  Well above the 1,000,000 live objects ntsem is built for.
inline constexpr std::size_t arena_max_slots = std::size_t{1} << 24;
// Growth step: 16,384 slots (1 MiB).  Arbitrary; one ftruncate+mmap per step.
inline constexpr std::size_t arena_grow_slots = 16384;
// Queue entries shared by the queues of all the arena's objects: as many
// threads may wait at once on its objects, counting a thread once for each
// object it waits on.  2 MiB of a memfd, used only where touched.
inline constexpr std::uint32_t arena_queue_entries = 65536;

class arena {
 public:
  // A slot for a new object of `type`, its state value `value` and one
  // reference; false when the arena is full or the kernel refuses memory.
  // `init` runs on the slot before it is published (type-specific fields).
  template <class Init>
  bool create(shm::object_type type, std::uint32_t value, Init&& init, object_ref* out) {
    shm::object_slot* slot = take_free_slot();
    if (!slot) return false;
    init(*slot);
    *out = publish(slot, type, value);
    return true;
  }
  // The release operation of an arena object's home (its last reference).
  void destroy(object_home& home);

  std::size_t live_objects() const;
  int fd() const { return region_.fd(); }

 private:
  shm::object_slot* take_free_slot();
  object_ref publish(shm::object_slot* slot, shm::object_type type, std::uint32_t value);

  std::size_t index_of(const object_home& home) const { return std::size_t(&home - homes_); }

  mutable std::mutex mutex_;
  sys::shared_region region_;
  sys::shared_region entries_;  // the queue entries (arena_queue_entries)
  // This process's references to each slot's object, one home a slot, in
  // private memory reserved alongside the slots.
  object_home* homes_ = nullptr;
  bool created_ = false;
  struct { std::uint64_t device = 0, inode = 0; } file_;  // the slots' memfd (object_location)
  std::size_t slots_mapped_ = 0;
  std::size_t slots_used_ = 0;  // slots ever handed out (the high-water mark)
  std::deque<std::uint32_t> free_;
  std::size_t live_ = 0;
};

arena& process_arena();

// The `init` of a type that has no maximum (0): a reused slot may still
// hold a semaphore's.
inline void clear_maximum(shm::object_slot& slot) {
  slot.maximum.store(0, std::memory_order_relaxed);
}

}  // namespace ntsem::object
