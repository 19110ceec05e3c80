#include "object/handoff.hpp"

#include "object/commit_mark.hpp"
#include "sys/futex.hpp"
#include "sys/robust_lock.hpp"

namespace ntsem::object {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

}  // namespace

queue_hold::queue_hold(shm::object_slot& slot, const entry_area& area, sys::lock_hold how)
    : slot_(slot), area_(area), how_(how), queue_(slot.queue_head, slot.queue_tail, area) {
  if (sys::robust_lock(slot_.queue_lock, slot_.queue_lock_entry, how_) ==
      sys::lock_taken::owner_died)
    repair();
}

queue_hold::~queue_hold() {
  sys::robust_unlock(slot_.queue_lock, slot_.queue_lock_entry, how_);
  // After the lock: a woken waiter finds it free.  A word whose wait has
  // ended meanwhile gets a wake that its next wait treats as spurious.
  for (const pending_wake& w : wakes_) sys::futex_wake(w.word, 1);
}

NTSTATUS queue_hold::freeze(std::uint32_t incarnation, std::uint64_t* out) {
  std::uint64_t s = slot_.state.load(order);
  for (;;) {
    if (shm::state::incarnation(s) != incarnation) return STATUS_INVALID_HANDLE;
    // Once QUEUED is set, only holders of the lock change the value.
    if ((s & shm::state::queued) ||
        slot_.state.compare_exchange_weak(s, s | shm::state::queued, order)) {
      *out = s | shm::state::queued;
      return STATUS_SUCCESS;
    }
  }
}

void queue_hold::seal(std::uint64_t* s, std::uint32_t v) {
  const std::uint64_t sealed = shm::state::with_value(*s, v) | shm::state::locked;
  // Frozen: nobody else changes the word, so only a spurious failure retries.
  while (!slot_.state.compare_exchange_weak(*s, sealed, order)) {
  }
  *s = sealed;
}

void queue_hold::store(std::uint64_t s, std::uint32_t v) {
  std::uint64_t desired = shm::state::with_value(s, v) & ~shm::state::locked;
  desired = queue_.empty() ? desired & ~shm::state::queued : desired | shm::state::queued;
  // Frozen (INV-QUEUE): nobody else changes the word, so only a spurious
  // failure retries.
  while (!slot_.state.compare_exchange_weak(s, desired, order)) {
  }
}

// The previous holder died holding the lock, anywhere in a change: mend the
// list (wait_queue::repair); finish or undo a wait-all's commit it was
// making (repair_commit, INV-ALL); then make QUEUED say what the list now
// holds (INV-QUEUE).  Its other work is whole or absent: a waiter it
// claimed owns its unit, and a value it did not store was never changed.
void queue_hold::repair() {
  queue_.repair();
  repair_commit(*this, slot_);
  const bool empty = queue_.empty();
  std::uint64_t s = slot_.state.load(order);
  for (;;) {
    const std::uint64_t desired = empty ? s & ~shm::state::queued : s | shm::state::queued;
    if (desired == s || slot_.state.compare_exchange_weak(s, desired, order)) return;
  }
}

void stamp_entry(shm::queue_entry& e, const waiter_stamp& who, std::uint16_t place) {
  e.pid.store(who.record.pid, relaxed);
  e.nonce.store(who.record.nonce, relaxed);
  e.block.store(static_cast<std::uint16_t>(who.block), relaxed);
  e.place.store(place, relaxed);
  e.thread_id.store(who.thread_id, relaxed);
  e.serial.store(who.serial, relaxed);
}

bool stamped_by(const shm::queue_entry& e, const waiter_stamp& who) {
  return e.pid.load(relaxed) == who.record.pid && e.nonce.load(relaxed) == who.record.nonce &&
         e.block.load(relaxed) == who.block && e.serial.load(relaxed) == who.serial;
}

claim_outcome queue_hold::claim(std::uint32_t index) {
  shm::queue_entry& e = area_.entries[index];
  const names::record_name name{e.pid.load(relaxed), e.nonce.load(relaxed)};
  names::record_ref record;
  switch (names::map_record(name, &record)) {
    case STATUS_SUCCESS: break;
    case STATUS_OBJECT_NAME_NOT_FOUND:  // its process has ended
    case STATUS_FILE_CORRUPT_ERROR:     // no record of ours: a bogus entry
      return claim_outcome::gone;
    default:
      // Another user's record, or no descriptor or memory to map it: the
      // waiter is alive as far as we know, so it is told, not dropped.
      return claim_outcome::unreachable;
  }
  shm::wait_block* block = record->block(e.block.load(relaxed));
  if (!block) return claim_outcome::gone;
  const std::uint32_t serial = e.serial.load(relaxed) & shm::claim::serial_mask;
  const std::uint32_t tid = e.thread_id.load(relaxed);
  std::uint64_t seen = shm::claim::waiting(serial, tid);
  const std::uint64_t done =
      shm::claim::satisfied(serial, shm::place_index(e.place.load(relaxed)));
  // INV-CLAIM: the one move from waiting to satisfied for this wait.
  if (block->claim.compare_exchange_strong(seen, done, order)) {
    wakes_.push_back({std::move(record), reinterpret_cast<const std::uint32_t*>(&block->claim)});
    return claim_outcome::claimed;
  }
  if (shm::claim::leaving(seen, serial, tid)) return claim_outcome::withdrawing;
  // Dead (the kernel marked the word), or a wait that has moved on.
  return claim_outcome::gone;
}

void queue_hold::ring(std::uint32_t index) {
  shm::queue_entry& e = area_.entries[index];
  e.doorbell.fetch_add(1, order);
  // The object stays mapped while this process holds a reference to it,
  // which every caller does.
  wakes_.push_back({nullptr, reinterpret_cast<const std::uint32_t*>(&e.doorbell)});
}

}  // namespace ntsem::object
