// Fault points: named places in the shared-memory protocols where a test
// can make the process die, so that a death at exactly that instruction is
// shown to be repaired (tests/process/, through engine_child's `die-at`).
// Random kills (the crash tests) land in such windows too seldom to prove
// anything about them.
//
// A point that is not armed costs one relaxed load.  Nothing in the library
// arms a point: only a test's helper process does, for itself.
#pragma once

#include <atomic>
#include <cstdint>

namespace ntsem::sys {

enum class fault_point : std::uint8_t {
  none = 0,
  // A contended mutex release: the owner word is out of its owner's list
  // and covered by the pending slot alone, nothing handed yet.
  mutex_release_unlisted,
  // A hand-off has made a waiter the owner of a mutex (its claim word says
  // so), and has not stored the owner word yet.
  mutex_handed_unstored,
  // A hand-off has given a queued waiter a unit of a semaphore or an
  // auto-reset event (its claim word says so), or offered it what its wait
  // takes (its entry says so, object/handoff.hpp, INV-OFFER), and has not
  // stored the value left yet.
  unit_given_unstored,
  // A hold has claimed queued waiters (given units or ownership, or told
  // them) and stored the value, and has woken none of them yet.
  claimed_unwoken,
  // A hold has woken its claimed waiters and marked the entries it offered
  // takes as offered (INV-OFFER), and still holds the queue lock.
  offers_stored,
  // A waiter declining an offer (object/handoff.hpp, INV-OFFER) has marked
  // its entry as handing the offer back, and has not stored the value
  // with it yet.
  offer_returned_unstored,
  // A queued wait's deadline has passed, after its last look at its claim
  // word and doorbells, and it has not given up yet.
  wait_timed_out,
  // A named object made by this thread (a mutex created owned) can be seen
  // by others, and its view is not made yet.
  named_owned_published,
  // A release serving a wait-all (wait/serve_all.hpp) holds all of its
  // objects and has claimed it (serving), and has marked none of them yet.
  wait_all_served_unmarked,
  // A wait-all's thread has found its wait served, and has not taken the
  // mutexes held for it yet (INV-SERVED-MUTEX).
  wait_all_served_untaken,
  // A wait-all's commit (wait/held_objects.hpp) has passed its commit point
  // and has taken none of its objects yet.
  wait_all_committed_untaken,
  // A thread holding an object's queue lock has taken an entry of the
  // object's entry area (object/handoff.hpp, queue_hold::allocate) and has
  // not linked it yet.
  entry_unqueued,
  // A waiter has found its previous wait's stale entry in an object the
  // last of its queue, and has not revived it yet (wait/stale_entries.hpp,
  // INV-REVIVE).
  entry_revive_checked,
  // A waiter has revived a stale entry for its new wait.
  entry_revived,
  // gc holds a file's in-use lock exclusively (namespace/gc_file.hpp).
  gc_file_locked,
};

namespace detail {
extern std::atomic<fault_point> armed_fault_point;
void act_at_fault_point();
}  // namespace detail

// The calling process runs `action` the next time any of its threads
// reaches `p` (none disarms); by default it SIGKILLs itself.  An action
// that returns lets the thread go on.
void arm_fault_point(fault_point p, void (*action)() = nullptr);

inline void reach(fault_point p) {
  if (detail::armed_fault_point.load(std::memory_order_relaxed) == p) [[unlikely]]
    detail::act_at_fault_point();
}

}  // namespace ntsem::sys
