#include <algorithm>
#include <array>

#include "wait/wait.hpp"

namespace ntsem::wait {
namespace {

using object::take_result;

// Holds a reference on every target for the duration of a multi-object wait.
class reference_guard {
 public:
  explicit reference_guard(std::span<const target> targets) : targets_(targets) {
    for (; held_ < targets_.size(); ++held_)
      if (!object::add_ref(targets_[held_].object)) return;
  }
  ~reference_guard() {
    for (std::size_t i = 0; i < held_; ++i) object::drop_ref(targets_[i].object);
  }
  bool all_held() const { return held_ == targets_.size(); }

 private:
  std::span<const target> targets_;
  std::size_t held_ = 0;
};

// Counts the caller in every target's multi_waiters (INV-WAITERS) from
// enter() until destruction, and samples the wake_seq words it sleeps on.
class multi_waiter_registration {
 public:
  explicit multi_waiter_registration(std::span<const target> targets) : targets_(targets) {}
  ~multi_waiter_registration() {
    if (active_)
      for (const target& t : targets_) t.object.slot->multi_waiters.fetch_sub(1, object::order);
  }
  bool active() const { return active_; }
  void enter() {
    for (const target& t : targets_) t.object.slot->multi_waiters.fetch_add(1, object::order);
    active_ = true;
  }
  // Must run before the objects are examined: a release that the examination
  // misses has then changed wake_seq after this sample, so the sleep below
  // returns at once.
  void sample() {
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      const shm::object_slot& slot = *targets_[i].object.slot;
      entries_[i] = {shm::wake_seq_word(slot), slot.wake_seq.load(object::order)};
    }
  }
  sys::futex_result sleep(const sys::deadline& until) {
    return sys::futex_wait_any(std::span(entries_.data(), targets_.size()), until, nullptr);
  }

 private:
  std::span<const target> targets_;
  bool active_ = false;
  std::array<sys::futex_vector_entry, MAXIMUM_WAIT_OBJECTS> entries_{};
};

// The common loop of wait-any and wait-all: examine, and if nothing can be
// done yet, register, sleep and examine again.  `examine` returns a final
// status, or STATUS_PENDING to keep waiting.
template <class Examine>
NTSTATUS wait_loop(std::span<const target> targets, const sys::deadline& timeout,
                   Examine examine) {
  const sys::deadline until = timeout.resolved();
  reference_guard refs(targets);
  if (!refs.all_held()) return STATUS_INVALID_HANDLE;
  multi_waiter_registration registration(targets);
  for (bool last_try = false;;) {
    if (registration.active()) registration.sample();
    NTSTATUS status = examine();
    if (status != STATUS_PENDING) return status;
    if (last_try || until.is_poll()) return STATUS_TIMEOUT;
    if (!registration.active()) {
      registration.enter();
      continue;  // examine once more now that releases will wake us
    }
    if (registration.sleep(until) == sys::futex_result::timed_out) last_try = true;
  }
}

// Calls f(Ops{}) for the target's type; `otherwise` for a slot of no known
// type (the handle layer lets only waitable types through, so this is a
// broken object, never a success).
template <class F, class R>
R with_ops(const target& t, F&& f, R otherwise) {
  return object::visit_type(t.type, std::forward<F>(f), otherwise);
}

// Takes the lowest-index target that can be taken without sleeping: the
// uncontended path of a wait-any.  STATUS_PENDING if none can.
NTSTATUS take_lowest(std::span<const target> targets) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    std::uint64_t s;
    take_result r = with_ops(targets[i], [&](auto ops) {
      return object::try_take<decltype(ops)>(targets[i].object, &s);
    }, take_result::dead);
    switch (r) {
      case take_result::taken: return STATUS_WAIT_0 + static_cast<NTSTATUS>(i);
      case take_result::dead: return STATUS_INVALID_HANDLE;
      case take_result::locked:
        // Wait the lock out and start over from index 0: the lowest index
        // that can be satisfied wins.
        object::wait_while_locked(*targets[i].object.slot, s);
        i = static_cast<std::size_t>(-1);
        break;
      case take_result::not_signaled: break;
    }
  }
  return STATUS_PENDING;
}

}  // namespace

NTSTATUS wait_any(std::span<const target> targets, const sys::deadline& until, bool alertable) {
  if (NTSTATUS s = take_lowest(targets); s != STATUS_PENDING) return s;
  if (until.is_poll()) return nothing_taken(alertable);
  reference_guard refs(targets);
  if (!refs.all_held()) return STATUS_INVALID_HANDLE;
  return wait_queued(targets, until, alertable);
}

NTSTATUS wait_all(std::span<const target> targets, const sys::deadline& until) {
  // The lock order: slot addresses, ascending (INV-LOCK: no cycles).
  std::array<const target*, MAXIMUM_WAIT_OBJECTS> locked_order{};
  for (std::size_t i = 0; i < targets.size(); ++i) locked_order[i] = &targets[i];
  auto lock_order = std::span(locked_order.data(), targets.size());
  std::sort(lock_order.begin(), lock_order.end(),
            [](const target* a, const target* b) { return a->object.slot < b->object.slot; });

  return wait_loop(targets, until, [&]() -> NTSTATUS {
    std::size_t locked = 0;
    for (; locked < lock_order.size(); ++locked)
      if (!object::lock_object(lock_order[locked]->object)) break;
    bool broken = locked != lock_order.size();
    bool all_signaled = !broken;
    for (std::size_t i = 0; i < locked && all_signaled; ++i)
      all_signaled = with_ops(*lock_order[i], [&](auto ops) {
        return object::locked_takeable<decltype(ops)>(lock_order[i]->object);
      }, false);
    // With every object locked, taking from each is one step as far as
    // anyone can observe (INV-LOCK).
    for (std::size_t i = 0; i < locked; ++i)
      with_ops(*lock_order[i], [&](auto ops) {
        object::unlock_object<decltype(ops)>(lock_order[i]->object, all_signaled);
        return true;
      }, false);
    if (broken) return STATUS_INVALID_HANDLE;
    return all_signaled ? STATUS_WAIT_0 : STATUS_PENDING;
  });
}

}  // namespace ntsem::wait
