#include "object/handoff.hpp"

#include <algorithm>
#include <cassert>

#include "namespace/process_record.hpp"
#include "object/commit_mark.hpp"
#include "object/object_type.hpp"
#include "sys/fault_point.hpp"
#include "sys/futex.hpp"
#include "sys/robust_lock.hpp"

namespace ntsem::object {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// Maps the record of entry e's waiter and finds its wait block.  Nothing
// once found; else what a claim through the entry comes to: gone (its
// process ended, or a bogus entry) or unreachable.
std::optional<claim_outcome> find_waiter(const shm::queue_entry& e, names::record_ref* record,
                                         shm::wait_block** block) {
  const names::record_name name{e.pid.load(relaxed), e.nonce.load(relaxed)};
  switch (names::map_record(name, record)) {
    case STATUS_SUCCESS: break;
    case STATUS_OBJECT_NAME_NOT_FOUND:  // its process has ended
    case STATUS_FILE_CORRUPT_ERROR:     // no record of ours: a bogus entry
      return claim_outcome::gone;
    case STATUS_ACCESS_DENIED:  // another user's record: read it, not mapped
      return claim_outcome::unreachable;
    default:
      // No descriptor or memory to map it: the waiter is alive as far as
      // we know, so it is rung, not dropped.
      return claim_outcome::unseen;
  }
  *block = (*record)->block(e.block.load(relaxed));
  if (!*block) return claim_outcome::gone;
  return std::nullopt;
}

// The claim word of entry e's waiter, read without mapping its record
// (pread: any user may).  False if it cannot be read.
bool read_unmapped(const shm::queue_entry& e, std::uint64_t* word) {
  return names::read_claim_word({e.pid.load(relaxed), e.nonce.load(relaxed)},
                                e.block.load(relaxed), word) == STATUS_SUCCESS;
}

enum class word_read : std::uint8_t { read, gone, unreadable };

// The claim word of entry e's waiter: from its mapped wait block (*block
// then points at it, *record keeps it mapped), or, for a record that may
// not be mapped here, read without mapping it (*block null).
word_read read_claim(const shm::queue_entry& e, names::record_ref* record,
                     shm::wait_block** block, std::uint64_t* word) {
  const std::optional<claim_outcome> not_found = find_waiter(e, record, block);
  if (!not_found) {
    *word = (*block)->claim.load(order);
    return word_read::read;
  }
  *block = nullptr;
  if (*not_found == claim_outcome::gone) return word_read::gone;
  return read_unmapped(e, word) ? word_read::read : word_read::unreadable;
}

// Whether claim word `c` ended the wait of entry e through e (its serial,
// its place).
bool through(std::uint64_t c, const shm::queue_entry& e) {
  namespace claim = shm::claim;
  return claim::serial(c) == (shm::entry_serial(e) & claim::serial_mask) &&
         claim::index(c) == shm::place_index(e.place.load(relaxed));
}

}  // namespace

queue_hold::queue_hold(shm::object_slot& slot, const entry_area& area, sys::lock_hold how)
    : slot_(slot),
      area_(area),
      how_(slot.type == static_cast<std::uint8_t>(shm::object_type::mutex) ? sys::lock_hold::listed
                                                                           : how),
      queue_(slot.queue_head, slot.queue_tail, area) {
  if (sys::robust_lock(slot_.queue_lock, slot_.queue_lock_entry, how_) ==
      sys::lock_taken::owner_died)
    repair();
}

queue_hold::queue_hold(shm::object_slot& slot, const entry_area& area, try_lock_t)
    : slot_(slot),
      area_(area),
      how_(sys::lock_hold::listed),
      queue_(slot.queue_head, slot.queue_tail, area) {
  sys::lock_taken taken = sys::lock_taken::normally;
  locked_ = sys::robust_try_lock(slot_.queue_lock, slot_.queue_lock_entry, how_, &taken);
  if (locked_ && taken == sys::lock_taken::owner_died) repair();
}

queue_hold::~queue_hold() {
  if (!locked_) return;
  // Every hand-off under the hold was stored.
  assert(!handing_ && !covered_by_me_);
  // INV-WOKEN: every wake before the lock is let go, and a claimed entry
  // leaves only after its waiter's wake.  (A word whose wait has ended
  // meanwhile gets a wake that its next wait treats as spurious.)
  renew_death_cover();
  if (woken_ < wakes_.size() || rung_) sys::reach(sys::fault_point::claimed_unwoken);
  wake_all();
  bool removed = false;
  for (const pending_wake& w : wakes_) {
    if (!w.claimed) continue;
    queue_.remove(*w.claimed);
    wait_queue::free(area_, *w.claimed);
    removed = true;
  }
  // INV-OFFER: the offers made here are stored and their waiters rung; the
  // offers handed back are in the stored value.
  for (const std::uint32_t i : offers_) shm::set_state(area_.entries[i], shm::entry_state::offered);
  if (!offers_.empty()) sys::reach(sys::fault_point::offers_stored);
  for (const std::uint32_t i : returns_) {
    queue_.remove(i);
    wait_queue::free(area_, i);
    removed = true;
  }
  if (removed && queue_.empty()) clear_queue_flags();
  sys::robust_unlock(slot_.queue_lock, slot_.queue_lock_entry, how_);
}

void queue_hold::cover_from_death(sys::robust_entry* entry) {
  become_listed();
  sys::robust_set_pending(entry);
}

void queue_hold::renew_death_cover() {
  if (!death_covered_) return;
  for (std::size_t i = woken_; i < wakes_.size(); ++i)
    if (wakes_[i].cover) return sys::robust_set_pending(wakes_[i].cover);
}

void queue_hold::wake_claimed() {
  wake_all();
  // Nobody left to cover: the slot is free for the locks to come, and the
  // next claim is covered from before it is made (claim_wait).
  if (death_covered_) sys::robust_set_pending(nullptr);
  death_covered_ = false;
}

void queue_hold::wake_all() {
  // INV-DEATHWAKE: the cover is on the first waiter it may cover; before
  // that waiter's wake it moves on to the next one not woken yet, so that a
  // death between any two steps leaves one asleep under the cover.  (After
  // the last, it stays on a woken one until the unlock takes the slot.)
  for (std::size_t i = woken_; i < wakes_.size(); ++i) {
    if (wakes_[i].cover) {
      for (std::size_t j = i + 1; j < wakes_.size(); ++j) {
        if (!wakes_[j].cover) continue;
        sys::robust_set_pending(wakes_[j].cover);
        break;
      }
    }
    sys::futex_wake(wakes_[i].word, 1);
  }
  woken_ = wakes_.size();
}

std::optional<std::uint32_t> queue_hold::allocate() {
  const std::optional<std::uint32_t> index = wait_queue::allocate(area_, sys::current_thread_id());
  if (index) sys::reach(sys::fault_point::entry_unqueued);
  return index;
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

namespace {

bool has_owner(const shm::object_slot& slot) {
  return slot.type == static_cast<std::uint8_t>(shm::object_type::mutex);
}

// The state `s` with its value `v`, LOCKED and HANDING as `flags` says.
// (HANDING is the bit of a mutex's SLEEPERS, which only types without an
// owner use as HANDING.)
std::uint64_t with_seal(const shm::object_slot& slot, std::uint64_t s, std::uint32_t v,
                        std::uint64_t flags) {
  const std::uint64_t seal_bits =
      shm::state::locked | (has_owner(slot) ? 0 : shm::state::handing);
  return (shm::state::with_value(s, v) & ~seal_bits) | flags;
}

}  // namespace

void queue_hold::begin_handing(std::uint32_t v) {
  if (handing_) return;
  std::uint64_t s = slot_.state.load(order);
  std::uint64_t sealed = 0;
  // Frozen: nobody else changes the word, so only a spurious failure retries.
  do {
    sealed = with_seal(slot_, s, v, shm::state::locked | shm::state::handing);
  } while (!slot_.state.compare_exchange_weak(s, sealed, order));
  handing_ = sealed;
}

void queue_hold::seal(std::uint64_t* s, std::uint32_t v) {
  // The word as this hold left it (its own seal of a hand-off, perhaps).
  std::uint64_t now = handing_.value_or(*s);
  // Frozen: nobody else changes the word, so only a spurious failure retries.
  do {
    *s = with_seal(slot_, now, v, shm::state::locked);
  } while (!slot_.state.compare_exchange_weak(now, *s, order));
  handing_.reset();
}

bool queue_hold::claimed_here(std::uint32_t index) const {
  return std::any_of(wakes_.begin(), wakes_.end(),
                     [&](const pending_wake& w) { return w.claimed == index; });
}

bool queue_hold::may_serve(std::uint32_t index) const {
  return shm::entry_kind_of(area_.entries[index]) == shm::entry_kind::wait_all &&
         !claimed_here(index);
}

void queue_hold::become_listed() {
  if (how_ == sys::lock_hold::listed) return;
  sys::robust_hold_listed(slot_.queue_lock_entry);
  how_ = sys::lock_hold::listed;
}

void queue_hold::drop(std::uint32_t index) {
  if (claimed_here(index)) return;
  // Freed, it may soon be another queue's (an arena's entries are shared).
  std::erase(offers_, index);
  queue_.remove(index);
  wait_queue::free(area_, index);
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
  // The word as this hold last left it: frozen, or sealed for a hand-off.
  if (handing_) s = *handing_;
  const std::uint64_t frozen = s;
  // The entries of waiters claimed under this hold are still linked: QUEUED
  // stays set for them, so that if this holder dies before its wakes, the
  // next user of the object comes to the lock and repairs (INV-WOKEN).  The
  // destructor clears it once they are gone.
  const bool empty = queue_.empty();
  // The value this hold last gave the word: the frozen one, or its own id
  // while it covers the owner word.
  const std::uint32_t expected =
      covered_by_me_ ? sys::current_thread_id() : shm::state::value(frozen);
  // Out of this thread's list before its id leaves the word (INV-OWNER).
  if (covered_by_me_) {
    sys::robust_set_pending(&slot_.state_entry);
    sys::robust_remove(slot_.state_entry);
  }
  bool same = true;
  for (;;) {
    same = shm::state::value(s) == expected;
    const std::uint64_t desired = with_queue_flags(
        with_seal(slot_, s, same ? v : shm::state::value(s), 0), empty, slot_.type);
    // Frozen (INV-QUEUE): only a spurious failure, or the kernel's mark of
    // a dead mutex owner, fails the swap.
    if (slot_.state.compare_exchange_weak(s, desired, order)) break;
  }
  // INV-DEATHWAKE for a mutex: the owner word is no longer this thread's,
  // so the slot moves on from it to the first waiter claimed here (made
  // owner or told), if any: straight from the one to the other (end_cover
  // below would clear it in between).
  if (has_owner(slot_) &&
      std::any_of(wakes_.begin() + static_cast<std::ptrdiff_t>(woken_), wakes_.end(),
                  [](const pending_wake& w) { return w.cover != nullptr; })) {
    covered_by_me_ = false;
    death_covered_ = true;
    renew_death_cover();
  }
  end_cover();
  handing_.reset();
  return same;
}

void queue_hold::clear_queue_flags() {
  std::uint64_t s = slot_.state.load(order);
  // Stored and still QUEUED: only the kernel's mark of a dead mutex owner
  // changes the word meanwhile, and the swap keeps it.
  while (!slot_.state.compare_exchange_weak(s, with_queue_flags(s, true, slot_.type), order)) {
  }
}

// The owner word of a mutex that no live thread owns (free, abandoned, or
// the holder's own) takes this thread's id, listed first (INV-OWNER), for
// as long as a hand-off under this hold is unstored (INV-HANDED).  In the
// list, not the pending slot: a wait-all's attempt may cover several.
void queue_hold::cover_owner_word() {
  const std::uint32_t me = sys::current_thread_id();
  std::uint64_t s = slot_.state.load(order);
  // Covered already: by this hold, or by the releaser that this thread is
  // (no other owner's word is handed on: it is signaled for nobody else).
  if (shm::state::value(s) == me) return;
  covered_by_me_ = true;
  sys::robust_push(slot_.state_entry);
  // Frozen: only a spurious failure retries.
  while (!slot_.state.compare_exchange_weak(s, shm::state::with_value(s, me), order)) {
  }
}

void queue_hold::end_cover() {
  if (covered_by_me_) sys::robust_set_pending(nullptr);
  covered_by_me_ = false;
}

// The previous holder died holding the lock, anywhere in a change: mend the
// list (wait_queue::repair) and free the entries it had out of it
// (INV-QALONE); finish its claims, waking their waiters
// (INV-WOKEN; a hand-off of units it did not store is rolled forward,
// INV-GIVEN); finish or undo a wait-all's commit it was making
// (repair_commit, INV-ALL); for a mutex, after that, finish its claims the
// same way, voiding a hand-off it did not store (INV-HANDED); then make
// QUEUED say what the list now holds (INV-QUEUE).  Its other work is whole
// or absent: a value it did not store and did not seal was never changed (a
// mutex it was releasing still held its id, which the kernel has marked:
// abandoned, INV-OWNER).  Last, what the value holds goes to the waiters
// still queued (INV-HANDOFF: the dead holder's hand-off may have stopped
// short, and a hand-back it made is in the value only now); a mutex is
// handed on by its waiters, whom the kernel's mark wakes (INV-SLEEP).
void queue_hold::repair() {
  queue_.repair();
  queue_.reclaim_unqueued();
  if (!has_owner(slot_)) finish_dead_claims();
  repair_commit(*this, slot_);
  if (has_owner(slot_)) finish_dead_claims();
  const bool empty = queue_.empty();
  std::uint64_t s = slot_.state.load(order);
  for (;;) {
    const std::uint64_t desired = with_queue_flags(s, empty, slot_.type);
    if (desired == s || slot_.state.compare_exchange_weak(s, desired, order)) break;
  }
  if (empty || has_owner(slot_)) return;
  // QUEUED is set: the value is frozen for this holder.
  s = slot_.state.load(order);
  const std::uint32_t v = visit_type(
      static_cast<shm::object_type>(slot_.type),
      [&](auto ops) { return hand_off<decltype(ops)>(*this, shm::state::value(s)); },
      shm::state::value(s));
  store(s, v);
}

// INV-WOKEN, the repairer's side: an entry still linked whose waiter's
// claim word says it was claimed through that entry was claimed by the dead
// holder, which may have died before its wake.  The claim is finished:
//  - a unit (INV-GIVEN): if the holder did not store the value (HANDING
//    set), one wait's worth comes out of the sealed value now;
//  - ownership (INV-HANDED): it stands if the owner word holds the waiter's
//    id (stored); otherwise the claim word moves on to told, so the waiter
//    queues again (a waiter whose record may not be written here voids the
//    claim itself, wait/queued_wait.cpp, handed_to_me);
//  - told: nothing was given.
// Then the waiter is woken (through the doorbell when its record may not be
// written here; its claim word is then read without mapping the record) and
// the entry goes.  A waiter whose record is gone took nothing.
void queue_hold::finish_dead_claims() {
  namespace claim = shm::claim;
  std::uint64_t s = slot_.state.load(order);
  const bool unstored = !has_owner(slot_) && (s & shm::state::handing) != 0;
  std::uint32_t v = shm::state::value(s);
  const auto type = static_cast<shm::object_type>(slot_.type);
  // INV-OFFER.  An offer handed back under the dead hold was handed back
  // first, before any claim: back into an unstored value; the entry goes.
  const auto maximum = static_cast<std::uint32_t>(slot_.maximum.load(relaxed));
  for_each_queued([&](std::uint32_t i, const shm::queue_entry& e) {
    if (!shm::in_state(e, shm::entry_state::returning)) return;
    if (unstored)
      v = visit_type(type, [&](auto ops) { return decltype(ops)::returned(v, maximum); }, v);
    queue_.remove(i);
    wait_queue::free(area_, i);
  });
  for_each_queued([&](std::uint32_t i, const shm::queue_entry& e) {
    if (shm::entry_kind_of(e) == shm::entry_kind::commit) return;  // repair_commit's
    // Whether the waiter's claim word says its wait ended through this
    // entry (block null: read without mapping the record).
    names::record_ref record;
    shm::wait_block* block = nullptr;
    std::uint64_t word = 0;
    const bool ended_here = read_claim(e, &record, &block, &word) == word_read::read &&
                            claim::phase_of(word) == claim::phase::satisfied && through(word, e);
    const auto wake = [&] {
      wakes_.push_back({std::move(record), reinterpret_cast<const std::uint32_t*>(&block->claim)});
    };
    // An entry that holds an offer stays (INV-OFFER).  One offered under
    // the dead hold: out of an unstored value; it stays offered, its
    // waiter rung again (it may not have been).  A mutex's offer stands
    // once the owner word says so (stored); before that the word held the
    // holder's id, which the kernel marked abandoned: the offer is void,
    // and the waiter, rung, takes the abandoned mutex itself (INV-HANDED).
    if (shm::holds_offer(e)) {
      bool stands = true;
      if (shm::in_state(e, shm::entry_state::offering)) {
        if (unstored)
          v = visit_type(type, [&](auto ops) { return decltype(ops)::taken_by_dead(v); }, v);
        stands = !has_owner(slot_) || mutex_ops::is_offered(v);
        shm::set_state(area_.entries[i],
                       stands ? shm::entry_state::offered : shm::entry_state::taken);
        ring(i);
      }
      // A waiter told through it (a mutex held for it, claim_outcome::held)
      // is woken through its claim word; if the offer is void, it queues
      // again, and the entry goes as a told one's does.
      if (!ended_here || !block) return;
      wake();
      if (!stands) {
        queue_.remove(i);
        wait_queue::free(area_, i);
      }
      return;
    }
    if (!ended_here) return;
    // A wait-all served takes through its commit (INV-ALL), not here; its
    // waiter learns from its intent whether the dead server committed
    // (wait/serve_all.hpp).  It is only woken.
    const bool wait_all = shm::entry_kind_of(e) == shm::entry_kind::wait_all;
    if (!wait_all && claim::is_owner(word)) {
      if (block && v != shm::entry_thread(e))
        block->claim.compare_exchange_strong(
            word, claim::told(claim::serial(word), claim::index(word)), order);
    } else if (!wait_all && !claim::is_told(word) && unstored) {
      v = visit_type(type, [&](auto ops) { return decltype(ops)::taken_by_dead(v); }, v);
    }
    if (block)
      wake();
    else
      ring(i);
    queue_.remove(i);
    wait_queue::free(area_, i);
  });
  if (!unstored) return;
  // Sealed and frozen: only a spurious failure retries.
  while (!slot_.state.compare_exchange_weak(s, with_seal(slot_, s, v, 0), order)) {
  }
}

void stamp_entry(shm::queue_entry& e, const waiter_stamp& who, std::uint16_t place) {
  e.pid.store(who.record.pid, relaxed);
  e.nonce.store(who.record.nonce, relaxed);
  e.block.store(static_cast<std::uint16_t>(who.block), relaxed);
  e.place.store(place, relaxed);
  // Open (INV-REVIVE): stamped anew, the entry starts another wait.
  e.waiter.store(shm::entry_waiter(who.serial, who.thread_id), relaxed);
}

bool stamped_by(const shm::queue_entry& e, const waiter_stamp& who) {
  return e.pid.load(relaxed) == who.record.pid && e.nonce.load(relaxed) == who.record.nonce &&
         e.block.load(relaxed) == who.block && shm::entry_serial(e) == who.serial;
}

claim_outcome queue_hold::claim(std::uint32_t index, giving how, bool abandoned) {
  shm::queue_entry& e = area_.entries[index];
  for (;;) {
    // Acquire: a revived entry's new wait is waiting before its serial is
    // here (INV-REVIVE).
    const std::uint64_t w = e.waiter.load(std::memory_order_acquire);
    const claim_outcome r = claim_wait(index, w, how, abandoned);
    // Dropped or offered on the strength of wait w: closed first, unless
    // its waiter revived it meanwhile, which makes it w's no longer.
    if ((r != claim_outcome::gone && r != claim_outcome::unreachable &&
         r != claim_outcome::held) ||
        shm::close_entry(e, w))
      return r;
  }
}

claim_outcome queue_hold::claim_wait(std::uint32_t index, std::uint64_t w, giving how,
                                     bool abandoned) {
  const shm::queue_entry& e = area_.entries[index];
  namespace claim = shm::claim;
  const std::uint32_t serial = shm::waiter_serial(w) & claim::serial_mask;
  const std::uint32_t tid = shm::waiter_thread(w);
  names::record_ref record;
  shm::wait_block* block = nullptr;
  if (const std::optional<claim_outcome> not_found = find_waiter(e, &record, &block)) {
    if (*not_found != claim_outcome::unreachable) return *not_found;
    // Read, not mapped: alive and in this wait, leaving it, or neither.
    std::uint64_t seen = 0;
    if (!read_unmapped(e, &seen)) return claim_outcome::unseen;
    if (claim::still_waiting(seen, serial, tid)) return claim_outcome::unreachable;
    return claim::leaving(seen, serial, tid) ? claim_outcome::withdrawing : claim_outcome::gone;
  }
  const std::uint32_t place = shm::place_index(e.place.load(relaxed));
  const bool tell_only = shm::entry_kind_of(e) == shm::entry_kind::wait_all;
  std::uint64_t seen = block->claim.load(order);
  // INV-DEATHWAKE: the hold's first coverable claim of a semaphore or an
  // event is covered from before its compare-and-swap (covering a waiter
  // still waiting is harmless: the kernel leaves a word holding a live
  // thread's id alone).  Uncovered again if the claim is not made: the
  // record may be unmapped after.
  sys::robust_entry* cover = nullptr;
  const auto uncover = [&] {
    if (cover) sys::robust_set_pending(nullptr);
  };
  for (;;) {
    if (!claim::still_waiting(seen, serial, tid)) {
      uncover();
      if (claim::leaving(seen, serial, tid)) return claim_outcome::withdrawing;
      // Dead (the kernel marked the word), or a wait that has moved on.
      return claim_outcome::gone;
    }
    // INV-CLAIM: the one move out of waiting for this wait.  A mutex goes
    // only to a waiter covering it (INV-COVER); the others are told.
    std::uint64_t done = claim::satisfied(serial, place);
    bool gives = true;
    // A wait_all entry is told, unless served: the caller then takes its
    // objects for it (serve_wait_all), and says when it has.
    if (tell_only) {
      done = how == giving::all ? claim::serving(serial, place) : claim::told(serial, place);
      gives = how == giving::all;
    } else if (how == giving::ownership) {
      gives = seen == claim::covered(serial, place, tid);
      done = gives ? claim::owner(serial, place, abandoned) : claim::told(serial, place);
    }
    // A wait-any told of a mutex it does not cover has it held for its
    // entry (offer()), which it takes as it leaves: its entry stays.
    const bool held = how == giving::ownership && !gives && !tell_only;
    if (how == giving::ownership && (gives || held)) cover_owner_word();
    // Every claimed word leaves the owner bits 0 (shm::claim), so the
    // kernel wakes its sleeper through the slot.  A mutex's waiters are
    // covered only from the store on, when the owner word, which the slot
    // covers until then, is no longer this thread's (store()).
    if (how != giving::ownership && !death_covered_ && !cover) {
      cover = &block->entry;
      cover_from_death(cover);
    }
    if (block->claim.compare_exchange_weak(seen, done, order)) {
      if (cover) death_covered_ = true;
      // INV-WOKEN: the entry stays linked until its waiter is woken (so past
      // the store of a unit's value, INV-GIVEN, or of the owner word,
      // INV-HANDED).
      wakes_.push_back({std::move(record), reinterpret_cast<const std::uint32_t*>(&block->claim),
                        held ? std::nullopt : std::optional<std::uint32_t>(index),
                        &block->entry});
      if (!gives) return held ? claim_outcome::held : claim_outcome::told;
      if (how != giving::all)
        sys::reach(how == giving::unit ? sys::fault_point::unit_given_unstored
                                       : sys::fault_point::mutex_handed_unstored);
      return claim_outcome::claimed;
    }
  }
}

void queue_hold::offer(std::uint32_t index, bool ring_it) {
  // A mutex's owner word holds this thread's id until the store makes it
  // the offer's (INV-HANDED, as for a claim): a death before that abandons
  // the mutex and voids the offer.
  if (has_owner(slot_)) cover_owner_word();
  shm::set_state(area_.entries[index], shm::entry_state::offering);
  offers_.push_back(index);
  if (ring_it) ring(index);
  sys::reach(has_owner(slot_) ? sys::fault_point::mutex_handed_unstored
                              : sys::fault_point::unit_given_unstored);
}

bool queue_hold::offer_lapsed(std::uint32_t index) {
  const shm::queue_entry& e = area_.entries[index];
  names::record_ref record;
  shm::wait_block* block = nullptr;
  std::uint64_t word = 0;
  switch (read_claim(e, &record, &block, &word)) {
    case word_read::gone: return true;
    case word_read::unreadable: return false;  // alive as far as we know
    case word_read::read: break;
  }
  // Alive, in this wait or moved on from it (satisfied through another
  // object, or told: it comes to hand the offer back or take it), unless
  // the kernel marked its thread dead, or its block has begun another wait
  // (its thread ended).  A satisfied word holds no thread id for the
  // kernel to mark: its process's liveness lock says (a record that cannot
  // be probed counts as alive, as an unreadable word does).
  namespace claim = shm::claim;
  if (claim::serial(word) != (shm::entry_serial(e) & claim::serial_mask) || claim::ended(word))
    return true;
  if (claim::phase_of(word) != claim::phase::satisfied) return false;
  const names::record_state state =
      names::probe_record({e.pid.load(relaxed), e.nonce.load(relaxed)});
  return state == names::record_state::ended || state == names::record_state::missing;
}

void queue_hold::give_back(std::uint32_t index, std::uint32_t v) {
  begin_handing(v);
  shm::set_state(area_.entries[index], shm::entry_state::returning);
  returns_.push_back(index);
  sys::reach(sys::fault_point::offer_returned_unstored);
}

void queue_hold::ring(std::uint32_t index) {
  shm::queue_entry& e = area_.entries[index];
  e.doorbell.fetch_add(1, order);
  // Woken now, not as the hold ends: a rung waiter answers under this lock
  // (it waits for it), and one that waits for a robust lock is woken by
  // the kernel if this thread dies holding it.  Its claim word is out of
  // this process's reach, so INV-DEATHWAKE's cover cannot take it.
  sys::futex_wake(reinterpret_cast<const std::uint32_t*>(&e.doorbell), 1);
  rung_ = true;
}

}  // namespace ntsem::object
