// Queue entries: one waiting thread's place in one object's FIFO of
// waiters (docs/wait-engine.md, "Queue entries").  They live with the
// object, in an entry area of its file (named) or of its arena (unnamed), so
// that everyone who may release the object may also change them.
//
// An ABI like object_slot.hpp.  Everything in an entry is untrusted: a
// reader bounds-checks `next` and `block` and treats a nonsensical entry as
// the end of its queue (object/wait_queue.hpp), never as a pointer or size.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ntsem::shm {

enum class entry_state : std::uint32_t {
  free = 0,
  taken = 1,   // allocated by a waiter, being filled or queued
  offered = 2, // queued, holding a unit reserved for its waiter
};

enum class entry_kind : std::uint8_t { wait_any = 0, wait_all = 1 };

// Every field is written while the object lives, so every field is atomic
// (relaxed is enough: the object's queue lock orders them, and a reader
// that does not hold it trusts nothing it reads).
struct queue_entry {
  // entry_state; compare-and-swap from free allocates the entry.
  std::atomic<std::uint32_t> state;
  // 1 + the index of the next entry of the same queue; 0 for the last.
  std::atomic<std::uint32_t> next;
  // The waiter: its process record (names::record_name), its wait block in
  // that record and the serial of the wait (the claim word's high half
  // while it waits).
  std::atomic<std::uint32_t> pid;
  std::atomic<std::uint32_t> nonce;
  std::atomic<std::uint32_t> block;
  std::atomic<std::uint32_t> serial;
  // The object's index in the wait (WAIT_OBJECT_0 + index) in bits 0..7,
  // the entry_kind in bits 8..15.
  std::atomic<std::uint32_t> place;
  std::uint32_t reserved;
};

inline constexpr std::uint32_t make_place(std::uint8_t index, entry_kind kind) {
  return index | (std::uint32_t{static_cast<std::uint8_t>(kind)} << 8);
}

static_assert(sizeof(queue_entry) == 32);
static_assert(offsetof(queue_entry, next) == 4);
static_assert(offsetof(queue_entry, pid) == 8);
static_assert(offsetof(queue_entry, serial) == 20);
static_assert(offsetof(queue_entry, place) == 24);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);

}  // namespace ntsem::shm
