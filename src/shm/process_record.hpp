// The process record: the file in which a process keeps the wait blocks of
// its threads, for other processes to read, claim and wake
// (docs/wait-engine.md, "The process record and its wait blocks").
//
// Like object_slot.hpp this is an ABI, read by processes of other builds:
// fixed-width fields, no pointer that another process reads, a magic and a
// layout version checked before anything else.
//
//   [0, 64)                          process_record_header
//   [64 + i * 64, 64 + (i + 1) * 64) wait block i, for i < block_count
//   T + i * 2112, 2112 bytes         block i's published wait-all targets,
//                                    T = 64 + block_count * 64
//
// Liveness: the owning process holds an OFD write lock on byte 0 for its
// whole life; a record whose byte 0 is free belongs to a process that ended.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "sys/robust_list.hpp"

namespace ntsem::shm {

inline constexpr char process_record_magic[8] = {'N', 'T', 'S', 'E', 'M', 'W', 'T', 'R'};
// Version 4: a made owner of an abandoned mutex is the owner and told flags
// together, out of the owner bits (claim::abandoned_flag).  Version 5: each
// block has a published wait-all (published_targets), and a wait-all served
// by a release is claimed in two steps (claim::serving).  Version 6: each
// published location carries the descriptor its process holds the object
// through (published_location::descriptor).
inline constexpr std::uint32_t process_record_version = 6;
inline constexpr std::size_t process_record_liveness_byte = 0;

struct process_record_header {
  char magic[8];                // process_record_magic
  std::uint32_t version;        // process_record_version
  std::uint32_t block_offset;   // 64
  std::uint32_t block_size;     // sizeof(wait_block): 64
  std::uint32_t block_count;
  std::uint32_t pid;            // the owner, in the namespace of its creator
  std::uint32_t targets_size;   // sizeof(published_targets): 2112
  // The owner's start time (clock ticks after boot, /proc/PID/stat field 22):
  // with the pid, it names the process even after its pid is reused.
  std::uint64_t start_time;
  std::uint8_t reserved[24];
};

// One thread's wait block.  Only the owning process writes thread_id and the
// robust entry; releasers write the claim word and the outcome.
struct alignas(64) wait_block {
  // Low half, a robust word (sys/robust_list.hpp): the owning thread's id
  // while it waits, else the outcome state.  High half: the wait's serial.
  std::atomic<std::uint64_t> claim;
  // The thread that uses this block; 0 while the block is free.
  std::atomic<std::uint32_t> thread_id;
  // Which object satisfied the wait, written by whoever won the claim.
  std::atomic<std::uint32_t> outcome;
  // The commit point of the wait-all this thread is taking (see `intent`
  // below): committed(serial) from the moment its objects are all to be
  // taken until they all are; 0 otherwise.  Written only by the owning
  // thread; read by whoever repairs an object that thread left marked.
  std::atomic<std::uint64_t> intent;
  // The claim word's entry in the owning thread's robust list, listed while
  // the block is in use.  Addresses of the owning process: no one else reads
  // them.
  sys::robust_entry entry;
  std::uint8_t reserved1[24];
};

static_assert(sizeof(process_record_header) == 64);
static_assert(offsetof(process_record_header, start_time) == 32);
static_assert(sizeof(wait_block) == 64);
static_assert(offsetof(wait_block, claim) == 0);
static_assert(offsetof(wait_block, thread_id) == 8);
static_assert(offsetof(wait_block, outcome) == 12);
static_assert(offsetof(wait_block, intent) == 16);
static_assert(offsetof(wait_block, entry) == 24);
// The kernel finds the claim word's low half from the entry.
static_assert(offsetof(wait_block, entry) + offsetof(sys::robust_entry, next) +
                  sys::robust_word_offset ==
              offsetof(wait_block, claim));
static_assert(std::endian::native == std::endian::little,
              "the claim word's robust half is its low half");

// Where each of a wait-all's objects is (object::object_location: the
// device and inode of the object's file, and the slot's offset in it), as
// its thread publishes them for the releasers of other processes
// (wait/serve_all.hpp, INV-SERVE).  Written by the owning thread only:
// the locations first, then the count (release); the count goes back to 0
// when the wait-all has left every queue.  A reader holds the lock of an
// object on which the wait-all's entry is queued, and trusts nothing it
// reads: each location must name an object it holds itself, or one it
// can open by name and finds there (namespace/held_elsewhere.hpp).
struct published_location {
  std::atomic<std::uint64_t> device;
  std::atomic<std::uint64_t> inode;
  std::atomic<std::uint64_t> offset;
  // The owning process's descriptor of the object's file, which stays open
  // while the wait lasts (its thread holds a reference on each target);
  // -1 for an object that has no file of its own (unnamed).  A releaser
  // that does not hold the object finds the file's name through it
  // (/proc/PID/fd/N), which the kernel lets only the same user or root do.
  std::atomic<std::int64_t> descriptor;
};
inline constexpr std::size_t published_targets_max = 64;  // MAXIMUM_WAIT_OBJECTS
struct alignas(64) published_targets {
  std::atomic<std::uint32_t> count;  // 0: nothing published
  std::uint8_t reserved[60];
  published_location at[published_targets_max];
};
static_assert(sizeof(published_location) == 32);
static_assert(sizeof(published_targets) == 64 + published_targets_max * 32);

inline constexpr std::size_t process_record_block_offset = sizeof(process_record_header);

inline constexpr std::size_t process_record_targets_offset(std::uint32_t block_count) {
  return process_record_block_offset + std::size_t{block_count} * sizeof(wait_block);
}

inline constexpr std::size_t process_record_bytes(std::uint32_t block_count) {
  return process_record_targets_offset(block_count) +
         std::size_t{block_count} * sizeof(published_targets);
}

// Block `index`'s wait block and published targets in a mapping of a
// record of `block_count` blocks at `base` (index < block_count).
inline wait_block* block_in(void* base, std::uint32_t index) {
  return reinterpret_cast<wait_block*>(static_cast<std::byte*>(base) +
                                       process_record_block_offset +
                                       std::size_t{index} * sizeof(wait_block));
}
inline published_targets* targets_in(void* base, std::uint32_t block_count, std::uint32_t index) {
  return reinterpret_cast<published_targets*>(static_cast<std::byte*>(base) +
                                              process_record_targets_offset(block_count) +
                                              std::size_t{index} * sizeof(published_targets));
}

// The claim word's low half: its robust word and the futex word its thread
// sleeps on.  Read and changed only through the 64-bit atomic.
inline constexpr std::uint64_t claim_robust_mask = 0xFFFF'FFFFu;

// The claim word (docs/wait-engine.md).  One wait of one thread:
//
//   idle(serial)                 low half 0: not waiting
//   waiting(serial, tid)         queued; a releaser may satisfy it
//   withdrawing(serial, tid)     its thread gave up (timeout) and is taking
//                                its entries out of the queues
//   covered(serial, index, tid)  waiting, and asleep with its robust list's
//                                pending slot on the owner word of mutex
//                                `index`: a releaser may hand it that mutex
//                                (object/mutex.hpp, INV-COVER)
//   satisfied(serial, index)     a releaser gave it object `index`
//   owner(serial, index, a)      a releaser gave it mutex `index` (abandoned
//                                by its last owner when `a`)
//   told(serial, index)          a release of object `index` woke it
//                                without giving it anything: it looks again
//   serving(serial, index)       a wait-all: a release of object `index` is
//                                taking all its objects for it
//                                (wait/serve_all.hpp)
//   satisfied(serial, index)     for a wait-all: that release took them all
//   alerted(serial, tid)         an alertable wait that a user APC queued to
//                                its thread ended (thread/alert.hpp); its
//                                thread is taking its entries out of the
//                                queues, as a withdrawing one does
//
// The high half holds the serial (24 bits, one more for every wait of the
// block), the index (6 bits) and the phase (2 bits); the low half holds the
// thread id exactly while the thread has entries in queues, so the kernel
// marks it FUTEX_OWNER_DIED if the thread dies then.  The one move a
// releaser makes, waiting -> satisfied, is a compare-and-swap expecting the
// serial and thread id of the entry it read (INV-CLAIM); an APC's queuer
// makes the one move waiting -> alerted the same way, and the thread itself
// the move waiting -> withdrawing.  Whichever comes first is the only one.
//
// alerted keeps the thread id in the low 30 bits, where the kernel looks for
// it, and adds FUTEX_WAITERS (sys::robust_waiters): the low half then
// differs from the value the thread sleeps on (its bare id), so a thread
// that looks at the word just before the move and sleeps just after it is
// not put to sleep (the futex compares the word first); and a thread that
// dies while alerted still has its word marked FUTEX_OWNER_DIED.
namespace claim {
inline constexpr std::uint32_t serial_mask = 0xFF'FFFFu;
inline constexpr int index_shift = 24;
inline constexpr std::uint32_t index_mask = 0x3F;
inline constexpr int phase_shift = 30;
enum class phase : std::uint32_t { waiting = 0, withdrawing = 1, satisfied = 2, alerted = 3 };

constexpr std::uint64_t make(std::uint32_t serial, phase p, std::uint32_t index,
                             std::uint32_t low) {
  const std::uint32_t high = (serial & serial_mask) | ((index & index_mask) << index_shift) |
                             (static_cast<std::uint32_t>(p) << phase_shift);
  return (std::uint64_t{high} << 32) | low;
}
constexpr std::uint64_t idle(std::uint32_t serial) { return make(serial, phase::waiting, 0, 0); }
constexpr std::uint64_t waiting(std::uint32_t serial, std::uint32_t tid) {
  return make(serial, phase::waiting, 0, tid);
}
constexpr std::uint64_t withdrawing(std::uint32_t serial, std::uint32_t tid) {
  return make(serial, phase::withdrawing, 0, tid);
}
constexpr std::uint64_t satisfied(std::uint32_t serial, std::uint32_t index) {
  return make(serial, phase::satisfied, index, 0);
}
// Flags in the low half of a satisfied word.  The low half holds no thread
// id then, so the kernel never marks it.  Owner and told are its two top
// bits (where the kernel keeps FUTEX_OWNER_DIED and FUTEX_WAITERS), outside
// the owner bits (FUTEX_TID_MASK), and abandoned is the two together (an
// owner that is also told: no wait is both).  So every satisfied word
// leaves the owner bits 0, and the kernel wakes the sleeper on such a word
// when the pending robust slot of a thread that dies points at it
// (INV-DEATHWAKE, object/handoff.hpp).
inline constexpr std::uint32_t owner_flag = 0x4000'0000u;
inline constexpr std::uint32_t told_flag = 0x8000'0000u;
inline constexpr std::uint32_t abandoned_flag = owner_flag | told_flag;
static_assert((abandoned_flag & sys::robust_tid_mask) == 0);
constexpr std::uint64_t owner(std::uint32_t serial, std::uint32_t index, bool abandoned) {
  return make(serial, phase::satisfied, index, abandoned ? abandoned_flag : owner_flag);
}
constexpr std::uint64_t told(std::uint32_t serial, std::uint32_t index) {
  return make(serial, phase::satisfied, index, told_flag);
}
// A wait-all's word while a release serves it: the owner flag, which a
// wait-all's word never has otherwise.
constexpr std::uint64_t serving(std::uint32_t serial, std::uint32_t index) {
  return make(serial, phase::satisfied, index, owner_flag);
}
// A waiting word whose thread covers mutex `index` (FUTEX_WAITERS marks it;
// the thread sleeps on this low half, so the move to it is made before the
// sleep by the thread itself).
constexpr std::uint64_t covered(std::uint32_t serial, std::uint32_t index, std::uint32_t tid) {
  return make(serial, phase::waiting, index, tid | sys::robust_waiters);
}
// Of a satisfied word.
constexpr bool is_told(std::uint64_t c) {
  return (static_cast<std::uint32_t>(c) & abandoned_flag) == told_flag;
}
constexpr bool is_abandoned(std::uint64_t c) {
  return (static_cast<std::uint32_t>(c) & abandoned_flag) == abandoned_flag;
}
constexpr bool is_owner(std::uint64_t c) { return (static_cast<std::uint32_t>(c) & owner_flag) != 0; }
constexpr std::uint64_t alerted(std::uint32_t serial, std::uint32_t tid) {
  return make(serial, phase::alerted, 0, tid | sys::robust_waiters);
}
constexpr std::uint32_t serial(std::uint64_t c) {
  return static_cast<std::uint32_t>(c >> 32) & serial_mask;
}
// The serial of the block's next wait, after the one claim word `c` holds.
constexpr std::uint32_t next_serial(std::uint64_t c) { return (serial(c) + 1) & serial_mask; }
constexpr std::uint32_t index(std::uint64_t c) {
  return static_cast<std::uint32_t>(c >> (32 + index_shift)) & index_mask;
}
constexpr phase phase_of(std::uint64_t c) {
  return static_cast<phase>(static_cast<std::uint32_t>(c >> (32 + phase_shift)));
}
constexpr std::uint32_t low(std::uint64_t c) { return static_cast<std::uint32_t>(c); }
// Whether `c` is wait (serial, tid) leaving the queues by itself (withdrawing
// or alerted) while its thread is alive: releasers pass its entries by.
constexpr bool leaving(std::uint64_t c, std::uint32_t serial, std::uint32_t tid) {
  return c == withdrawing(serial, tid) || c == alerted(serial, tid);
}
// Whether `c` is a word whose thread the kernel found dead (its robust mark:
// no thread id, OWNER_DIED), or an idle one (its wait over).  A satisfied
// word holds no thread id and is never marked (its owner flag, the same
// bit, is told apart by the phase).
constexpr bool ended(std::uint64_t c) {
  return phase_of(c) != phase::satisfied && (low(c) & sys::robust_tid_mask) == 0;
}
// Whether `c` is wait (serial, tid) still waiting, covered or not.
constexpr bool still_waiting(std::uint64_t c, std::uint32_t serial, std::uint32_t tid) {
  return phase_of(c) == phase::waiting && claim::serial(c) == (serial & serial_mask) &&
         (low(c) & ~sys::robust_waiters) == tid && tid != 0;
}
}  // namespace claim

// A wait-all's intent (wait/wait_all.cpp, INV-ALL).  The committing thread
// marks each of its objects (LOCKED, and a commit entry naming its wait
// block and the wait's serial), then stores committed(serial): from that
// store on, every marked object is to be taken, by the thread or, if it
// dies, by whoever repairs the object.  Any other value means the commit
// was not reached: a repairer undoes the mark.
namespace intent {
inline constexpr std::uint64_t none = 0;
constexpr std::uint64_t committed(std::uint32_t serial) {
  return (std::uint64_t{serial & claim::serial_mask} << 32) | 1;
}
}  // namespace intent

}  // namespace ntsem::shm
