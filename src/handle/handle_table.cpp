#include "handle/handle_table.hpp"

#include <deque>
#include <memory>
#include <mutex>

namespace ntsem::handle {
namespace {

constexpr std::uint32_t chunk_bits = 12;  // 4096 entries a chunk
constexpr std::uint32_t chunk_size = 1u << chunk_bits;
// 2^24 entries: room for the 1,000,000 objects ntsem is built for, with their
// duplicates.  The chunk directory is 32 KiB of static storage.
constexpr std::uint32_t max_chunks = 4096;
constexpr std::uint32_t max_entries = chunk_size * max_chunks;
constexpr std::uint32_t live_bit = 1;
constexpr std::uint32_t max_generation = 0x7FFF'FFFF;

struct entry {
  std::atomic<std::uint32_t> tag{0};  // generation << 1 | LIVE
  // The fields (INV-ENTRY).  Atomic so that a reader racing a writer reads
  // some value rather than a torn one; the tag check discards it.
  std::atomic<shm::object_slot*> slot{nullptr};
  std::atomic<std::uint32_t> incarnation{0};
  std::atomic<std::uint32_t> access{0};
  std::atomic<std::uint32_t> flags{0};
  std::atomic<std::uint8_t> type{0};
};

// The chunk directory, constant-initialized so that a lookup needs no guard.
constinit std::atomic<entry*> chunks[max_chunks] = {};

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

struct decoded {
  std::uint32_t index;
  std::uint32_t generation;
};

inline bool decode(HANDLE h, decoded* d) {
  auto v = reinterpret_cast<std::uintptr_t>(h);
  if (v >> 63) return false;  // pseudo handle
  d->index = static_cast<std::uint32_t>((v & 0xFFFF'FFFFu) >> 2);
  d->generation = static_cast<std::uint32_t>(v >> 32);
  return d->generation != 0 && d->index != 0 && d->index < max_entries;
}

inline HANDLE encode(std::uint32_t index, std::uint32_t generation) {
  return reinterpret_cast<HANDLE>((std::uintptr_t{generation} << 32) | (std::uintptr_t{index} << 2));
}

inline entry* find_entry(std::uint32_t index) {
  entry* chunk = chunks[index >> chunk_bits].load(std::memory_order_acquire);
  return chunk ? &chunk[index & (chunk_size - 1)] : nullptr;
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

// Reads the entry of a live handle, lock-free (INV-ENTRY).
inline entry* read_live(HANDLE h, handle_info* out) {
  decoded d;
  if (!decode(h, &d)) return nullptr;
  entry* e = find_entry(d.index);
  if (!e) return nullptr;
  const std::uint32_t want = (d.generation << 1) | live_bit;
  if (e->tag.load(std::memory_order_acquire) != want) return nullptr;
  if (out) {
    // Acquire on each field: if one of them reads a value written for a later
    // generation, the tag re-read below is ordered after it and sees that
    // generation's (or a later) tag, so the mismatch is caught.
    out->object.slot = e->slot.load(std::memory_order_acquire);
    out->object.incarnation = e->incarnation.load(std::memory_order_acquire);
    out->access = e->access.load(std::memory_order_acquire);
    out->flags = e->flags.load(std::memory_order_acquire);
    out->type = static_cast<shm::object_type>(e->type.load(std::memory_order_acquire));
    if (e->tag.load(std::memory_order_relaxed) != want) return nullptr;
  }
  return e;
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
  e->access.store(info.access, std::memory_order_release);
  e->flags.store(info.flags & valid_flags, std::memory_order_release);
  e->type.store(static_cast<std::uint8_t>(info.type), std::memory_order_release);
  e->tag.store((generation << 1) | live_bit, std::memory_order_release);
  ++t.live;
  *out = encode(index, generation);
  return STATUS_SUCCESS;
}

NTSTATUS lookup(HANDLE h, handle_info* out) {
  return read_live(h, out) ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
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
