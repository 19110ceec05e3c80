// Hand-off: how a change that signals an object reaches the threads queued
// on it (docs/wait-engine.md, "Releasing").
//
// A thread that waits on one object, or on any of several, and cannot take
// one queues an entry on each (shm/queue_entry.hpp, wait/queued_wait.cpp)
// and sleeps on its own claim word (shm/process_record.hpp).  A change that signals the object while its
// queue is not empty (QUEUED) is made under the object's queue lock, and
// before it is stored it satisfies queued waiters from the head, in order,
// while the object stays signaled: each by one compare-and-swap on the
// waiter's claim word (waiting -> satisfied), which gives the waiter its
// unit; the unit never appears in the count.  So a thread that was not
// waiting cannot take a unit a waiter was owed, and a query sees it
// consumed.  The claimed waiters are woken before the lock is released.
//
// Waiters whose records this process may not write (another user's) cannot
// be claimed: the releaser *offers* instead.  It reserves the wait's take (a
// unit, or a manual-reset event's signal) in the waiter's queue entry,
// which lives with the object, and rings the entry's doorbell; woken, the
// waiter takes the offer under the lock itself.  So a waiter of another
// user keeps its place in the queue, and a thread that was not waiting
// cannot take what it was offered.
//   INV-OFFER    An offered take is counted nowhere but in the entry that
//                holds it (state offered or offering), and the entry stays
//                linked until its waiter, under the lock, either takes it
//                (if its wait had not been satisfied otherwise: alive and
//                waiting, timed out, told or alerted) or hands it back
//                (satisfied through another object first): the take goes
//                back into the value and on to the waiters behind.  A
//                waiter that dies with an offer took it, as a thread killed
//                after its wait was satisfied does; whoever finds it dead
//                drops the entry (and abandons a mutex held for it).  Other
//                releasers pass an offered entry by.
// An offer is made under the seal, like a claim (INV-GIVEN below: the entry
// is `offering` until the hold's store and wakes are done), and a hand-back
// too (the entry is `returning` until the store): a repairer that finds the
// state sealed rolls both forward.  A mutex is offered too, and also to a
// wait-any waiter of this user that does not cover it (INV-COVER), which
// is told as well (claim_outcome::held) and takes it as it leaves: its
// value is held for the entry (mutex_ops::offered_owner, no thread's id),
// its owner word holding the giver's id until the store, as for a claim
// (INV-HANDED: a giver's death before it abandons the mutex and voids the
// offer); the waiter makes itself the owner under the lock, or, satisfied
// otherwise, takes it and hands it on as a release does
// (object/mutex.hpp).  A waiter
// that dies with it took it and died owning it: whoever finds it dead
// makes the mutex abandoned (lapse_offered).  Only queued waiters take from
// a QUEUED object (INV-QUEUE).
//
// Invariant, each time the queue lock is released:
//   INV-HANDOFF  the object is not signaled, or every entry in its queue
//                belongs to a waiter that is withdrawing or alerted
//                (leaving by itself), offered already, unreachable and
//                rung (no memory to read its record), already dead, or over (a
//                satisfied wait-any's stale entry, wait/stale_entries.hpp).
//
// A wait-all met on the way is served first when it can complete and the
// release can reach all its objects (wait/serve_all.hpp): the hand-off
// stops at its entry, the release takes every object of the wait for it,
// and the hand-off resumes behind it.
//
// Ownership (a mutex) is handed in three steps under the lock: the claim
// (covered -> owner on the waiter's claim word), the store of the owner
// word with the waiter's id, and the removal of the waiter's entry.
//   INV-HANDED   A waiter made owner owns the mutex only once the owner
//                word holds its id; until then its entry stays linked, and
//                the owner word holds the holder's own id, its entry in
//                the holder's robust list.  So a holder that dies between the
//                claim and the store leaves the mutex abandoned (the
//                kernel marks the word and wakes a sleeper) and the claim
//                void: its repairer moves the claim word on to told
//                (finish_dead_claims), and the waiter itself,
//                finding the holder's hold over and the word not its id,
//                takes it as told (wait/queued_wait.cpp, handed_to_me).
//
// Units are handed with the same care: the claims come before the one
// store of what is left, and a holder that dies in between must leave no
// unit both given and still in the count (a change that hands on units the
// count already held, such as a leaving waiter's), nor one taken out and
// given to nobody.
//   INV-GIVEN    From its first claim of a unit to its store, a holder
//                keeps the state sealed (LOCKED|HANDING, so readers without
//                the lock wait) with the value as the change made it,
//                before any claim, and every entry it claimed with a unit
//                linked.  A repairer that finds HANDING rolls the hand-off
//                forward: one wait's worth out of the value for each linked
//                entry whose waiter's claim word says it was satisfied
//                through that entry, and the entries go; the same for each
//                entry offered under that hold (which stays, offered), after
//                one wait's worth back for each entry it was handing back
//                (which goes); without HANDING the value was stored, and
//                such entries only go, or stay offered (their waiters woken,
//                INV-WOKEN).  The waiter does not move its
//                claim word on while its entry may be linked and HANDING is
//                set: finding it so, it waits out the hold (takes the lock,
//                which repairs it if the giver died; wait/queued_wait.cpp,
//                finish).  A waiter that dies meanwhile, its record gone,
//                is counted as not given.
//
// The wakes are made before the lock is let go, and a claimed waiter's
// entry leaves only after its wake, so that no holder can die owing one:
//   INV-WOKEN    While a waiter that a holder claimed (gave a unit or
//                ownership, or told) may not have been woken, its entry
//                stays linked and the holder keeps the lock.  A holder
//                killed at any instruction thus leaves each waiter it
//                claimed woken, or linked under a lock the kernel marks:
//                the repairer wakes every linked entry whose waiter's claim
//                word says it was claimed through that entry (and rolls a
//                unit's claim forward, INV-GIVEN; revokes an unstored
//                ownership, INV-HANDED), and takes it out
//                (finish_dead_claims).  Only the holder or its repairer
//                removes such an entry; its waiter never does, and need not
//                wait for it to go once the value is stored.
// And the death itself wakes a waiter claimed and not woken yet, so that it
// need not wait for the next user of the object:
//   INV-DEATHWAKE  A holder keeps its thread's pending robust slot pointed
//                at the claim word of a waiter it claimed and has not woken
//                yet (the owner bits of a claimed word are 0, its flags
//                being FUTEX_WAITERS and FUTEX_OWNER_DIED: a wait-any given
//                a unit, a wait told, a made owner of a mutex, abandoned or
//                not, a wait-all being served; shm::claim).  From before
//                its first such claim for a
//                semaphore or an event (the hold's lock in the list, so
//                that the slot is free), from the store on for a mutex
//                (until then the slot covers the owner word, INV-OWNER),
//                until its last wake, moving on to the next such waiter
//                before each wake.  The kernel, which marks the lock word
//                of a thread that dies, then wakes the sleeper on the
//                pending word, its owner bits being 0 (kernel/futex/core.c,
//                handle_futex_death: the unlock-then-die case of a robust
//                mutex).  The waiter finds its entry linked under a lock
//                marked dead: one given a unit or made owner takes the lock
//                (wait/queued_wait.cpp, finish), a told one queues again or
//                attempts its wait-all again, which takes it; and the
//                lock's repair wakes the others.  A holder that goes on to
//                take other objects' locks (a wait-all's attempt, a release
//                that serves one), which use the slot, wakes the waiters it
//                claimed first (wake_claimed); a mutex's waiters claimed in
//                an attempt sleep on its owner word too (INV-SLEEP), which
//                holds the holder's id, listed, until the store, so its
//                death wakes one of them.  A waiter whose record may not be
//                written here, out of the cover's reach, is woken as it is
//                rung (ring): it answers under the lock, so it waits for
//                the lock, and the kernel wakes it there if this holder
//                dies.  On an older kernel whose exit path lacks the wake
//                of a pending word, the covered waiters are woken by the
//                next user of the object (the tests that a death wakes the
//                waiter then fail).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include <ntsem/winternl.h>

#include "namespace/record_map.hpp"
#include "object/object_ref.hpp"
#include "object/state_word.hpp"
#include "object/wait_queue.hpp"
#include "shm/process_record.hpp"
#include "sys/robust_list.hpp"
#include "sys/robust_lock.hpp"

namespace ntsem::object {
class queue_hold;
}

namespace ntsem::wait {
// Defined by the wait layer (wait/serve_all.cpp): a release's hand-off,
// stopped under `hold` (which froze the object `ref` into the state `s`,
// the hand-off leaving the value `v`) at the wait_all entry `index`, takes
// every object of that wait for it if it can complete now.
enum class served : std::uint8_t {
  whole,            // it did (the object's value is then stored anew)
  cannot_complete,  // nothing changed: an object of the wait cannot be taken
  not_now,          // nothing changed: it could not look (an object's lock
                    // was busy, or the wait is not one it may serve)
};
// `released_owner`: `ref` is a mutex whose owner, this thread, is
// releasing it, its owner word out of the thread's robust list and covered
// by the pending slot alone (object/mutex.cpp, INV-OWNER).
served serve_wait_all(object::queue_hold& hold, const object::object_ref& ref,
                      std::uint32_t index, std::uint64_t s, std::uint32_t v,
                      bool released_owner = false);
}  // namespace ntsem::wait

namespace ntsem::object {

// Who a queue entry stands for: one wait of one thread (its process
// record, its wait block there, the wait's serial, the thread).
struct waiter_stamp {
  names::record_name record;
  std::uint32_t block = 0;
  std::uint32_t serial = 0;
  std::uint32_t thread_id = 0;
};

// Writes `who` and the entry's place (shm::make_place) into entry `e`.
void stamp_entry(shm::queue_entry& e, const waiter_stamp& who, std::uint16_t place);
// Whether entry `e` still stands for the wait `who` (an entry freed by a
// releaser may since stand for another wait).
bool stamped_by(const shm::queue_entry& e, const waiter_stamp& who);

// What a releaser found when it tried to satisfy one queued waiter.
enum class claim_outcome : std::uint8_t {
  claimed,      // satisfied now: the waiter has its unit (INV-WOKEN: its entry
                // leaves once it is woken)
  told,         // woken with nothing, the value unchanged (the same)
  held,         // told, and the mutex is to be held for its entry (a
                // wait-any not covering it, INV-OFFER): the waiter takes it
                // as it leaves, keeping its place
  withdrawing,  // alive and leaving by itself (timed out, alerted): pass it by
  gone,         // dead, or an entry that names no live wait: dequeue it
  unreachable,  // alive and waiting, its record may not be written here:
                // offer it the take (INV-OFFER), or ring it (a mutex)
  unseen,       // its record could not be read here (no descriptor or
                // memory left): ring its doorbell, the take left in the value
};

// Holds an object's queue lock (briefly: no other lock is taken under it),
// after repairing the queue if the previous holder died holding it.  The
// waiters claimed under it are woken by the destructor before it lets go
// of the lock (or earlier, wake_claimed); the entries of the claimed ones
// leave the queue then, after their wakes (INV-WOKEN).  A rung doorbell's
// waiter is woken at the ring.
class queue_hold {
 public:
  // `how`: brief for a hold with no other lock taken under it; listed for
  // one of several held at once (a wait-all's, sys/robust_lock.hpp).  A
  // mutex's hold is always listed: its store may need the pending slot for
  // the owner word (INV-HANDED).
  queue_hold(shm::object_slot& slot, const entry_area& area,
             sys::lock_hold how = sys::lock_hold::brief);
  ~queue_hold();
  queue_hold(const queue_hold&) = delete;
  queue_hold& operator=(const queue_hold&) = delete;

  wait_queue& queue() { return queue_; }
  const entry_area& area() const { return area_; }
  // An entry of the area, taken, for the caller to link under this hold or
  // free under it (INV-QALONE, object/wait_queue.hpp); nullopt when every
  // entry is in use.
  std::optional<std::uint32_t> allocate();
  // Tries to satisfy the waiter of entry `index` (which is in the queue):
  // with a unit (`how` unit), by telling it (a wait_all entry; an owned
  // type's waiter that is not covered, INV-COVER), or by making it the
  // owner (an owned type's covered waiter; `abandoned`: the mutex was).
  // `how` all: the wait_all entry's wait is satisfied whole (the caller is
  // taking every object of it for it, wait/serve_all.hpp).
  enum class giving : std::uint8_t { unit, ownership, all };
  claim_outcome claim(std::uint32_t index, giving how = giving::unit, bool abandoned = false);
  // Rings the doorbell of entry `index` and wakes its waiter at once.
  void ring(std::uint32_t index);
  // Offers the waiter of entry `index` (claim_outcome::unreachable, a
  // wait-any) its take (INV-OFFER): the caller takes it out of the value,
  // sealed first (begin_handing) if that changes the value; the doorbell is
  // rung, and the entry is offered once the value is stored and the waiter
  // woken.  A waiter told through the entry (claim_outcome::held) is woken
  // through its claim word, not rung.
  void offer(std::uint32_t index, bool ring_it = true);
  // Whether the waiter of entry `index`, which holds an offer, can no
  // longer come for it: its thread or process ended (it took the offer,
  // INV-OFFER).  Then drop() it.
  bool offer_lapsed(std::uint32_t index);
  // The caller's own entry `index` holds an offer it declines: seals the
  // frozen value `v` (begin_handing) and marks the entry as handing the
  // offer back; the caller stores the value with the take back in it, and
  // the entry leaves the queue after that store.
  void give_back(std::uint32_t index, std::uint32_t v);
  // Takes entry `index`, which names no live wait (claim_outcome::gone, or
  // a lapsed offer), out of the queue and frees it; unless this hold claimed it, in which
  // case it leaves after its waiter's wake (INV-WOKEN).
  void drop(std::uint32_t index);
  // Whether a release under this hold may stop at entry `index` to look
  // whether it can serve it (wait/serve_all.hpp): a wait_all entry that
  // this hold has not claimed.
  bool may_serve(std::uint32_t index) const;
  // Makes this hold a listed one, so that the thread may take other locks
  // under it (sys::robust_hold_listed).
  void become_listed();
  // For a hold taken with try_lock: whether the lock is held.
  bool locked() const { return locked_; }
  struct try_lock_t {};
  static constexpr try_lock_t try_lock{};
  // Takes the lock (listed) only if it is free now; locked() says whether.
  queue_hold(shm::object_slot& slot, const entry_area& area, try_lock_t);

  // Before the first claim that gives a unit (INV-GIVEN): seals the frozen
  // state with the value `v` the change made, before any claim.  Once per
  // freeze; later calls do nothing.
  void begin_handing(std::uint32_t v);

  // Makes the value stable for this holder: sets QUEUED if it is clear, so
  // that takers that hold no lock refuse the object and releasers come to
  // the lock (INV-QUEUE).  *s receives the state with QUEUED set.
  // STATUS_INVALID_HANDLE, nothing changed, if the object is not the
  // incarnation `incarnation`.  (LOCKED is never found here: its setter
  // clears it before its hold ends, or the hold's repair did, INV-LOCK.)
  NTSTATUS freeze(std::uint32_t incarnation, std::uint64_t* s);
  // Stores value `v` into the frozen state *s with LOCKED set (a wait-all's
  // commit mark, INV-LOCK): readers that hold no lock wait until it is
  // stored again.  *s receives the sealed state.  It is the store of a
  // hand-off made under this hold (INV-GIVEN): `v` is what it left.
  void seal(std::uint64_t* s, std::uint32_t v);
  // Ends a freeze: stores value `v` into the frozen state `s`, with QUEUED
  // (and a mutex's SLEEPERS) as the queue now is and LOCKED (and HANDING)
  // clear.  False when the value changed under the freeze, which only the
  // kernel does (a mutex owner's death mark, INV-OWNER): then the marked
  // value is kept with the flags, and the caller hands it on again (settle
  // does).  The entries of waiters claimed by claim() stay linked past the
  // store, QUEUED set for them, until their waiters have been woken
  // (INV-HANDED, INV-GIVEN, INV-WOKEN).
  bool store(std::uint64_t s, std::uint32_t v);
  // INV-DEATHWAKE's cover on the first waiter covered under this hold and
  // not woken yet, if any, once more: a lock taken or let go under the
  // hold uses the same robust slot.
  void renew_death_cover();
  // Whether the thread's pending robust slot is this hold's cover (then
  // its caller leaves the slot alone).
  bool covers_a_death() const { return death_covered_; }
  // The first entry of the queue that holds an offer (INV-OFFER), if any;
  // with `to`, the first that holds one to that wait.
  std::optional<std::uint32_t> first_offer(const waiter_stamp* to = nullptr) {
    std::optional<std::uint32_t> found;
    for_each_queued([&](std::uint32_t i, const shm::queue_entry& e) {
      if (!found && shm::holds_offer(e) && (!to || stamped_by(e, *to))) found = i;
    });
    return found;
  }
  // Wakes the waiters claimed so far now, not as the hold ends;
  // their entries stay linked until then (INV-WOKEN), and a woken waiter
  // whose take is unstored comes to this lock.  For a hold of a semaphore
  // or an event under which this thread goes on to take other objects'
  // locks (a wait-all's attempt, a release that serves one): those takes
  // use the pending robust slot, so they could not keep a claimed waiter
  // covered (INV-DEATHWAKE), and a death there would leave it asleep until
  // the next user of the object.  Claims made after are covered anew.
  void wake_claimed();

 private:
  struct pending_wake {
    names::record_ref record;  // keeps the word's record mapped
    const std::uint32_t* word;
    // The entry through which this hold claimed the waiter (gave it a unit
    // or ownership, or told it; the word is its claim word): linked until
    // the waiter has been woken (INV-WOKEN).  None for the other wakes.
    std::optional<std::uint32_t> claimed = std::nullopt;
    // The claim word's robust entry, for a waiter claimed here (its claim
    // word has no owner bits): the death cover may point at it
    // (INV-DEATHWAKE).
    sys::robust_entry* cover = nullptr;
  };
  // Calls f(index, entry) for each entry of the queue, in order; f may
  // take the entry it is given out of the queue.
  template <class F>
  void for_each_queued(F&& f) {
    std::optional<std::uint32_t> i = queue_.first();
    for (std::uint32_t steps = 0; i && steps < area_.count; ++steps) {
      const std::optional<std::uint32_t> next = queue_.after(*i);
      f(*i, area_.entries[*i]);
      i = next;
    }
  }
  // claim() of the wait whose waiter word (serial and thread) is `w`.
  claim_outcome claim_wait(std::uint32_t index, std::uint64_t w, giving how, bool abandoned);
  // Points the thread's pending robust slot at `entry` (INV-DEATHWAKE),
  // the hold listed first so that the slot is free.
  void cover_from_death(sys::robust_entry* entry);
  // Wakes every waiter of wakes_ not woken yet, the death cover moving
  // ahead of them.
  void wake_all();
  void repair();
  void finish_dead_claims();
  bool claimed_here(std::uint32_t index) const;
  // Clears QUEUED (and a mutex's SLEEPERS) once the entries claimed under
  // this hold have left a queue that is then empty.
  void clear_queue_flags();
  void cover_owner_word();
  void end_cover();

  shm::object_slot& slot_;
  entry_area area_;
  sys::lock_hold how_;
  wait_queue queue_;
  // The waiters claimed under this hold, woken as it ends; the
  // first woken_ of them are woken already (wake_claimed).
  std::vector<pending_wake> wakes_;
  std::size_t woken_ = 0;
  // A doorbell was rung under this hold (its waiter woken at the ring).
  bool rung_ = false;
  // The pending slot covers a waiter claimed under this hold
  // (INV-DEATHWAKE).
  bool death_covered_ = false;
  // The state as begin_handing() sealed it, until the store (INV-GIVEN).
  std::optional<std::uint64_t> handing_;
  // Entries offered under this hold (offering until it ends) and handed
  // back (linked until it ends), INV-OFFER.
  std::vector<std::uint32_t> offers_;
  std::vector<std::uint32_t> returns_;
  // This hold gave the owner word its thread's id, the entry in the
  // thread's robust list, at its first hand-off of a mutex, until the store
  // (INV-HANDED).  (A release's word holds the releaser's id already,
  // covered by the releaser, object/mutex.cpp.)
  bool covered_by_me_ = false;
  bool locked_ = true;
};

// Where a hand-off stopped, for a release to serve a wait-all
// (wait/serve_all.hpp), and where it resumes.
struct wait_all_stop {
  std::optional<std::uint32_t> at;      // the wait_all entry it stopped at
  std::optional<std::uint32_t> passed;  // one it must not stop at again
  // A wait-all met before was told without being found unable to complete
  // (another process's, or one whose objects were busy): the wait-alls
  // behind it are told too, so that none is preferred to it.
  bool tell_rest = false;
};

// Satisfies queued waiters in order while the value `v` stays signaled
// (under `hold`, once per freeze); returns the value left.  Entries of dead
// waiters met on the way are dequeued and freed; those of satisfied or told
// ones stay linked until their waiters are woken (INV-HANDED, INV-GIVEN,
// INV-WOKEN).
//
// With `stop`, it stops at a wait_all entry that may be
// served (queue_hold::may_serve) while no unreachable waiter was rung
// (nothing of the value is promised) and no wait-all before it was told
// unlooked at (stop->tell_rest), sets stop->at and returns the value left;
// called again with the same `stop`, it resumes there.
// A mutex held for an offer (INV-OFFER) stays so while the waiter whose
// entry holds the offer may still come for it; one that cannot (its thread
// or process ended, or no entry holds the offer) took it and died owning
// it: the entry goes, and the mutex is abandoned.
template <class Ops>
std::uint32_t lapse_offered(queue_hold& hold, std::uint32_t v) {
  const std::optional<std::uint32_t> i = hold.first_offer();
  if (i && !hold.offer_lapsed(*i)) return v;
  if (i) hold.drop(*i);
  return Ops::taken_by_dead(v);
}

template <class Ops>
std::uint32_t hand_off(queue_hold& hold, std::uint32_t v, wait_all_stop* stop = nullptr) {
  // Where it resumes; it stops again only where it says so below.
  const std::optional<std::uint32_t> resume = stop ? std::exchange(stop->at, std::nullopt)
                                                   : std::nullopt;
  if constexpr (Ops::owned) {
    if (Ops::is_offered(v)) {
      v = lapse_offered<Ops>(hold, v);
      if (Ops::is_offered(v)) return v;
    }
  }
  wait_queue& q = hold.queue();
  // What remains once the unreachable waiters rung so far take theirs.
  std::uint32_t unpromised = v;
  std::optional<std::uint32_t> i = resume ? resume : q.first();
  for (std::uint32_t steps = 0; i && steps < hold.area().count; ++steps) {
    const shm::queue_entry& e = hold.area().entries[*i];
    const std::uint32_t tid = shm::entry_thread(e);
    if (!Ops::signaled(unpromised, tid)) break;
    if (stop && shm::entry_kind_of(e) == shm::entry_kind::wait_all && *i != stop->passed) {
      if (!stop->tell_rest && unpromised == v && hold.may_serve(*i)) {
        stop->at = *i;
        return v;
      }
      stop->tell_rest = true;  // told below, unlooked at
    }
    const std::optional<std::uint32_t> next = q.after(*i);
    // An offered waiter has its take already, and a declined offer is on
    // its way back (INV-OFFER): pass them by.
    if (shm::holds_offer(e)) {
      if (hold.offer_lapsed(*i)) hold.drop(*i);
      i = next;
      continue;
    }
    if (shm::in_state(e, shm::entry_state::returning)) {
      i = next;
      continue;
    }
    const auto how = Ops::owned ? queue_hold::giving::ownership : queue_hold::giving::unit;
    const bool wait_any = shm::entry_kind_of(e) == shm::entry_kind::wait_any;
    // A claim or an offer that takes from the value is made under the seal
    // (INV-GIVEN).
    if (!Ops::owned && Ops::after_wait(v, tid) != v && wait_any) hold.begin_handing(v);
    switch (hold.claim(*i, how, Ops::abandoned(v))) {
      case claim_outcome::claimed:
        // The entry stays linked until its waiter is woken (INV-WOKEN).
        v = Ops::after_wait(v, tid);
        unpromised = Ops::after_wait(unpromised, tid);
        break;
      case claim_outcome::told: break;  // linked until woken, as claimed
      case claim_outcome::held:
        if constexpr (Ops::owned) {
          // Held for it as for a waiter of another user (below); its wake
          // is its claim word's.
          hold.offer(*i, false);
          unpromised = v = Ops::offered(v);
        }
        break;
      case claim_outcome::gone: hold.drop(*i); break;
      case claim_outcome::unreachable:
        if (wait_any) {
          hold.offer(*i);
          if constexpr (Ops::owned) {
            // Held for it: nobody else may take it (nor, so, be handed it).
            unpromised = v = Ops::offered(v);
          } else {
            v = Ops::after_wait(v, tid);
            unpromised = Ops::after_wait(unpromised, tid);
          }
          break;
        }
        [[fallthrough]];
      case claim_outcome::unseen:
        hold.ring(*i);
        // A wait-all's thread takes nothing for being rung.
        if (wait_any) unpromised = Ops::after_wait(unpromised, tid);
        break;
      case claim_outcome::withdrawing: break;
    }
    i = next;
  }
  return v;
}

// A waiter's own entry, brought to settle() by the waiter itself.
struct own_entry {
  std::uint32_t index = 0;
  // The waiter's claim word and the move that makes the object's unit its
  // own, made under the lock when the object can be taken and before the
  // value is stored.  It fails when a releaser of another object of the
  // same wait satisfied the wait first (INV-CLAIM): the object is then left
  // alone.  Null when the waiter already owns its word (it stopped waiting).
  std::atomic<std::uint64_t>* claim = nullptr;
  std::uint64_t expected = 0;
  std::uint64_t desired = 0;
  // Append the entry when the object cannot be taken; else leave it out.
  bool queue = true;
};

// What settle() did with the caller's entry.
enum class settled : std::uint8_t {
  nothing,  // no entry given, or it was neither taken nor queued
  taken,    // the object was signaled after the hand-off: one unit is the caller's
  queued,   // the entry was appended: the caller waits
};

struct settle_result {
  NTSTATUS status = STATUS_SUCCESS;
  settled mine = settled::nothing;
  bool abandoned = false;       // the caller took an abandoned mutex
  std::uint32_t old_value = 0;  // the value before the change
  std::uint32_t new_value = 0;  // the value stored
};

// hand_off under `hold`, which froze the object `ref` into *s, from the
// value *n: it stops at each wait-all it may serve (wait_all_stop) and
// serves it if it can complete now (wait/serve_all.hpp), then goes on
// behind it; *n is the value left.  A serve stores the value, so it is
// frozen again into *s after one.  An error if the object died meanwhile.
// For a mutex, only its owner's release, with the owner word out of the
// owner's list (serve_wait_all's released_owner).
template <class Ops>
NTSTATUS hand_off_serving(queue_hold& hold, const object_ref& ref, std::uint64_t* s,
                          std::uint32_t* n) {
  wait_all_stop stop;
  *n = hand_off<Ops>(hold, *n, &stop);
  while (stop.at) {
    switch (wait::serve_wait_all(hold, ref, *stop.at, *s, *n, Ops::owned)) {
      case wait::served::whole:
        if (NTSTATUS status = hold.freeze(ref.incarnation, s); status != STATUS_SUCCESS)
          return status;
        *n = shm::state::value(*s);
        break;
      case wait::served::cannot_complete:
        stop.passed = stop.at;  // told as any wait-all is, below
        break;
      case wait::served::not_now:
        stop.passed = stop.at;
        stop.tell_rest = true;
        break;
    }
    *n = hand_off<Ops>(hold, *n, &stop);
  }
  return STATUS_SUCCESS;
}

// The one way the value of an object changes under its queue lock (held in
// `hold`): freeze the value (queue_hold::freeze), apply `change` as
// change_value does, hand the result to the queue, apply `then` to what the
// hand-off left (a pulse resets the event there), then, for a caller with
// an entry `mine`, take one unit for it if the object is still signaled
// (and its claim allows) or else append the entry; and store the value with
// QUEUED as the queue now is (INV-QUEUE).  A failed change stores nothing
// new: the value stays as it was, QUEUED as the queue is.
//
// Waiters claimed by the hand-off own their units from the moment of the
// claim, before the store.  That is sound because the value is frozen: from
// the freeze to the store only this holder changes it, with one exception
// that claims nothing: the kernel's death mark of a mutex owner, made while
// the mutex was owned (so not signaled, and nobody was handed it).  The
// store then keeps the mark, and the abandoned mutex is handed on before
// the lock is let go (INV-OWNER).
// What a change stores after its hand-off: by default the value the
// hand-off left.
struct keep_value {
  std::uint32_t operator()(std::uint32_t v) const { return v; }
};

template <class Ops, class Change, class Then = keep_value>
settle_result settle(queue_hold& hold, const object_ref& ref, Change&& change,
                     const own_entry* mine, Then then = {}) {
  settle_result r;
  std::uint64_t s = 0;
  if (r.status = hold.freeze(ref.incarnation, &s); r.status != STATUS_SUCCESS) return r;
  r.old_value = shm::state::value(s);
  std::uint32_t n = r.old_value;
  if (r.status = change(r.old_value, &n); r.status == STATUS_SUCCESS) {
    // A wait-all met on the way is served before the waiters behind it,
    // when it can complete now (wait/serve_all.hpp).  Not by a pulse, whose
    // signal is never stored, nor for a mutex but by its release
    // (object/mutex.cpp).
    if constexpr (std::is_same_v<Then, keep_value> && !Ops::owned) {
      if (r.status = hand_off_serving<Ops>(hold, ref, &s, &n); r.status != STATUS_SUCCESS)
        return r;
    } else {
      n = hand_off<Ops>(hold, n);
    }
    n = then(n);
    if (mine) {
      const std::uint32_t tid = Ops::owned ? sys::current_thread_id() : 0;
      if (!Ops::signaled(n, tid)) {
        if (mine->queue) {
          hold.queue().append(mine->index);
          r.mine = settled::queued;
        }
      } else if (std::uint64_t seen = mine->expected;
                 !mine->claim ||
                 mine->claim->compare_exchange_strong(
                     seen, mine->desired | (Ops::abandoned(n) ? shm::claim::abandoned_flag : 0),
                     order)) {
        r.abandoned = Ops::abandoned(n);
        Ops::before_take(ref, n, tid);
        Ops::after_take(ref, n, tid);
        n = Ops::after_wait(n, tid);
        r.mine = settled::taken;
      }
    }
  } else {
    n = r.old_value;
  }
  r.new_value = n;
  // Only a mutex owner's death changes a frozen value (INV-OWNER): hand the
  // abandoned mutex on (the entry just queued, if any, is handed it or told
  // like any other).
  while (!hold.store(s, n) && hold.freeze(ref.incarnation, &s) == STATUS_SUCCESS)
    n = hand_off<Ops>(hold, shm::state::value(s));
  return r;
}

// A waiter's decline of the offer its entry `index` holds (INV-OFFER),
// under `hold`: a change of the value (settle) that gives the offer's take
// back, so that it goes on to the waiters queued behind, or into the value.
// The entry leaves the queue once the value is stored.
template <class Ops>
settle_result decline_offer(queue_hold& hold, const object_ref& ref, std::uint32_t index) {
  const auto maximum = static_cast<std::uint32_t>(ref.slot->maximum.load(order));
  return settle<Ops>(
      hold, ref,
      [&](std::uint32_t v, std::uint32_t* n) {
        hold.give_back(index, v);
        *n = Ops::returned(v, maximum);
        return STATUS_SUCCESS;
      },
      nullptr);
}

// The one shape of every call that changes an object's value (a release, a
// set, a reset): read the state, compute the new value, compare-and-swap;
// with waiters queued, or a wait-all committing (LOCKED, which comes with
// QUEUED: INV-LOCK), the same under the queue lock with hand-off (settle).
// The swap expects the handle's incarnation, so an object that died is
// never changed (INV-INCARNATION): STATUS_INVALID_HANDLE.  `next(v, &n)`
// returns STATUS_SUCCESS with the new value in n, or an error that leaves
// the object unchanged; `then(n)` is the value stored once queued waiters
// have been handed what n gives them (n itself unless given).  On success
// *old holds the value replaced and *now the value stored.  The swap is
// made even when n == v, so that the call is a release store that a later
// wait synchronizes with.
template <class Ops, class Next, class Then = keep_value>
inline NTSTATUS change_value(const object_ref& ref, Next&& next, std::uint32_t* old,
                             std::uint32_t* now, Then then = {}) {
  shm::object_slot& slot = *ref.slot;
  std::uint64_t s = slot.state.load(order);
  while (!(s & (shm::state::queued | shm::state::locked))) {
    if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
    const std::uint32_t v = shm::state::value(s);
    std::uint32_t n = v;
    if (NTSTATUS status = next(v, &n); status != STATUS_SUCCESS) return status;
    n = then(n);  // nobody queued: nothing to hand off first
    if (slot.state.compare_exchange_weak(s, shm::state::with_value(s, n), order)) {
      *old = v;
      *now = n;
      return STATUS_SUCCESS;
    }
  }
  queue_hold hold(slot, ref.home->queue_area);
  const settle_result r = settle<Ops>(hold, ref, next, nullptr, then);
  *old = r.old_value;
  *now = r.new_value;
  return r.status;
}

}  // namespace ntsem::object
