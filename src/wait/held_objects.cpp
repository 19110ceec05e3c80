#include "wait/held_objects.hpp"

#include <algorithm>

#include "sys/fault_point.hpp"

namespace ntsem::wait {

void held_objects::sort_targets() {
  for (std::size_t i = 0; i < targets_.size(); ++i) order_[i] = i;
  std::sort(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(targets_.size()),
            [&](std::size_t a, std::size_t b) {
              return targets_[a].object.home->location < targets_[b].object.home->location;
            });
}

bool held_objects::freeze_next() {
  const target& t = targets_[order_[frozen_]];
  object::queue_hold& hold = *holds_[frozen_];
  if (hold.freeze(t.object.incarnation, &states_[frozen_]) != STATUS_SUCCESS) {
    status_ = STATUS_INVALID_HANDLE;
    own_[frozen_].reset();  // nothing was changed in it
    return false;
  }
  bool signaled = false;
  const std::uint32_t v = shm::state::value(states_[frozen_]);
  values_[frozen_] = object::visit_type(
      t.type,
      [&](auto ops) {
        using Ops = decltype(ops);
        const std::uint32_t left = object::hand_off<Ops>(hold, v);
        signaled = Ops::signaled(left, sys::current_thread_id());
        // The next object's lock uses the robust slot that covers the
        // waiters claimed here (INV-DEATHWAKE): they are woken first.  A
        // mutex's are not (a made owner woken before the store would poll
        // for it); they sleep on its owner word, which holds this thread's
        // id until the store (INV-SLEEP).
        if constexpr (!Ops::owned) hold.wake_claimed();
        return left;
      },
      v);
  if (!signaled && !blocker_) blocker_ = order_[frozen_];
  return true;
}

held_objects::held_objects(std::span<const target> targets) : targets_(targets) {
  sort_targets();
  for (; frozen_ < targets_.size(); ++frozen_) {
    const target& t = targets_[order_[frozen_]];
    holds_[frozen_] =
        &own_[frozen_].emplace(*t.object.slot, t.object.home->queue_area, sys::lock_hold::listed);
    if (!freeze_next()) return;
  }
}

held_objects::held_objects(std::span<const target> targets, std::size_t index,
                           object::queue_hold& hold, std::uint64_t s, std::uint32_t v)
    : targets_(targets), serving_(true) {
  sort_targets();
  for (; frozen_ < targets_.size(); ++frozen_) {
    const target& t = targets_[order_[frozen_]];
    if (order_[frozen_] == index) {
      // Handed off up to the wait-all's entry by the caller, and signaled
      // for it (nothing of the value promised, object::hand_off).
      external_ = frozen_;
      holds_[frozen_] = &hold;
      states_[frozen_] = s;
      values_[frozen_] = v;
      continue;
    }
    // INV-ALL-ORDER: past the released object in lock order, every lock
    // this thread holds comes before this one, so it may wait for it; an
    // object before the released one is taken only if its lock is free.
    object::queue_hold& mine =
        external_ ? own_[frozen_].emplace(*t.object.slot, t.object.home->queue_area,
                                          sys::lock_hold::listed)
                  : own_[frozen_].emplace(*t.object.slot, t.object.home->queue_area,
                                          object::queue_hold::try_lock);
    if (!mine.locked()) {
      status_ = STATUS_PENDING;
      own_[frozen_].reset();
      return;
    }
    holds_[frozen_] = &mine;
    if (!freeze_next()) return;
  }
}

held_objects::~held_objects() {
  for (std::size_t k = 0; k < frozen_; ++k) {
    if (reserved_) object::wait_queue::free(holds_[k]->area(), marks_[k]);
    if (!taken_[k] && k != external_) holds_[k]->store(states_[k], values_[k]);
  }
  // Own holds end in reverse lock order as the array is destroyed.
}

object::queue_hold& held_objects::hold_of(std::size_t index) {
  const auto* at = std::find(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(frozen_),
                             index);
  return *holds_[static_cast<std::size_t>(at - order_.begin())];
}

bool held_objects::reserve_marks() {
  // Every entry first (no allocation can fail once an object is marked).
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    const std::optional<std::uint32_t> e = holds_[k]->allocate();
    if (!e) {
      for (std::size_t j = 0; j < k; ++j) object::wait_queue::free(holds_[j]->area(), marks_[j]);
      return false;
    }
    marks_[k] = *e;
  }
  reserved_ = true;
  return true;
}

void held_objects::mark_reserved(const object::waiter_stamp& who) {
  for (std::size_t k = 0; k < targets_.size(); ++k)
    object::mark(*holds_[k], marks_[k], who, &states_[k], values_[k]);
  reserved_ = false;  // the entries are the marks' now
}

bool held_objects::mark_all(const object::waiter_stamp& who) {
  if (!reserve_marks()) return false;
  mark_reserved(who);
  return true;
}

bool held_objects::apply(std::size_t k) {
  const target& t = targets_[order_[k]];
  if (serving_ && t.type == shm::object_type::mutex) {
    // Its waiter lists it itself (object/commit_mark.hpp).
    object::offer_to_served(*holds_[k], t.object, marks_[k]);
    taken_[k] = true;
    return false;
  }
  const bool abandoned = object::visit_type(
      t.type,
      [&](auto ops) {
        return object::apply<decltype(ops)>(*holds_[k], t.object, marks_[k], states_[k],
                                            sys::current_thread_id());
      },
      false);
  taken_[k] = true;
  return abandoned;
}

NTSTATUS commit_all(held_objects& held, shm::wait_block& block, const object::waiter_stamp& who) {
  if (!held.reserve_marks()) return STATUS_INSUFFICIENT_RESOURCES;
  return commit_reserved(held, block, who);
}

namespace {

// Steps 1 to 3 of the commit; true when a mutex among the objects was
// abandoned.
bool take_all(held_objects& held, shm::wait_block& block, const object::waiter_stamp& who) {
  held.mark_reserved(who);
  block.intent.store(shm::intent::committed(who.serial), object::order);  // the commit point
  sys::reach(sys::fault_point::wait_all_committed_untaken);
  bool abandoned = false;
  for (std::size_t k = 0; k < held.size(); ++k) abandoned = held.apply(k) || abandoned;
  return abandoned;
}

}  // namespace

NTSTATUS commit_reserved(held_objects& held, shm::wait_block& block,
                         const object::waiter_stamp& who) {
  const bool abandoned = take_all(held, block, who);
  block.intent.store(shm::intent::none, object::order);
  // As Windows (and Wine, ReactOS): a wait-all reports an abandonment
  // without an index.
  return abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
}

void commit_served(held_objects& held, shm::wait_block& block, const object::waiter_stamp& who,
                   std::uint32_t place) {
  take_all(held, block, who);
  block.claim.store(shm::claim::satisfied(who.serial, place), object::order);
  // Only this wait's intent: the waiter, once it has seen the store above,
  // may have cleared it and begun another wait-all.
  std::uint64_t intent = shm::intent::committed(who.serial);
  block.intent.compare_exchange_strong(intent, shm::intent::none, object::order);
}

}  // namespace ntsem::wait
