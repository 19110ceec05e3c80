// The entries a satisfied wait-any leaves in the queues of its other
// objects, and their removal by the same thread later (docs/wait-engine.md,
// "Waiting on one object or any of several").
//
// A wait-any over n objects is satisfied through one of them; its entries
// in the other n - 1 queues then name a wait that is over (the claim word
// has left waiting(serial), INV-CLAIM), so no releaser can claim them, and
// a releaser that meets one drops and frees it (claim_outcome::gone).
// Taking each out at once costs n - 1 lock holds between the wake and the
// return.  So the waiter leaves them linked, *stale*, and remembers them
// here; its thread takes them out later, where it holds those locks anyway
// or off the path of the wake:
//  - its next queued wait takes a stale entry out under the hold in which it
//    appends to the same object (a loop that waits on the same objects
//    again pays no extra hold), and the others, each under a hold of its
//    own, before it sleeps;
//  - a wait-all, before its first round;
//  - the thread's exit, for the last wait's.
// Only entries of objects whose waiters are always claimed directly are left
// stale: semaphores and events that no other user may release (a rung
// doorbell leaves a unit in the count for the waiter, which its leave hands
// on), not mutexes (an abandoned one is handed on by whichever waiter the
// kernel woke, at its leave).
//
//   INV-STALE  A wait block's stale entries are those of its thread's last
//              finished wait-any, at most one per object of that wait;
//              every one is gone (taken out by the thread, or dropped by
//              a releaser) before the block's serial moves on twice, so the
//              24-bit serial never comes round to a stale entry's.  While
//              linked, a stale entry keeps QUEUED set on its object, so the
//              object's next release or take comes to the lock and drops
//              it (INV-QUEUE; INV-HANDOFF counts it as a finished wait's).
//
// Cheaper still, the next wait on the same object at the same place
// *revives* the stale entry without the lock when it is still the last of
// its queue and nothing closed it: one compare-and-swap on its waiter word
// makes it the new wait's (INV-REVIVE, shm/queue_entry.hpp).  A wait-any
// looping over n objects then takes n - 1 locks fewer per round.
//
// The entries are their thread's: a fork()ed child forgets the list it
// inherits, untouched (they name the parent's wait block).
//
// The thread keeps no reference on the objects: an object whose handles are
// all closed dies as it would have.  Before touching one, the thread takes
// a reference, which fails for an object released in this process (an
// unnamed object then frees the entries left in its queue as it dies,
// object/arena.cpp; a named one's other holders drop them).  A stale entry
// that a releaser freed may since be another wait's: it is taken out only
// while it still carries its stamp and is linked in that object's queue
// (as the waiter's own leave does).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "object/handoff.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {

class stale_entries {
 public:
  // This thread's.  The thread's exit takes out what is left.
  static stale_entries& mine();

  // Whether an entry of target t may be left stale (see above).
  static bool may_leave(const target& t);

  // The entries kept so far become the previous wait's, to be taken out by
  // the wait that starts now (take_out_in, take_out_previous).
  void begin_wait();
  // The wait on `targets` (stamped `stamp`) that ends now keeps entries
  // linked: its targets are noted once, here, and then each entry kept by
  // keep(place, entry).
  void keep_wait(std::span<const target> targets, const object::waiter_stamp& stamp);
  // Keeps entry `entry`, of target `place` of the wait given to keep_wait,
  // linked.
  void keep(std::size_t place, std::uint32_t entry) {
    generation& g = generations_[current_];
    g.entry[place] = entry;
    g.kept |= std::uint64_t{1} << place;
  }
  // With a reference on t, and the new wait `now` waiting: revives the
  // previous wait's stale entry in t for `now` at place `place`, if it may
  // be (INV-REVIVE); true with *entry linked and `now`'s.
  bool revive(const target& t, std::uint8_t place, const object::waiter_stamp& now,
              std::uint32_t* entry);
  // With t's queue lock held in `hold` (and a reference on t), t being
  // place `place` of the wait that starts: takes out the previous wait's
  // stale entry in t, if there is one.
  void take_out_in(const target& t, std::size_t place, object::queue_hold& hold);
  // Takes out the previous wait's stale entries not yet taken out, each
  // under its own hold.
  void take_out_previous() { take_out_rest(previous()); }
  // Both at once: every stale entry kept so far.
  void take_out_all() {
    begin_wait();
    take_out_previous();
  }

 private:
  // One wait's stale entries, by place, and the stamp they carry (a wait
  // keeps them all under its last serial).  The wait's targets are copied
  // whole, once, rather than one by one with their entries: after a wake,
  // a wait over 64 keeps 63, and 63 copies of a target each were most of
  // the cost of leaving.
  struct generation {
    // By place; only those of the places in `kept` are read.
    std::array<target, MAXIMUM_WAIT_OBJECTS> objects{};
    std::array<std::uint32_t, MAXIMUM_WAIT_OBJECTS> entry{};
    std::uint64_t kept = 0;  // places whose entry is stale and not taken out yet
    object::waiter_stamp stamp;
  };
  void take_out(const target& t, std::uint32_t entry, const object::waiter_stamp& stamp,
                object::queue_hold& hold);
  // Takes out those of `g` not taken out yet, each under its own hold, and
  // empties g.
  void take_out_rest(generation& g);
  // Whether the previous wait keeps a stale entry of t, not taken out yet,
  // at `place` (< MAXIMUM_WAIT_OBJECTS, as every place of a wait).
  bool kept_at(const target& t, std::size_t place) const {
    const generation& g = previous();
    return (g.kept >> place & 1) != 0 && g.objects[place].object == t.object;
  }
  // The place of the previous wait's stale entry in t not taken out yet,
  // looked for first at `place`; -1 if none.
  int previous_in(const target& t, std::size_t place) const;
  generation& previous() { return generations_[current_ ^ 1]; }
  const generation& previous() const { return generations_[current_ ^ 1]; }

  // The previous wait's and the current wait's, in turns: begin_wait makes
  // the current one previous and the emptied one current, so that no entry
  // is copied from one to the other.
  std::array<generation, 2> generations_{};
  std::size_t current_ = 0;
};

}  // namespace ntsem::wait
