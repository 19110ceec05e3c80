// A wait for all of several objects (docs/wait-engine.md, "Wait-all").
//
// Each attempt holds every object (wait/held_objects.hpp: their queue locks
// in a global order, each frozen and handed to its queued waiters first)
// and looks whether each can then be taken.
//  - If all can, it commits (object/commit_mark.hpp): all or none, even if
//    the thread is killed at any instruction (INV-ALL), and nobody observes
//    part of it (INV-LOCK).
//  - If one cannot (the blocker), it queues a wait_all entry on that object
//    alone and lets go of everything, having changed nothing: it reserves
//    nothing while it cannot complete.  A change that signals the blocker
//    meets the entry under the blocker's lock and tells the thread (its
//    claim word moves to satisfied, and it is woken; object/handoff.hpp),
//    which then attempts again.  It sleeps on that one word (and on the
//    entry's doorbell when other users may release the blocker).
// Why one entry is enough: when every object can be taken, the blocker,
// which could not be when the entry was queued (both under its lock), has
// been signaled since, by a change that met the entry.  So no moment at
// which the wait could complete goes unnoticed; the thread may find, when it
// runs, that someone took an object meanwhile, and it then queues again on
// what blocks it now.
//
// A release that can reach the wait's objects serves the wait-all itself
// when it can complete, before the waiters behind it (wait/serve_all.hpp):
// the thread then finds its objects taken.  Not yet as on Windows: a
// release that cannot reach them (another user's, or a process that does
// not hold every object) only tells it and goes on handing units to the
// waiters behind it, so the wait-all may find them taken when it runs.
#include <array>
#include <optional>

#include "namespace/process_record.hpp"
#include "object/handoff.hpp"
#include "thread/alert.hpp"
#include "wait/held_objects.hpp"
#include "wait/serve_all.hpp"
#include "wait/settle_on.hpp"
#include "wait/stale_entries.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {
namespace {

using object::queue_hold;
namespace claim = shm::claim;
constexpr auto relaxed = std::memory_order_relaxed;

class all_wait {
 public:
  all_wait(std::span<const target> targets, const names::waiter_identity& me)
      : targets_(targets), me_(me) {}
  all_wait(const all_wait&) = delete;
  all_wait& operator=(const all_wait&) = delete;

  // STATUS_WAIT_0 (all taken), STATUS_TIMEOUT or STATUS_USER_APC (none
  // taken), or an error.  An alertable wait that can be satisfied at once
  // is; otherwise APCs queued before it or while it sleeps end it
  // (thread/alert.hpp: it arms `alert` before each sleep).
  NTSTATUS run(const sys::deadline& until, thread::alertable_wait& alert, bool alertable) {
    for (bool deadline_passed = false;;) {
      begin_round();
      const bool arm = !until.is_poll() && !deadline_passed;
      const NTSTATUS s = attempt(arm);
      if (s != STATUS_PENDING) return end_round(s);
      if (!arm) return end_round(nothing_taken(alertable));
      if (alert.arm(me_.block->claim, serial_)) {
        const bool served = leave_blocker() == round_end::served;
        return end_round(served ? served_status_ : STATUS_USER_APC);
      }
      deadline_passed = sleep(until);
      switch (leave_blocker()) {
        case round_end::served: return end_round(served_status_);
        case round_end::alerted: return end_round(STATUS_USER_APC);
        case round_end::told:
        case round_end::withdrew: end_round(STATUS_SUCCESS); break;
      }
    }
  }

 private:
  // Where this round's wait_all entry is: the target it blocks on, and the
  // entry's index in that object's area.
  struct place {
    std::size_t target;
    std::uint32_t entry;
  };

  shm::entry_area area(std::size_t i) const { return targets_[i].object.home->queue_area; }

  // Each round of the wait (an attempt, and a sleep if it queues) has a
  // serial of its own, so a release that tells an earlier round's entry can
  // never move the claim word of a later round (INV-CLAIM).
  void begin_round() {
    serial_ = claim::next_serial(me_.block->claim.load(relaxed));
    me_.block->claim.store(claim::waiting(serial_, me_.thread_id), object::order);
  }
  NTSTATUS end_round(NTSTATUS status) {
    me_.block->claim.store(claim::idle(serial_), object::order);
    return status;
  }

  // One attempt under every object's lock: STATUS_WAIT_0 (committed),
  // STATUS_PENDING (something blocks: queued on it if `arm`), or an error
  // (nothing taken, nothing queued).
  NTSTATUS attempt(bool arm) {
    held_objects held(targets_);
    if (held.status() != STATUS_SUCCESS) return held.status();
    const std::optional<std::size_t> blocker = held.blocker();
    if (!blocker) return commit_all(held, *me_.block, stamp());
    if (arm) {
      if (NTSTATUS s = queue_on(held.hold_of(*blocker), *blocker); s != STATUS_SUCCESS) return s;
    }
    return STATUS_PENDING;
  }

  // Queues this round's wait_all entry on target i, held in `hold`.
  NTSTATUS queue_on(queue_hold& hold, std::size_t i) {
    const std::optional<std::uint32_t> index = hold.allocate();
    if (!index) return STATUS_INSUFFICIENT_RESOURCES;
    shm::queue_entry& e = area(i).entries[*index];
    object::stamp_entry(e, stamp(),
                        shm::make_place(static_cast<std::uint8_t>(i), shm::entry_kind::wait_all));
    bell_ = e.doorbell.load(object::order);
    hold.queue().append(*index);
    blocker_ = {i, *index};
    return STATUS_SUCCESS;
  }

  object::waiter_stamp stamp() const {
    return {me_.record, me_.block_index, serial_, me_.thread_id};
  }

  bool waiting() const {
    return me_.block->claim.load(object::order) == claim::waiting(serial_, me_.thread_id);
  }

  // Sleeps until told, rung or the deadline; true once the deadline passed.
  bool sleep(const sys::deadline& until) {
    const auto* word = reinterpret_cast<const std::uint32_t*>(&me_.block->claim);
    const std::size_t i = blocker_->target;
    const bool foreign = targets_[i].object.home->foreign_releasers;
    const auto* bell =
        reinterpret_cast<const std::uint32_t*>(&area(i).entries[blocker_->entry].doorbell);
    const bool mutex = targets_[i].type == shm::object_type::mutex;
    const auto& state = targets_[i].object.slot->state;
    while (waiting()) {
      std::array<sys::futex_vector_entry, 3> words;
      std::size_t n = 0;
      words[n++] = {word, me_.thread_id};
      if (foreign) words[n++] = {bell, bell_};
      if (mutex) {
        // INV-SLEEP: a mutex blocker whose owner died wakes this thread,
        // which attempts again (the attempt hands the mutex on first).
        const auto owner_word = static_cast<std::uint32_t>(state.load(object::order));
        if (object::mutex_ops::owner_of(owner_word) == 0) return false;
        words[n++] = {reinterpret_cast<const std::uint32_t*>(&state), owner_word};
      }
      const sys::futex_result r =
          n == 1 ? sys::futex_wait(word, me_.thread_id, until)
                 : sys::futex_wait_any(std::span(words.data(), n), until, nullptr);
      if (r == sys::futex_result::timed_out) return true;
      if (foreign && area(i).entries[blocker_->entry].doorbell.load(object::order) != bell_)
        return false;  // a release by another user: attempt again
      if (mutex && object::mutex_ops::owner_of(static_cast<std::uint32_t>(
                       state.load(object::order))) == 0)
        return false;
    }
    return false;
  }

  enum class round_end : std::uint8_t {
    served,    // a release took every object for it (wait/serve_all.hpp):
               // served_status_ says how
    told,      // a release told it to attempt again
    alerted,   // an APC's queuer ended it
    withdrew,  // it stopped waiting itself
  };
  // Ends this round's entry and says how the round ended.  A release that
  // told or served the thread took the entry out; releasers pass the entry
  // of an alerted or withdrawing wait by, so the thread takes it out itself,
  // if it is still this round's and still linked.
  round_end leave_blocker() {
    const place p = *blocker_;
    blocker_.reset();
    std::uint64_t expected = claim::waiting(serial_, me_.thread_id);
    if (!me_.block->claim.compare_exchange_strong(
            expected, claim::withdrawing(serial_, me_.thread_id), object::order) &&
        claim::phase_of(expected) == claim::phase::satisfied) {
      const std::optional<NTSTATUS> served = was_served(expected, serial_, targets_, p.target, me_);
      if (!served) return round_end::told;
      served_status_ = *served;
      return round_end::served;
    }
    take_out(p);
    return claim::phase_of(me_.block->claim.load(object::order)) == claim::phase::alerted
               ? round_end::alerted
               : round_end::withdrew;
  }

  void take_out(const place& p) {
    queue_hold hold(*targets_[p.target].object.slot, area(p.target));
    if (object::stamped_by(area(p.target).entries[p.entry], stamp()) &&
        hold.queue().remove(p.entry)) object::wait_queue::free(area(p.target), p.entry);
    settle_on(targets_[p.target], hold, nullptr);
  }

  std::span<const target> targets_;
  const names::waiter_identity& me_;
  std::uint32_t serial_ = 0;
  std::optional<place> blocker_;
  std::uint32_t bell_ = 0;
  NTSTATUS served_status_ = STATUS_WAIT_0;  // of a round that ended served
};

}  // namespace

NTSTATUS wait_all_blocking(std::span<const target> targets, const sys::deadline& timeout,
                           bool alertable) {
  const sys::deadline until = timeout.resolved();
  names::waiter_identity me;
  if (NTSTATUS s = names::this_thread_waiter(&me); s != STATUS_SUCCESS) return s;
  // INV-STALE: gone before this wait's rounds move the serial on.
  stale_entries::mine().take_out_all();
  thread::alertable_wait alert(alertable);
  const published_wait_all published(targets, me);
  all_wait wait(targets, me);
  return wait.run(until, alert, alertable);
}

}  // namespace ntsem::wait
