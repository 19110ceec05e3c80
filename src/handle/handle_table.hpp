// The process's handle table.
//
// A HANDLE value is (generation << 32) | (index << 2): the low two bits are
// ignored (as on Windows), the index names an entry, and the generation must
// match the entry's current one.  Each close advances the entry's generation,
// so a closed value never becomes valid again; an entry whose generation space
// is exhausted (2^31 closes) is retired.  Values with bit 63 set are pseudo
// handles (GetCurrentProcess() is -1) and never name an entry.
//
// Entries live in chunks that are allocated on demand and never freed, so a
// lookup can read an entry at any time.  Lookup takes no lock: it reads the
// entry's tag, its fields, and the tag again (a sequence lock), and succeeds
// only if the tag is unchanged and names the handle's generation.
//
// Entry tag: bits 1..31 generation, bit 0 LIVE.
//   INV-ENTRY  The fields of an entry are written only while its tag is not
//              LIVE, before the release-store that makes it LIVE; so a reader
//              that sees the same LIVE tag before and after reading the
//              fields has read the fields of that generation.  (The flags
//              word alone changes while LIVE, by SetHandleInformation; each
//              of its values is a valid one.)
// Each LIVE entry owns one reference to its object (object::drop_ref on close).
#pragma once

#include <atomic>
#include <cstdint>

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "shm/object_slot.hpp"

namespace ntsem::handle {

struct handle_info {
  object::object_ref object;
  shm::object_type type = shm::object_type::none;
  ACCESS_MASK access = 0;
  DWORD flags = 0;  // HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE
};

inline constexpr DWORD valid_flags = HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE;

// The pseudo handles of the current process and thread.
inline HANDLE current_process() { return reinterpret_cast<HANDLE>(static_cast<intptr_t>(-1)); }
inline HANDLE current_thread() { return reinterpret_cast<HANDLE>(static_cast<intptr_t>(-2)); }
inline bool is_pseudo(HANDLE h) { return static_cast<intptr_t>(reinterpret_cast<uintptr_t>(h)) < 0; }
// The pseudo handles -1 to -6, which CloseHandle accepts and ignores.
inline bool is_closable_pseudo(HANDLE h) {
  const auto v = static_cast<intptr_t>(reinterpret_cast<uintptr_t>(h));
  return v >= -6 && v <= -1;
}

// Adds an entry that takes over one reference to info.object.
// STATUS_INSUFFICIENT_RESOURCES when the table is full.
NTSTATUS insert(const handle_info& info, HANDLE* out);

// Fills *out for a live handle; STATUS_INVALID_HANDLE otherwise.  Lock-free
// and inline: it is on every call's path.
inline NTSTATUS lookup(HANDLE h, handle_info* out);

// Closes the handle and drops its reference.  STATUS_HANDLE_NOT_CLOSABLE for
// a handle with HANDLE_FLAG_PROTECT_FROM_CLOSE.
NTSTATUS close(HANDLE h);

// Replaces the flags selected by `mask` with those of `flags` (unknown bits
// ignored).
NTSTATUS set_flags(HANDLE h, DWORD mask, DWORD flags);

// Number of live handles (for tests and tools).
std::size_t live_handles();

namespace detail {

inline constexpr std::uint32_t chunk_bits = 12;  // 4096 entries a chunk
inline constexpr std::uint32_t chunk_size = 1u << chunk_bits;
// 2^24 entries: room for the 1,000,000 objects ntsem is built for, with their
// duplicates.  The chunk directory is 32 KiB of static storage.
inline constexpr std::uint32_t max_chunks = 4096;
inline constexpr std::uint32_t max_entries = chunk_size * max_chunks;
inline constexpr std::uint32_t live_bit = 1;

struct entry {
  std::atomic<std::uint32_t> tag{0};  // generation << 1 | LIVE
  // The fields (INV-ENTRY).  Atomic so that a reader racing a writer reads
  // some value rather than a torn one; the tag check discards it.
  std::atomic<shm::object_slot*> slot{nullptr};
  std::atomic<std::uint32_t> incarnation{0};
  std::atomic<object::object_home*> home{nullptr};
  std::atomic<std::uint32_t> home_generation{0};
  std::atomic<std::uint32_t> access{0};
  std::atomic<std::uint32_t> flags{0};
  std::atomic<std::uint8_t> type{0};
};

// The chunk directory: chunks are allocated on demand and never freed.
// Constant-initialized, so a lookup needs no initialization guard.
extern constinit std::atomic<entry*> chunks[max_chunks];

struct decoded {
  std::uint32_t index;
  std::uint32_t generation;
};

inline bool decode(HANDLE h, decoded* d) {
  auto v = reinterpret_cast<std::uintptr_t>(h);
  if (v >> 63) return false;  // pseudo handle
  d->index = static_cast<std::uint32_t>((v & 0xFFFF'FFFFu) >> 2);  // low two bits ignored
  d->generation = static_cast<std::uint32_t>(v >> 32);
  return d->generation != 0 && d->index != 0 && d->index < max_entries;
}

inline entry* find_entry(std::uint32_t index) {
  entry* chunk = chunks[index >> chunk_bits].load(std::memory_order_acquire);
  return chunk ? &chunk[index & (chunk_size - 1)] : nullptr;
}

// Reads the entry of a live handle (INV-ENTRY); nullptr if it is not live.
inline entry* read_live(HANDLE h, handle_info* out) {
  decoded d;
  if (!decode(h, &d)) return nullptr;
  entry* e = find_entry(d.index);
  if (!e) return nullptr;
  const std::uint32_t want = (d.generation << 1) | live_bit;
  if (e->tag.load(std::memory_order_acquire) != want) return nullptr;
  // Acquire on each field: if one of them reads a value written for a later
  // generation, the tag re-read below is ordered after it and sees that
  // generation's (or a later) tag, so the mismatch is caught.
  out->object.slot = e->slot.load(std::memory_order_acquire);
  out->object.incarnation = e->incarnation.load(std::memory_order_acquire);
  out->object.home = e->home.load(std::memory_order_acquire);
  out->object.home_generation = e->home_generation.load(std::memory_order_acquire);
  out->access = e->access.load(std::memory_order_acquire);
  out->flags = e->flags.load(std::memory_order_acquire);
  out->type = static_cast<shm::object_type>(e->type.load(std::memory_order_acquire));
  if (e->tag.load(std::memory_order_relaxed) != want) return nullptr;
  return e;
}

}  // namespace detail

inline NTSTATUS lookup(HANDLE h, handle_info* out) {
  return detail::read_live(h, out) ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
}

}  // namespace ntsem::handle
