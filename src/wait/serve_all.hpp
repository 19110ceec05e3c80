// A release that serves a wait-all (docs/wait-engine.md, "Wait-all").
//
// Windows serves a wait-all that can complete before the waiters queued
// behind it on the object released (DESIGN.md property 8): the release
// takes every object of the wait for it.  Here a release whose hand-off
// meets a wait_all entry (object::hand_off stops there, and
// object::hand_off_serving calls serve_wait_all: for a change of a
// semaphore or an event, or a mutex's release by its owner) does the same
// when it can reach the wait: it holds every other object of the wait (in
// lock order, waiting for the locks of those after the released object,
// taking those before it only if free now, INV-ALL-ORDER), hands each to
// the waiters queued on it first, and if every one can then be taken, claims the wait (its claim
// word moves to serving), takes them all for it in one commit (INV-ALL,
// with the waiter's wait block and serial, as the waiter's own commit),
// says so (the claim word moves to satisfied) and wakes it.  Otherwise
// nothing is changed: the wait-all is told, and the units go on to the
// waiters behind it, as it reserves nothing while it cannot complete.  A
// wait-all that the hand-off told without a look at whether it could
// complete (one it cannot reach, or whose objects were busy) is not passed
// over for one behind it: from there the hand-off tells the wait-alls it
// meets, so that no wait-all is preferred to one queued earlier.
//
// Reaching the wait: a thread of the waiter's own process finds the
// wait's objects through the targets its thread published in memory.  A
// releaser of another process reads their locations from the wait
// block's published targets in the waiter's record (shm::published_targets),
// and serves the wait if it may write that record (its user's, or root) and
// can hold every one of those objects: one it holds is found by its file
// (names::reference_at), another is opened by the name of the file that
// the waiter's published descriptor opens (names::reference_held_by,
// namespace/held_elsewhere.hpp).  A mutex among the objects is held for the
// waiter (its owner word must go into the new owner's robust list, which
// only the owner writes): the waiter takes it once served, as it takes an
// offer (object/commit_mark.hpp, INV-SERVED-MUTEX).
//
// A server that dies: the waiter (of another process) is woken by the
// death (INV-DEATHWAKE), waits out the server's hold of the object it
// queued on, and finds its claim word serving still.  Its intent then says
// whether the server passed the commit point (every object is to be taken
// for it: it holds each one's lock once, whose repair rolls it forward, and
// returns satisfied) or not (nothing was taken: it attempts again).  The
// server clears the intent only after its claim word says satisfied, and
// only if it is still this wait's; the waiter clears it too.
//
//   INV-SERVE  While a wait-all's entry stamped with its round's serial is
//              linked and its claim word still waits in that round, its
//              thread is inside the wait (it takes the entry out, or sees
//              it claimed, before it returns): its published targets, in
//              memory and in its record, stay valid for a holder of that
//              object's lock.
#pragma once

#include <optional>
#include <span>

#include "namespace/process_record.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {

// What a waiting thread publishes of its wait-all for releasers, from
// before its first entry is queued until after its last one is gone
// (INV-SERVE): its targets, for its own process; their locations, in its
// wait block's published targets, for the others.
class published_wait_all {
 public:
  published_wait_all(std::span<const target> targets, const names::waiter_identity& me);
  ~published_wait_all();
  published_wait_all(const published_wait_all&) = delete;
  published_wait_all& operator=(const published_wait_all&) = delete;

  std::span<const target> targets() const { return targets_; }
  const names::waiter_identity& waiter() const { return me_; }

 private:
  std::span<const target> targets_;
  const names::waiter_identity& me_;
};

// For the waiter `me` on `targets`, whose round `serial` ended satisfied
// with the claim word `c` (not withdrawn) while its entry was on target
// `blocker`: whether a release served it (took every object for it) rather
// than told it (nullopt).  Waits for a server still at work; after a
// server's death, decides by the intent as above.  Served, it takes the
// mutexes held for it and returns STATUS_WAIT_0, or
// STATUS_ABANDONED_WAIT_0 if one of them was abandoned.
std::optional<NTSTATUS> was_served(std::uint64_t c, std::uint32_t serial,
                                   std::span<const target> targets, std::size_t blocker,
                                   const names::waiter_identity& me);

}  // namespace ntsem::wait
