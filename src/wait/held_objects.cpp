#include "wait/held_objects.hpp"

#include <algorithm>

namespace ntsem::wait {

held_objects::held_objects(std::span<const target> targets) : targets_(targets) {
  for (std::size_t i = 0; i < targets_.size(); ++i) order_[i] = i;
  std::sort(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(targets_.size()),
            [&](std::size_t a, std::size_t b) {
              return targets_[a].object.home->location < targets_[b].object.home->location;
            });
  for (; frozen_ < targets_.size(); ++frozen_) {
    const target& t = targets_[order_[frozen_]];
    object::queue_hold& hold =
        holds_[frozen_].emplace(*t.object.slot, t.object.home->queue_area, sys::lock_hold::listed);
    if (hold.freeze(t.object.incarnation, &states_[frozen_]) != STATUS_SUCCESS) {
      status_ = STATUS_INVALID_HANDLE;
      holds_[frozen_].reset();  // nothing was changed in it
      return;
    }
    bool signaled = false;
    const std::uint32_t v = shm::state::value(states_[frozen_]);
    values_[frozen_] = object::visit_type(
        t.type,
        [&](auto ops) {
          using Ops = decltype(ops);
          const std::uint32_t left = object::hand_off<Ops>(hold, v);
          signaled = Ops::signaled(left, sys::current_thread_id());
          return left;
        },
        v);
    if (!signaled && !blocker_) blocker_ = order_[frozen_];
  }
}

held_objects::~held_objects() {
  for (std::size_t k = 0; k < frozen_; ++k)
    if (!taken_[k]) holds_[k]->store(states_[k], values_[k]);
  // The holds end in reverse lock order as the array is destroyed.
}

object::queue_hold& held_objects::hold_of(std::size_t index) {
  const auto* at = std::find(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(frozen_),
                             index);
  return *holds_[static_cast<std::size_t>(at - order_.begin())];
}

bool held_objects::mark_all(const object::waiter_stamp& who) {
  // Every entry first (no allocation can fail once an object is marked).
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    const shm::entry_area area = targets_[order_[k]].object.home->queue_area;
    const std::optional<std::uint32_t> e = object::wait_queue::allocate(area, who.thread_id);
    if (!e) {
      for (std::size_t j = 0; j < k; ++j)
        object::wait_queue::free(targets_[order_[j]].object.home->queue_area, marks_[j]);
      return false;
    }
    marks_[k] = *e;
  }
  for (std::size_t k = 0; k < targets_.size(); ++k)
    object::mark(*holds_[k], marks_[k], who, &states_[k], values_[k]);
  return true;
}

bool held_objects::apply(std::size_t k) {
  const target& t = targets_[order_[k]];
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
  if (!held.mark_all(who)) return STATUS_INSUFFICIENT_RESOURCES;
  block.intent.store(shm::intent::committed(who.serial), object::order);  // the commit point
  bool abandoned = false;
  for (std::size_t k = 0; k < held.size(); ++k) abandoned = held.apply(k) || abandoned;
  block.intent.store(shm::intent::none, object::order);
  // As Windows (and Wine, ReactOS): a wait-all reports an abandonment
  // without an index.
  return abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
}

}  // namespace ntsem::wait
