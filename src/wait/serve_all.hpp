// A release that serves a wait-all (docs/wait-engine.md, "Wait-all").
//
// Windows serves a wait-all that can complete before the waiters queued
// behind it on the object released (DESIGN.md property 8): the release
// takes every object of the wait for it.  Here a release of an object whose
// hand-off meets the wait_all entry of a thread of the same process
// (object::hand_off stops there, object::settle calls serve_wait_all) does
// the same: it holds every other object of the wait, each only if its lock
// is free now, hands each to the waiters queued on it first, and if every
// one can then be taken, satisfies the wait whole (its claim word moves to
// satisfied, not told) and takes them all for it in one commit (INV-ALL,
// with the waiter's wait block and serial, as the waiter's own commit).
// Otherwise nothing is changed: the wait-all is told, and the units go on to
// the waiters behind it, as it reserves nothing while it cannot complete.
// A wait-all that the hand-off told without a look at whether it could
// complete (another process's, or one whose objects were busy) is not
// passed over for one behind it: from there the hand-off tells the
// wait-alls it meets, as before, so that a process's own wait-alls are not
// preferred to another's queued earlier.
//
// Why the same process only: the releaser must reach the wait's other
// objects, which only the waiting process is sure to have open, and the
// wait's block, which only it may write.  And a death stays simple: the
// releaser dies with the waiter, so nobody is left owed a commit; the
// objects come out whole through the commit's repair (INV-ALL).  A release
// from another process tells the wait-all as before.
//
//   INV-SERVE  While a wait-all's entry stamped with its round's serial is
//              linked and its claim word still waits in that round, its
//              thread is inside the wait (it takes the entry out, or sees
//              it claimed, before it returns): its published targets stay
//              valid for a holder of that object's lock.
#pragma once

#include <span>

#include "namespace/process_record.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {

// What a waiting thread publishes of its wait-all for the releasers of its
// process, from before its first entry is queued until after its last one
// is gone (INV-SERVE).
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

// Whether the claim word `c` says the round `serial` of a wait-all was
// served whole by a release (not merely told).
bool served_whole(std::uint64_t c, std::uint32_t serial);

}  // namespace ntsem::wait
