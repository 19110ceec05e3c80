// Pins: how a wait over several objects keeps them alive in this process
// without a reference on each (object_ref.hpp).  A wait over 64 objects
// took 64 references before it slept and dropped them after its wake: 128
// atomic read-modify-writes on 64 homes, about 1,300 cycles a wait, half of
// them between the wake and the return.
//
// A pin is the home's address in the waiting thread's pin set, written
// with plain stores.  The rare side pays instead: the drop of an object's
// last reference (a CloseHandle racing a wait on the object, in another
// thread) looks through every thread's pin set, and when a wait pins the
// home it leaves the release to that wait, which runs it as it unpins.
//
//   INV-PIN  A home is released only once its references are gone and no
//            pin set holds it: the pinner stores its pins, then checks
//            that each home still has references; the last drop, then
//            looks for pins (each side a sequentially consistent store,
//            then sequentially consistent loads).
//            One of the two sees the other: a pinner that finds a home
//            without references fails its pins (the handle was stale, as
//            a failed add_ref says); a drop that finds a pin marks the
//            home release_pending and leaves it.  An unpin clears the set,
//            then looks whether any release is pending (the drop counts
//            its pending mark before it looks for pins); if so,
//            it releases each home it had pinned that is pending and
//            pinned nowhere.  Whoever clears the pending mark (one
//            compare-and-swap) runs the release, once.
//
// A home is never freed (object_ref.hpp: homes are reused, each new life
// with the next generation), so an address read from a pin set always
// points at a home, maybe of a later life, which the checks above judge.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>

#include "object/object_ref.hpp"

namespace ntsem::object {

// The calling thread's pin set (one per thread, registered at its first
// use, forgotten at the thread's exit).  One wait at a time uses it.
class pin_set {
 public:
  static pin_set& mine();

  // Whether a wait of this thread holds pins now.
  bool in_use() const { return count_.load(std::memory_order_relaxed) != 0; }
  // Puts `home` at `place` of the set, for pin().
  void put(std::size_t place, object_home* home) {
    homes_[place].store(home, std::memory_order_relaxed);
  }
  // Pins the homes put at places [0, count), count > 0, ordered before the
  // caller's checks that each still has references, made with
  // has_refs(ref, std::memory_order_seq_cst) (INV-PIN).
  void pin(std::size_t count);
  // Lets go of every pin; runs the releases left to this set (INV-PIN).
  void unpin();

  static constexpr std::size_t capacity = 64;  // MAXIMUM_WAIT_OBJECTS

 private:
  friend bool pinned_anywhere(const object_home* home);
  std::atomic<std::size_t> count_{0};
  std::array<std::atomic<object_home*>, capacity> homes_{};
};

// For drop_ref: the last reference of `home` is gone.  Releases it now,
// unless a wait pins it (INV-PIN).
void release_unless_pinned(object_home& home);

}  // namespace ntsem::object
