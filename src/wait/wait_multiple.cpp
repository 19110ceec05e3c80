#include "wait/wait.hpp"

#include <algorithm>

#include "object/wait_pins.hpp"

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

// Keeps every target of a wait-any alive for its duration: pinned
// (object/wait_pins.hpp), or, when the thread's pin set is in use or a
// target is a thread (whose registry asks whether its state object has
// references left, thread/thread_registry.hpp), by references.
class target_guard {
 public:
  explicit target_guard(std::span<const target> targets)
      : target_guard(targets, pinnable(targets)) {}
  target_guard(const target_guard&) = delete;
  target_guard& operator=(const target_guard&) = delete;
  ~target_guard() {
    if (pins_) pins_->unpin();
  }

  bool all_held() const { return all_held_; }

 private:
  target_guard(std::span<const target> targets, bool pin)
      : refs_(pin ? std::span<const target>() : targets) {
    if (!pin) {
      all_held_ = refs_.all_held();
      return;
    }
    object::pin_set& set = object::pin_set::mine();
    for (std::size_t i = 0; i < targets.size(); ++i) set.put(i, targets[i].object.home);
    set.pin(targets.size());
    pins_ = &set;
    // INV-PIN: a home without references now was released, or is left to
    // the pins (the handle was closed meanwhile).
    all_held_ = std::all_of(targets.begin(), targets.end(), [](const target& t) {
      return object::has_refs(t.object, std::memory_order_seq_cst);
    });
  }
  static bool pinnable(std::span<const target> targets) {
    return !object::pin_set::mine().in_use() &&
           std::none_of(targets.begin(), targets.end(),
                        [](const target& t) { return t.type == shm::object_type::thread; });
  }

  reference_guard refs_;  // empty when pinned
  object::pin_set* pins_ = nullptr;
  bool all_held_ = false;
};

// Calls f(Ops{}) for the target's type; `otherwise` for a slot of no known
// type (the handle layer lets only waitable types through, so this is a
// broken object, never a success).
template <class F, class R>
R with_ops(const target& t, F&& f, R otherwise) {
  return object::visit_type(t.type, std::forward<F>(f), otherwise);
}

// Takes the lowest-index target that can be taken without sleeping: the
// uncontended path of a wait-any.  STATUS_PENDING if none can, and also when
// one needs its queue lock to decide (then the queued wait, which takes
// objects in index order under their locks, decides, even for a poll).
NTSTATUS take_lowest(std::span<const target> targets, bool* needs_lock) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    take_result r = with_ops(targets[i], [&](auto ops) {
      return object::try_take<decltype(ops)>(targets[i].object);
    }, take_result::dead);
    switch (r) {
      case take_result::taken: return STATUS_WAIT_0 + static_cast<NTSTATUS>(i);
      case take_result::taken_abandoned: return STATUS_ABANDONED_WAIT_0 + static_cast<NTSTATUS>(i);
      case take_result::limit_exceeded: return STATUS_MUTANT_LIMIT_EXCEEDED;
      case take_result::dead: return STATUS_INVALID_HANDLE;
      case take_result::needs_lock:
        // A lower index may not be passed over for a later one.
        *needs_lock = true;
        return STATUS_PENDING;
      case take_result::not_signaled: break;
    }
  }
  return STATUS_PENDING;
}

}  // namespace

NTSTATUS wait_any(std::span<const target> targets, const sys::deadline& until, bool alertable) {
  bool needs_lock = false;
  if (NTSTATUS s = take_lowest(targets, &needs_lock); s != STATUS_PENDING) return s;
  if (until.is_poll() && !needs_lock) return nothing_taken(alertable);
  const target_guard alive(targets);
  if (!alive.all_held()) return STATUS_INVALID_HANDLE;
  return wait_queued(targets, until, alertable);
}

NTSTATUS wait_all(std::span<const target> targets, const sys::deadline& until, bool alertable) {
  reference_guard refs(targets);
  if (!refs.all_held()) return STATUS_INVALID_HANDLE;
  return wait_all_blocking(targets, until, alertable);
}

}  // namespace ntsem::wait
