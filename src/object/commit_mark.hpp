// A wait-all's commit, object by object, and its repair after a death
// (docs/wait-engine.md, "Wait-all"; the waiter's side is wait/wait_all.cpp).
//
// The committing thread holds the queue lock of every object of its wait
// (listed holds, taken in object_location order), has frozen each
// (INV-QUEUE) and found each one able to be taken.  Then:
//   1. mark():  on each object, link a commit entry that names the
//               thread's wait block and the wait's serial, then seal the
//               state (LOCKED: readers without the lock wait, INV-LOCK);
//   2. it stores intent::committed(serial) into its wait block: the commit
//      point (shm/process_record.hpp);
//   3. apply(): on each object, one compare-and-swap takes the wait's
//      worth and clears LOCKED; then the commit entry goes;
//   4. it clears the intent and lets go of the locks.
// A thread that dies anywhere in this leaves every queue lock it holds
// marked by the kernel (sys/robust_lock.hpp).  The next holder of each such
// lock runs repair_commit() before anything else: a LOCKED object whose
// commit entry's wait block says committed(serial) is taken (rolled
// forward), any other LOCKED object is left as it was (rolled back); the
// commit entry goes either way.
//
// Invariant:
//   INV-ALL  The intent says committed(serial) only while every object of
//            the wait is sealed by its thread, each able to be taken, and
//            until each is taken.  After that point each sealed object is
//            taken exactly once: by apply() (which clears LOCKED in the
//            same step) or by a repairer (which finds LOCKED still set).
//            Before it, nothing was taken and a repairer takes nothing.  So
//            the objects are taken all or none, even across a SIGKILL at
//            any instruction, and since LOCKED keeps readers out from the
//            seal to the take, nobody sees some taken and others not.
// A repairer reads the dead thread's intent from its process record
// (names::read_commit_intent, which never maps it); `ntsem gc` keeps a dead
// process's record while one of its blocks holds an intent.
#pragma once

#include <cstdint>

#include "namespace/process_record.hpp"
#include "object/handoff.hpp"
#include "object/object_type.hpp"

namespace ntsem::object {

// Step 1 on one object, under `hold`, on the frozen state *s: links the
// commit entry `entry` (taken from the object's area by the caller) and
// seals the state with the value `v` the holder decided on (what the
// waiters queued before it left).
void mark(queue_hold& hold, std::uint32_t entry, const waiter_stamp& who, std::uint64_t* s,
          std::uint32_t v);

// Step 3 on one marked object: takes one wait's worth from the sealed
// state `s` for thread `tid`, clears LOCKED, then unlinks and frees the
// commit entry.  True when the object was an abandoned mutex.
template <class Ops>
bool apply(queue_hold& hold, const object_ref& ref, std::uint32_t entry, std::uint64_t s,
           std::uint32_t tid) {
  const std::uint32_t before = shm::state::value(s);
  const std::uint32_t v = Ops::after_wait(before, tid);
  Ops::before_take(ref, before, tid);
  // Sealed and frozen: nobody else changes the word (INV-LOCK; a mutex is
  // free or this live thread's), so only a spurious failure retries.
  // QUEUED stays set while the entry is linked.
  std::uint64_t expected = s;
  const std::uint64_t taken = shm::state::with_value(s, v) & ~shm::state::locked;
  while (!ref.slot->state.compare_exchange_weak(expected, taken, order)) expected = s;
  Ops::after_take(ref, before, tid);
  hold.queue().remove(entry);
  wait_queue::free(hold.area(), entry);
  hold.store(taken, v);
  return Ops::abandoned(before);
}

// Step 3 on a marked mutex (sealed and frozen) of a wait-all that a
// release serves (wait/serve_all.hpp).  Its waiter, a thread that may be of another
// process, must list the owner word itself (INV-OWNER), so the mutex is
// held for it (INV-OFFER): LOCKED clears with the owner word
// mutex_ops::offered(before), then the commit entry `entry` becomes the
// offer's, queued where it is: offered, then a wait_all entry (its stamp
// still the wait's, which is how the waiter finds it).  The waiter takes it
// (take_offered_mutex) once served.
//   INV-SERVED-MUTEX  A commit entry on a mutex whose wait-all was served
//                     (its claim word satisfied, not told, in the entry's
//                     round) and passed its commit point becomes the offer
//                     of the mutex to that wait, never a take by the dead:
//                     a repairer finishes the steps above that its holder
//                     did not make.
void offer_to_served(queue_hold& hold, const object_ref& ref, std::uint32_t entry);

// The repair of a queue whose lock holder died (called by queue_hold):
// finishes or undoes its commit on this object (INV-ALL,
// INV-SERVED-MUTEX).
void repair_commit(queue_hold& hold, shm::object_slot& slot);

}  // namespace ntsem::object
