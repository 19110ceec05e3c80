// A thread's wait in the queues of one or several objects: the blocking
// part of a single-object wait and of a wait-any (docs/wait-engine.md,
// "Waiting on one object or any of several").
//
// The waiter appends an entry to the queue of each object in index order,
// each under that object's queue lock (object/handoff.hpp, settle), taking
// the first object it finds signaled there instead, and sleeps on the
// claim word of its wait block.  A release hands it its unit by moving that
// word from waiting to satisfied(i); after that it takes its other entries
// out of their queues and returns WAIT_0 + i.
//
// The claim word decides every race (INV-CLAIM, shm/process_record.hpp):
//  - a releaser satisfies the wait only by moving it from waiting(serial,
//    tid) to satisfied, under the lock of the object it releases;
//  - the waiter takes an object it finds signaled only by making that same
//    move itself, under that object's lock (own_entry in settle); so it
//    never takes a unit once another object has satisfied it;
//  - the waiter gives up (deadline, doorbell) only by moving it to
//    withdrawing, which releasers pass by;
//  - an alertable wait is also ended by a user APC queued to its thread:
//    the queuer moves it to alerted, which releasers pass by too
//    (thread/alert.hpp, INV-ALERT).
// Whoever moves it first wins, and a wait-any takes exactly one unit.
//
// An entry that a releaser of another user offered the wait's take
// (object/handoff.hpp, INV-OFFER) is the waiter's to take out: it takes the
// offer (its doorbell rang; or its wait ended without being satisfied: the
// offer came first), or hands it back as it leaves (another object
// satisfied the wait first).
//
// An entry the thread's last wait left stale in the same object, at the
// same place, is revived rather than another appended, when nothing stands
// behind it and no release has passed it (INV-REVIVE, wait/stale_entries.hpp).
//
// Who frees an entry: the releaser that satisfies the wait through it
// (it unlinks and frees it), a releaser that finds it names a wait that is
// over or dead (the same), and otherwise the waiter: at once, or, for the
// other entries of a satisfied wait, at its thread's next wait or exit
// (wait/stale_entries.hpp).  The waiter takes an entry only under the lock
// in whose hold it links it, and frees it in the hold that unlinks it, so
// that no entry of a named object is in use outside its queue while nobody
// holds the lock (INV-QALONE, object/wait_queue.hpp).  The waiter takes an
// entry out only if it still holds this wait's identity (process, block,
// serial) and is linked in that object's queue, so an entry freed by a
// releaser and reused by another thread is never touched.
#include <array>
#include <functional>
#include <optional>

#include "namespace/process_record.hpp"
#include "object/event.hpp"
#include "object/handoff.hpp"
#include "object/mutex.hpp"
#include "object/semaphore.hpp"
#include "sys/fault_point.hpp"
#include "thread/alert.hpp"
#include "wait/settle_on.hpp"
#include "wait/stale_entries.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {
namespace {

using object::queue_hold;
using object::settled;
namespace claim = shm::claim;
constexpr auto relaxed = std::memory_order_relaxed;

class queued_wait {
 public:
  queued_wait(std::span<const target> targets, const names::waiter_identity& me)
      : targets_(targets), me_(me) {
    stale_.begin_wait();
    // Fixed while the wait keeps its objects alive (object/object_ref.hpp,
    // object/wait_pins.hpp): the passes over every place that only
    // mutexes or doorbells need (hand_on_abandoned, sleep_once,
    // doorbell_rung) are skipped when no object needs them, and so is the
    // look at each object as a satisfied wait leaves its entries stale
    // when every one may stay.
    for (const target& t : targets) {
      any_mutex_ |= t.type == shm::object_type::mutex;
      any_doorbell_ |= t.object.home->foreign_releasers;
      all_may_stay_ &= stale_entries::may_leave(t);
    }
  }
  queued_wait(const queued_wait&) = delete;
  queued_wait& operator=(const queued_wait&) = delete;

  // Takes the first object that can be taken, or queues on every object.
  // STATUS_WAIT_0 + i (taken, or satisfied meanwhile), STATUS_PENDING
  // (queued everywhere), or an error (nothing queued, nothing taken).
  NTSTATUS enter() {
    for (;;) {
      const NTSTATUS s = enter_once();
      // The previous wait's stale entries that no append took out
      // (INV-STALE: before the serial moves on again).
      stale_.take_out_previous();
      if (s != look_again) return s;
    }
  }

  // Ends the wait with `status` unless it was satisfied first (then
  // STATUS_WAIT_0 + i: the unit is the caller's).
  NTSTATUS withdraw(NTSTATUS status) { return give_up(status); }

  // Sleeps until satisfied or the deadline: STATUS_WAIT_0 + i,
  // STATUS_ABANDONED_WAIT_0 + i, STATUS_TIMEOUT, STATUS_USER_APC (an
  // alertable wait that an APC ended), or an error.
  NTSTATUS sleep(const sys::deadline& until, thread::alertable_wait& alert) {
    for (bool deadline_passed = false;;) {
      if (!waiting()) {
        NTSTATUS s = finish();
        if (s == look_again) s = enter();
        if (s != STATUS_PENDING) return s;
        continue;
      }
      // Armed again before every sleep: the serial changes when a doorbell
      // makes the wait queue again.
      if (alert.arm(me_.block->claim, serial_)) return give_up(STATUS_USER_APC);
      if (deadline_passed) {
        sys::reach(sys::fault_point::wait_timed_out);
        return give_up(STATUS_TIMEOUT);
      }
      if (hand_on_abandoned()) continue;
      sys::futex_result woke = sleep_once(until);
      if (woke == sys::futex_result::timed_out) deadline_passed = true;
      // A wake-up is always followed by one more look at the claim word,
      // so a wait satisfied just as the deadline passed returns satisfied.
      if (std::optional<std::size_t> rung = doorbell_rung()) {
        if (NTSTATUS s = answer_doorbell(*rung); s != STATUS_PENDING) return s;
        deadline_passed = false;  // the deadline is checked by the next sleep
      }
    }
  }

 private:
  // finish()'s answer to a wait that a release only told (a mutex handed
  // to nobody, INV-COVER): out of every queue, then queue again.
  static constexpr NTSTATUS look_again = static_cast<NTSTATUS>(0xC000022D);  // STATUS_RETRY

  NTSTATUS enter_once() {
    serial_ = claim::next_serial(me_.block->claim.load(relaxed));
    me_.block->claim.store(claim::waiting(serial_, me_.thread_id), object::order);
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      // The previous wait's entry, if it stands where a new one would; the
      // object then holds nothing for this wait (INV-REVIVE).
      if (std::uint32_t revived = 0;
          stale_.revive(targets_[i], static_cast<std::uint8_t>(i), stamp(), &revived)) {
        places_[i] = {revived, area(i).entries[revived].doorbell.load(object::order)};
      } else if (NTSTATUS s = settle_own(i); s != STATUS_SUCCESS) {
        return give_up(s);
      }
      // Taken here, or satisfied by a release of an object queued on before.
      if (!waiting()) return finish();
    }
    return STATUS_PENDING;
  }

  struct place {
    // Ours, linked in the object's queue (unless a releaser has taken it out
    // since); none once this wait has let go of it.
    std::optional<std::uint32_t> entry;
    std::uint32_t bell = 0;  // the doorbell's value before the entry was linked
  };

  shm::entry_area area(std::size_t i) const { return targets_[i].object.home->queue_area; }
  shm::queue_entry& entry_of(std::size_t i) const { return area(i).entries[*places_[i].entry]; }
  object::waiter_stamp stamp() const {
    return {me_.record, me_.block_index, serial_, me_.thread_id};
  }
  bool waiting() const {
    return me_.block->claim.load(object::order) == claim::waiting(serial_, me_.thread_id);
  }
  // Whether place i's entry may still be linked: allocated and this wait's.
  // (Freed, it may be taken again and keep this stamp until restamped: a
  // false yes, which costs a look under the lock.)
  bool still_ours(std::size_t i) const {
    const shm::queue_entry& e = entry_of(i);
    return e.state.load(object::order) != static_cast<std::uint32_t>(shm::entry_state::free) &&
           object::stamped_by(e, stamp());
  }

  // Under object i's lock: takes it for this wait if it can be taken,
  // else links an entry filled with this wait's identity in its queue
  // (which is then place i's).  An error changes nothing.
  NTSTATUS settle_own(std::size_t i) {
    queue_hold hold(*targets_[i].object.slot, area(i));
    stale_.take_out_in(targets_[i], i, hold);
    const std::optional<std::uint32_t> index = hold.allocate();
    if (!index) return STATUS_INSUFFICIENT_RESOURCES;
    shm::queue_entry& e = area(i).entries[*index];
    object::stamp_entry(e, stamp(),
                        shm::make_place(static_cast<std::uint8_t>(i), shm::entry_kind::wait_any));
    places_[i].bell = e.doorbell.load(object::order);
    const object::own_entry mine{*index, &me_.block->claim, claim::waiting(serial_, me_.thread_id),
                                 claim::satisfied(serial_, static_cast<std::uint32_t>(i)), true};
    const object::settle_result r = settle_on(targets_[i], hold, &mine);
    if (r.mine == settled::queued)
      places_[i].entry = index;
    else
      object::wait_queue::free(area(i), *index);
    return r.status;
  }

  // Takes place i's entry out of its queue, if it is still this wait's and
  // still linked, and hands on what the object holds (units left while this
  // waiter was passed by); with the queue lock already held in `hold`.  An
  // offer the entry holds (INV-OFFER) is taken if `may_take` (then true),
  // else handed back.
  bool leave(std::size_t i, queue_hold& hold, bool may_take) {
    place& p = places_[i];
    if (!p.entry) return false;
    const std::uint32_t index = *p.entry;
    p.entry.reset();
    shm::queue_entry& e = area(i).entries[index];
    bool took = false;
    // Not ours, or not linked: a releaser took it out and freed it.
    if (!object::stamped_by(e, stamp())) {
    } else if (!shm::holds_offer(e)) {
      if (hold.queue().remove(index)) object::wait_queue::free(area(i), index);
    } else if (!may_take) {
      // The hold takes it out and frees it after its store.
      decline_on(targets_[i], hold, index);
      return false;
    } else {
      offer_abandoned_ = take_offer_on(targets_[i], hold, index);
      took = true;
    }
    settle_on(targets_[i], hold, nullptr);
    return took;
  }
  // Leaves every queue; the index of the offer taken, if any (the lowest:
  // `may_take` says whether the wait may take one).
  std::optional<std::size_t> leave_all(bool may_take) {
    std::optional<std::size_t> took;
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      if (!places_[i].entry) continue;
      queue_hold hold(*targets_[i].object.slot, area(i));
      if (leave(i, hold, may_take && !took)) took = i;
    }
    return took;
  }

  // The waiter's one move on its claim word: waiting -> withdrawing.  False
  // when a releaser (or this waiter, taking an object) moved it first.
  bool stop_waiting() {
    std::uint64_t expected = claim::waiting(serial_, me_.thread_id);
    return me_.block->claim.compare_exchange_strong(
        expected, claim::withdrawing(serial_, me_.thread_id), object::order);
  }

  // The wait is satisfied: out of every queue, then idle.  WAIT_0 + i.
  // Or an APC's queuer ended it (alerted): out of every queue, then idle,
  // STATUS_USER_APC.
  NTSTATUS finish() {
    const std::uint64_t c = me_.block->claim.load(object::order);
    if (claim::phase_of(c) == claim::phase::alerted) return leave_with(STATUS_USER_APC);
    // An entry still linked at the satisfied place is the one a releaser
    // satisfied (or told) the wait through (the waiter's own takes never
    // link theirs): that releaser unlinks and frees it, after its wake
    // (INV-WOKEN).
    if (const std::size_t i = claim::index(c); places_[i].entry) {
      // INV-GIVEN: a unit's wait moves on only once its giver (or the
      // giver's repairer) has stored the value without it; until then, the
      // state is sealed HANDING.  And a giver that died with the entry
      // still linked (the kernel marked the lock, and woke this waiter,
      // INV-DEATHWAKE) may owe other waiters their wakes: this waiter, the
      // lock's next holder, repairs (INV-WOKEN).  (A made owner waited for
      // its store in handed_to_me; a told wait took nothing, and queues
      // again, which takes the lock.)
      if (!claim::is_told(c) && (unit_unstored(i) || giver_died(i)) && still_ours(i)) {
        queue_hold wait_out(*targets_[i].object.slot, area(i));
      }
      // Unless a mutex is held for it there (told, claim_outcome::held):
      // the wait takes it as it leaves (leave_with).
      if (!(claim::is_told(c) && still_ours(i) && shm::holds_offer(entry_of(i))))
        places_[i].entry.reset();
    }
    if (claim::is_told(c)) return leave_with(look_again);
    const auto i = static_cast<NTSTATUS>(claim::index(c));
    return leave_satisfied((claim::is_abandoned(c) ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + i);
  }

  // A satisfied wait leaves its other entries linked, stale, where it may
  // (wait/stale_entries.hpp), and takes the rest out.
  NTSTATUS leave_satisfied(NTSTATUS status) {
    stale_.keep_wait(targets_, stamp());
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      place& p = places_[i];
      if (!p.entry || !(all_may_stay_ || stale_entries::may_leave(targets_[i]))) continue;
      stale_.keep(i, *p.entry);
      p.entry.reset();
    }
    return leave_with(status);
  }

  // Ends the wait with `status` unless it was satisfied (or alerted) first.
  NTSTATUS give_up(NTSTATUS status) {
    if (!stop_waiting()) return finish();
    return leave_with(status);
  }

  // The claim word has left waiting: out of every queue, then idle.  A wait
  // that no release satisfied (it timed out, or was alerted or told) takes
  // the first offer it finds (INV-OFFER): STATUS_WAIT_0 + i then.
  NTSTATUS leave_with(NTSTATUS status) {
    const std::uint64_t c = me_.block->claim.load(object::order);
    const bool may_take = claim::phase_of(c) != claim::phase::satisfied || claim::is_told(c);
    const std::optional<std::size_t> took = leave_all(may_take);
    me_.block->claim.store(claim::idle(serial_), object::order);
    return took ? took_offer(*took) : status;
  }
  // The status of a wait that took the offer of place i.
  NTSTATUS took_offer(std::size_t i) const {
    return (offer_abandoned_ ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + static_cast<NTSTATUS>(i);
  }

  bool is_mutex(std::size_t i) const { return targets_[i].type == shm::object_type::mutex; }
  const std::atomic<std::uint64_t>& state_of(std::size_t i) const {
    return targets_[i].object.slot->state;
  }
  // Whether object i is sealed by a hand-off of units not stored yet
  // (INV-GIVEN; HANDING is a mutex's SLEEPERS).
  bool unit_unstored(std::size_t i) const {
    return !is_mutex(i) && (state_of(i).load(object::order) & shm::state::handing) != 0;
  }
  // Whether object i's queue lock was let go by its holder's death (the
  // kernel's mark), and nobody has taken it since.
  bool giver_died(std::size_t i) const {
    return (targets_[i].object.slot->queue_lock.load(object::order) & sys::robust_owner_died) != 0;
  }

  // INV-SLEEP: a mutex this wait is queued on that no owner holds (its
  // owner died, and the kernel's wake went to another sleeper, or to none)
  // is handed on under its lock before this thread sleeps.  True if one
  // was (the claim word may have moved).
  bool hand_on_abandoned() {
    bool handed = false;
    if (!any_mutex_) return handed;
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      if (!places_[i].entry || !is_mutex(i)) continue;
      const std::uint32_t v = shm::state::value(state_of(i).load(object::order));
      if (object::mutex_ops::owner_of(v) != 0) continue;
      queue_hold hold(*targets_[i].object.slot, area(i));
      settle_on(targets_[i], hold, nullptr);
      handed = true;
    }
    return handed;
  }

  // Sleeps once on the claim word, the doorbells of entries that other
  // users may ring, and the owner words of the mutexes (INV-SLEEP).  The
  // lowest mutex is covered meanwhile (INV-COVER), so that a release may
  // hand it to this thread while it sleeps.
  sys::futex_result sleep_once(const sys::deadline& until) {
    const auto* word = reinterpret_cast<const std::uint32_t*>(&me_.block->claim);
    std::array<sys::futex_vector_entry, 1 + 2 * MAXIMUM_WAIT_OBJECTS> words;
    std::size_t n = 1;
    std::uint32_t asleep = me_.thread_id;
    std::optional<std::size_t> cover;
    for (std::size_t i = 0; (any_mutex_ || any_doorbell_) && i < targets_.size(); ++i) {
      if (!places_[i].entry) continue;
      if (targets_[i].object.home->foreign_releasers) words[n++] = {doorbell(i), places_[i].bell};
      if (!is_mutex(i)) continue;
      if (!cover) cover = i;
      // Read before the sleep: a death after this read changes the word,
      // which either fails the sleep or wakes a sleeper (SLEEPERS is set).
      words[n++] = {reinterpret_cast<const std::uint32_t*>(&state_of(i)),
                    static_cast<std::uint32_t>(state_of(i).load(object::order))};
    }
    if (cover) {
      if (!cover_mutex(*cover)) return sys::futex_result::woken;
      asleep |= sys::robust_waiters;
    }
    words[0] = {word, asleep};
    const sys::futex_result r = n == 1 ? sys::futex_wait(word, asleep, until)
                                       : sys::futex_wait_any(std::span(words.data(), n), until,
                                                             nullptr);
    if (cover) uncover_mutex(*cover);
    return r;
  }

  // INV-COVER, the waiter's side: the pending slot on mutex i's entry, then
  // the claim word covered.  False (nothing covered) if the wait has
  // already moved on.
  bool cover_mutex(std::size_t i) {
    sys::robust_set_pending(&targets_[i].object.slot->state_entry);
    std::uint64_t expected = claim::waiting(serial_, me_.thread_id);
    if (me_.block->claim.compare_exchange_strong(
            expected, claim::covered(serial_, static_cast<std::uint32_t>(i), me_.thread_id),
            object::order))
      return true;
    sys::robust_set_pending(nullptr);
    return false;
  }

  // Ends the cover of mutex i: the claim word back to waiting, or, if a
  // release made this thread the owner meanwhile, the owner word into its
  // list; then the pending slot is cleared.
  void uncover_mutex(std::size_t i) {
    std::uint64_t expected =
        claim::covered(serial_, static_cast<std::uint32_t>(i), me_.thread_id);
    const bool still = me_.block->claim.compare_exchange_strong(
        expected, claim::waiting(serial_, me_.thread_id), object::order);
    const bool owner = !still && claim::is_owner(expected) && claim::index(expected) == i &&
                       handed_to_me(i, expected);
    if (owner) sys::robust_push(targets_[i].object.slot->state_entry);
    sys::robust_set_pending(nullptr);
    if (owner) object::mutex_ops::after_take(targets_[i].object, 0, me_.thread_id);
  }

  // INV-HANDED, the new owner's side, with the claim word `handed`
  // (owner of mutex i) and the pending slot still covering the owner word:
  // the hand-off is final once the word holds this thread's id, which its
  // giver stores before its hold on the queue lock ends.  So wait for that
  // store or for the end of that hold; a giver that died before storing
  // left the claim void (the mutex as the kernel's mark or the repairer
  // left it): the claim word then says told, so the wait queues again.
  // The giver wakes this word after its hold; the sleeps here also end
  // after a millisecond, for a giver that died.
  bool handed_to_me(std::size_t i, std::uint64_t handed) {
    const shm::object_slot& slot = *targets_[i].object.slot;
    const auto mine = [&] {
      return shm::state::value(slot.state.load(object::order)) == me_.thread_id;
    };
    const auto holder = [&] { return slot.queue_lock.load(object::order) & sys::robust_tid_mask; };
    const auto* word = reinterpret_cast<const std::uint32_t*>(&me_.block->claim);
    // Whoever holds the lock now holds it since the claim, or came after.
    const std::uint32_t giver = holder();
    while (!mine() && giver != 0 && holder() == giver &&
           me_.block->claim.load(object::order) == handed)
      sys::futex_wait(word, claim::low(handed), sys::deadline::after_ms(1).resolved());
    if (mine()) return true;
    // Void: told, by the repairer or here (both may try; one move is made).
    std::uint64_t expected = handed;
    me_.block->claim.compare_exchange_strong(
        expected, claim::told(serial_, static_cast<std::uint32_t>(i)), object::order);
    return false;
  }

  const std::uint32_t* doorbell(std::size_t i) const {
    return reinterpret_cast<const std::uint32_t*>(&entry_of(i).doorbell);
  }

  // The first place whose doorbell rang since its entry was linked.
  std::optional<std::size_t> doorbell_rung() const {
    for (std::size_t i = 0; any_doorbell_ && i < targets_.size(); ++i)
      if (places_[i].entry && targets_[i].object.home->foreign_releasers &&
          entry_of(i).doorbell.load(object::order) != places_[i].bell)
        return i;
    return std::nullopt;
  }

  // A releaser that may not write this process's record offered this wait
  // object i's take in its entry (INV-OFFER; a mutex's ownership too), or
  // rang it without an offer (it could not read the record, or a repair
  // voided the offer).  Stop waiting (so nobody else moves the claim word),
  // and under the lock take the offer, or the object if it can be taken;
  // else leave every queue and queue again from the start under a new
  // serial.  STATUS_WAIT_0 + i (STATUS_ABANDONED_WAIT_0 + i),
  // STATUS_PENDING (queued again), or an error.
  NTSTATUS answer_doorbell(std::size_t i) {
    {
      queue_hold hold(*targets_[i].object.slot, area(i));
      // Satisfied or alerted: the next look finds it (and takes or hands
      // back an offer as it leaves).
      if (!stop_waiting()) return STATUS_PENDING;
      const std::uint32_t index = *places_[i].entry;
      places_[i].entry.reset();
      const shm::queue_entry& e = area(i).entries[index];
      const bool offered = object::stamped_by(e, stamp()) && shm::holds_offer(e);
      bool abandoned = false;
      object::settle_result r;
      if (offered) {
        // Out of the queue as it is taken (a mutex: owned first).
        abandoned = take_offer_on(targets_[i], hold, index);
        r = settle_on(targets_[i], hold, nullptr);
      } else {
        const bool removed = hold.queue().remove(index);
        const object::own_entry mine{index, nullptr, 0, 0, false};
        r = settle_on(targets_[i], hold, &mine);
        if (removed) object::wait_queue::free(area(i), index);
        abandoned = r.abandoned;
      }
      if (offered || r.mine == settled::taken)
        me_.block->claim.store(claim::satisfied(serial_, static_cast<std::uint32_t>(i)) |
                                   (abandoned ? claim::abandoned_flag : 0),
                               object::order);
    }
    if (claim::phase_of(me_.block->claim.load(object::order)) == claim::phase::satisfied)
      return finish();
    if (const std::optional<std::size_t> took = leave_all(true)) return leave_with(took_offer(*took));
    return enter();
  }

  std::span<const target> targets_;
  const names::waiter_identity& me_;
  std::array<place, MAXIMUM_WAIT_OBJECTS> places_{};
  std::uint32_t serial_ = 0;
  // The offer the wait took as it left was of an abandoned mutex.
  bool offer_abandoned_ = false;
  // Whether any object is a mutex; whether any has a doorbell that other
  // users may ring (object_home::foreign_releasers).
  bool any_mutex_ = false;
  bool any_doorbell_ = false;
  // Whether every object's entry may be left stale (stale_entries::may_leave).
  bool all_may_stay_ = true;
  stale_entries& stale_ = stale_entries::mine();
};

// Gives back the unit of a wait on `t` that was satisfied but must not have
// been (SignalObjectAndWait whose signal failed): a release of one unit,
// handed to the queue like any other.  A semaphore that has reached its
// maximum meanwhile cannot take it back; the unit is dropped, as an
// over-release is.  A manual-reset event's wait took nothing.
void give_back(const target& t) {
  switch (t.type) {
    case shm::object_type::semaphore:
      object::release_semaphore(t.object, 1, nullptr);
      break;
    case shm::object_type::event: {
      bool manual_reset = false, signaled = false;
      if (object::query_event(t.object, &manual_reset, &signaled) == STATUS_SUCCESS &&
          !manual_reset)
        object::change_event(t.object, object::event_change::set, nullptr);
      break;
    }
    case shm::object_type::mutex:
      object::release_mutex(t.object, nullptr);
      break;
    case shm::object_type::thread:  // a wait on a thread takes nothing
    case shm::object_type::none: break;
  }
}

}  // namespace

NTSTATUS wait_queued(std::span<const target> targets, const sys::deadline& timeout,
                     bool alertable) {
  const sys::deadline until = timeout.resolved();
  names::waiter_identity me;
  if (NTSTATUS s = names::this_thread_waiter(&me); s != STATUS_SUCCESS) return s;
  thread::alertable_wait alert(alertable);
  queued_wait wait(targets, me);
  NTSTATUS s = wait.enter();
  if (s != STATUS_PENDING) return s;
  return wait.sleep(until, alert);
}

NTSTATUS signal_and_wait_queued(const std::function<NTSTATUS()>& signal, const target& t,
                                const sys::deadline& timeout, bool alertable) {
  const sys::deadline until = timeout.resolved();
  names::waiter_identity me;
  if (NTSTATUS s = names::this_thread_waiter(&me); s != STATUS_SUCCESS) return s;
  thread::alertable_wait alert(alertable);
  queued_wait wait(std::span(&t, 1), me);
  // Queued (or satisfied) before the signal can be seen: a thread that the
  // signal wakes and that signals back finds this one waiting.
  NTSTATUS s = wait.enter();
  if (s != STATUS_PENDING && s != STATUS_WAIT_0 && s != STATUS_ABANDONED_WAIT_0) return s;
  if (const NTSTATUS signaled = signal(); signaled != STATUS_SUCCESS) {
    // The wait is not performed: nothing may stay taken.
    if (s == STATUS_PENDING) s = wait.withdraw(signaled);
    if (s == STATUS_WAIT_0 || s == STATUS_ABANDONED_WAIT_0) give_back(t);
    return signaled;
  }
  if (s != STATUS_PENDING) return s;
  return wait.sleep(until, alert);
}

}  // namespace ntsem::wait
