// The objects of one wait-all attempt, held together: each object's queue
// lock taken (a listed hold, sys/robust_lock.hpp) in object_location order,
// each value frozen (INV-QUEUE) and first handed to the waiters queued on
// it (object/handoff.hpp: they came first).  From here an attempt either
// commits (commit_all: every object taken, INV-ALL) or lets go with nothing
// changed.  wait/wait_all.cpp is the waiter around it.
//
//   INV-ALL-ORDER  A thread holds several queue locks only here, taking
//                  them in ascending object_location, which is the same in
//                  every process; every other hold takes no lock under it,
//                  but a release serving a wait-all (wait/serve_all.hpp),
//                  which holds the released object's lock first and then
//                  the others in ascending order: it waits for those after
//                  the released one, and takes those before it only if
//                  they are free.  So a thread waits for a lock only while
//                  every lock it holds comes before it, and lock waits
//                  never form a cycle.
//
// The commit's steps are public so that a test can stop a process between
// any two of them (tests/child/engine_child.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "namespace/process_record.hpp"
#include "object/commit_mark.hpp"
#include "object/handoff.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {

class held_objects {
 public:
  // Holds every target (distinct objects).  The caller holds a reference
  // on each.
  explicit held_objects(std::span<const target> targets);
  // For a release that serves a wait-all (wait/serve_all.hpp): target
  // `index` is held already in `hold` (listed), frozen into the state `s`
  // with the value `v` that its hand-off left so far, and is neither handed
  // off again nor stored here; each other target after it in lock order is
  // held as an attempt holds it (waiting for its lock), each before it only
  // if its lock is free now (else status() is STATUS_PENDING and nothing
  // was changed).
  held_objects(std::span<const target> targets, std::size_t index, object::queue_hold& hold,
               std::uint64_t s, std::uint32_t v);
  // Stores each object not taken with the value its hand-off left (QUEUED
  // as its queue now is), then lets go of the locks.
  ~held_objects();
  held_objects(const held_objects&) = delete;
  held_objects& operator=(const held_objects&) = delete;

  // STATUS_SUCCESS, or STATUS_INVALID_HANDLE when an object has died, or
  // STATUS_PENDING when a lock was not free (then nothing further may be
  // done but let go).
  NTSTATUS status() const { return status_; }
  // The index (into the targets) of the first object in lock order that
  // cannot be taken now; nullopt when every one can.
  std::optional<std::size_t> blocker() const { return blocker_; }
  // The hold of target `index`.
  object::queue_hold& hold_of(std::size_t index);

  // The commit (object/commit_mark.hpp), step by step; only when every
  // object can be taken:
  // marks each object for `who` (step 1), each with a free entry of its
  // area; false, nothing marked, when an area has none left;
  bool mark_all(const object::waiter_stamp& who);
  // mark_all in two steps: the entries (false, none kept, when an area has
  // none left; given back by the destructor if they are not used), then
  // the marks, which cannot fail;
  bool reserve_marks();
  void mark_reserved(const object::waiter_stamp& who);
  // after the commit point (step 2, the caller's), takes the k-th object
  // in lock order (step 3); true when it was an abandoned mutex.  For a
  // release that serves a wait-all, a mutex is held for its waiter instead
  // (object::offer_to_served), which learns whether it was abandoned when
  // it takes it: false.
  bool apply(std::size_t k);
  std::size_t size() const { return targets_.size(); }

 private:
  void sort_targets();
  // Freezes target order_[frozen_] (held in holds_[frozen_]), hands it off
  // and notes whether it blocks; false, its own hold let go, when the
  // object has died (status() says so).
  bool freeze_next();

  std::span<const target> targets_;
  std::array<std::size_t, MAXIMUM_WAIT_OBJECTS> order_{};
  // Each target's hold, in lock order: one of own_, or the caller's.
  std::array<object::queue_hold*, MAXIMUM_WAIT_OBJECTS> holds_{};
  std::array<std::optional<object::queue_hold>, MAXIMUM_WAIT_OBJECTS> own_;
  std::optional<std::size_t> external_;  // the caller's hold's place in lock order
  bool serving_ = false;                 // made for a release that serves a wait-all
  bool reserved_ = false;
  std::array<std::uint64_t, MAXIMUM_WAIT_OBJECTS> states_{};
  std::array<std::uint32_t, MAXIMUM_WAIT_OBJECTS> values_{};
  std::array<std::uint32_t, MAXIMUM_WAIT_OBJECTS> marks_{};
  std::array<bool, MAXIMUM_WAIT_OBJECTS> taken_{};
  std::size_t frozen_ = 0;
  NTSTATUS status_ = STATUS_SUCCESS;
  std::optional<std::size_t> blocker_;
};

// Takes every object of `held` (all able to be taken) in one commit for the
// wait `who` of the thread whose wait block is `block` (object/commit_mark.hpp,
// INV-ALL).  STATUS_WAIT_0, STATUS_ABANDONED_WAIT_0 when a mutex among
// them was abandoned, or STATUS_INSUFFICIENT_RESOURCES with nothing taken.
NTSTATUS commit_all(held_objects& held, shm::wait_block& block, const object::waiter_stamp& who);
// commit_all once held.reserve_marks() succeeded: it cannot fail.
NTSTATUS commit_reserved(held_objects& held, shm::wait_block& block,
                         const object::waiter_stamp& who);
// The commit of a release that serves the wait-all `who` (its claim word,
// in `block`, claimed serving through its entry at `place`;
// wait/serve_all.hpp): commit_reserved (each mutex held for the waiter,
// INV-SERVED-MUTEX), then the claim word says served, and only then does
// the intent go.
void commit_served(held_objects& held, shm::wait_block& block, const object::waiter_stamp& who,
                   std::uint32_t place);

}  // namespace ntsem::wait
