#include "handle/handle_table.hpp"

#include <deque>
#include <memory>
#include <mutex>

namespace ntsem::handle {
constinit std::atomic<detail::entry*> detail::chunks[detail::max_chunks] = {};

namespace {

using namespace detail;

constexpr std::uint32_t max_generation = 0x7FFF'FFFF;

struct table {
  std::mutex mutex;  // guards allocation: chunks, fresh, free list, tag changes
  std::uint32_t fresh = 1;  // next never-used index; index 0 is never used
  std::deque<std::uint32_t> free;  // first-in first-out: reuse as late as possible
  std::size_t live = 0;
};

table& the_table() {
  // Never destroyed: handles may be used by threads still running at exit.
  static table* t = new table;
  return *t;
}

inline HANDLE encode(std::uint32_t index, std::uint32_t generation) {
  return reinterpret_cast<HANDLE>((std::uintptr_t{generation} << 32) | (std::uintptr_t{index} << 2));
}

// Under t.mutex.  An entry whose tag is not LIVE, or nullptr when full.
entry* allocate(table& t, std::uint32_t* index) {
  if (!t.free.empty()) {
    *index = t.free.front();
    t.free.pop_front();
    return find_entry(*index);
  }
  if (t.fresh >= max_entries) return nullptr;
  std::uint32_t c = t.fresh >> chunk_bits;
  if (!chunks[c].load(std::memory_order_relaxed)) {
    entry* chunk = new (std::nothrow) entry[chunk_size];
    if (!chunk) return nullptr;
    chunks[c].store(chunk, std::memory_order_release);
  }
  *index = t.fresh++;
  return find_entry(*index);
}

}  // namespace

NTSTATUS insert(const handle_info& info, HANDLE* out) {
  table& t = the_table();
  std::lock_guard lock(t.mutex);
  std::uint32_t index;
  entry* e = allocate(t, &index);
  if (!e) return STATUS_INSUFFICIENT_RESOURCES;
  std::uint32_t generation = (e->tag.load(std::memory_order_relaxed) >> 1) + 1;
  // INV-ENTRY: fields first, then the tag that makes them live.  Release on
  // the field stores pairs with the readers' acquire loads (see read_live).
  e->slot.store(info.object.slot, std::memory_order_release);
  e->incarnation.store(info.object.incarnation, std::memory_order_release);
  e->home.store(info.object.home, std::memory_order_release);
  e->home_generation.store(info.object.home_generation, std::memory_order_release);
  e->access.store(info.access, std::memory_order_release);
  e->flags.store(info.flags & valid_flags, std::memory_order_release);
  e->type.store(static_cast<std::uint8_t>(info.type), std::memory_order_release);
  e->tag.store((generation << 1) | live_bit, std::memory_order_release);
  ++t.live;
  *out = encode(index, generation);
  return STATUS_SUCCESS;
}

NTSTATUS close(HANDLE h) {
  table& t = the_table();
  handle_info info;
  {
    std::lock_guard lock(t.mutex);
    entry* e = read_live(h, &info);
    if (!e) return STATUS_INVALID_HANDLE;
    if (info.flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) return STATUS_HANDLE_NOT_CLOSABLE;
    std::uint32_t generation = e->tag.load(std::memory_order_relaxed) >> 1;
    // The entry is dead from this store on; its generation is spent.
    e->tag.store(generation << 1, std::memory_order_release);
    decoded d{};
    decode(h, &d);
    if (generation < max_generation) t.free.push_back(d.index);  // else retired
    --t.live;
  }
  object::drop_ref(info.object);
  return STATUS_SUCCESS;
}

NTSTATUS set_flags(HANDLE h, DWORD mask, DWORD flags) {
  table& t = the_table();
  std::lock_guard lock(t.mutex);
  handle_info info;
  entry* e = read_live(h, &info);
  if (!e) return STATUS_INVALID_HANDLE;
  mask &= valid_flags;
  // Relaxed: the flags are read for their own value only; the mutex orders
  // this store against close.
  e->flags.store((info.flags & ~mask) | (flags & mask), std::memory_order_relaxed);
  return STATUS_SUCCESS;
}

std::size_t live_handles() {
  table& t = the_table();
  std::lock_guard lock(t.mutex);
  return t.live;
}

}  // namespace ntsem::handle
