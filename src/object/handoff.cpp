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

namespace {

// The state `s` with QUEUED, and a mutex's SLEEPERS, saying whether the
// queue holds an entry (INV-QUEUE, INV-SLEEP).
std::uint64_t with_queue_flags(std::uint64_t s, bool empty, std::uint8_t type) {
  std::uint64_t flags = shm::state::queued;
  if (type == static_cast<std::uint8_t>(shm::object_type::mutex)) flags |= shm::state::sleepers;
  return empty ? s & ~flags : s | flags;
}

}  // namespace

bool queue_hold::store(std::uint64_t s, std::uint32_t v) {
  const std::uint64_t frozen = s;
  for (;;) {
    const bool same = shm::state::value(s) == shm::state::value(frozen);
    const std::uint64_t desired = with_queue_flags(
        shm::state::with_value(s, same ? v : shm::state::value(s)) & ~shm::state::locked,
        queue_.empty(), slot_.type);
    // Frozen (INV-QUEUE): only a spurious failure, or the kernel's mark of
    // a dead mutex owner, fails the swap.
    if (slot_.state.compare_exchange_weak(s, desired, order)) return same;
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
  const bool mutex = slot_.type == static_cast<std::uint8_t>(shm::object_type::mutex);
  std::uint64_t s = slot_.state.load(order);
  for (;;) {
    std::uint64_t desired = with_queue_flags(s, empty, slot_.type);
    // A mutex owner that died releasing it (INV-OWNER) abandoned it.
    const std::uint32_t v = shm::state::value(s);
    if (mutex && (v & sys::robust_owner_died) && (v & sys::robust_tid_mask))
      desired = shm::state::with_value(desired, sys::robust_owner_died);
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

claim_outcome queue_hold::claim(std::uint32_t index, giving how, bool abandoned) {
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
  namespace claim = shm::claim;
  const std::uint32_t serial = e.serial.load(relaxed) & claim::serial_mask;
  const std::uint32_t tid = e.thread_id.load(relaxed);
  const std::uint32_t place = shm::place_index(e.place.load(relaxed));
  const bool tell_only = shm::entry_kind_of(e) == shm::entry_kind::wait_all;
  std::uint64_t seen = block->claim.load(order);
  for (;;) {
    if (!claim::still_waiting(seen, serial, tid)) {
      if (claim::leaving(seen, serial, tid)) return claim_outcome::withdrawing;
      // Dead (the kernel marked the word), or a wait that has moved on.
      return claim_outcome::gone;
    }
    // INV-CLAIM: the one move out of waiting for this wait.  A mutex goes
    // only to a waiter covering it (INV-COVER); the others are told.
    std::uint64_t done = claim::satisfied(serial, place);
    bool gives = true;
    if (tell_only) {
      done = claim::told(serial, place);
      gives = false;
    } else if (how == giving::ownership) {
      gives = seen == claim::covered(serial, place, tid);
      done = gives ? claim::owner(serial, place, abandoned) : claim::told(serial, place);
    }
    if (block->claim.compare_exchange_weak(seen, done, order)) {
      wakes_.push_back({std::move(record), reinterpret_cast<const std::uint32_t*>(&block->claim)});
      return gives ? claim_outcome::claimed : claim_outcome::told;
    }
  }
}

void queue_hold::ring(std::uint32_t index) {
  shm::queue_entry& e = area_.entries[index];
  e.doorbell.fetch_add(1, order);
  // The object stays mapped while this process holds a reference to it,
  // which every caller does.
  wakes_.push_back({nullptr, reinterpret_cast<const std::uint32_t*>(&e.doorbell)});
}

}  // namespace ntsem::object
