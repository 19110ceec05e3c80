#include "object/wait_pins.hpp"

#include <pthread.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace ntsem::object {
namespace {

// Every thread's pin set.  Looked through only by the drop of a last
// reference and by an unpin that finds a release pending: rare.
struct registry {
  std::mutex mutex;
  std::vector<pin_set*> sets;
};
registry& all_sets() {
  static auto* r = new registry;  // never destroyed: threads end after exit() starts
  return *r;
}

// Releases left to a pin set and not run yet (INV-PIN); an unpin looks at
// its homes only when this is not 0.
std::atomic<std::uint32_t> pending_releases{0};

// The calling thread's set, made at its first use; its thread's exit
// forgets it.
struct set_holder {
  pin_set* set = nullptr;
  ~set_holder() {
    if (!set) return;
    {
      registry& r = all_sets();
      std::lock_guard lock(r.mutex);
      std::erase(r.sets, set);
    }
    delete set;
  }
};
thread_local set_holder this_thread_set;

// A fork()ed child has only the thread that forked: the sets of the others
// are forgotten (a release left to one of them then never runs in the
// child, which keeps that object until it ends).  The registry is locked
// across the fork, so that the child finds it whole.
void lock_before_fork() { all_sets().mutex.lock(); }
void unlock_after_fork() { all_sets().mutex.unlock(); }
void forget_other_threads_after_fork() {
  registry& r = all_sets();
  std::erase_if(r.sets, [](pin_set* s) { return s != this_thread_set.set; });
  r.mutex.unlock();
}
[[maybe_unused]] const int fork_handlers =
    ::pthread_atfork(lock_before_fork, unlock_after_fork, forget_other_threads_after_fork);

// Runs home's release if it is still pending: whoever clears the mark
// runs it, once.
void release_if_pending(object_home& home) {
  bool pending = true;
  if (!home.release_pending.compare_exchange_strong(pending, false, std::memory_order_acq_rel))
    return;
  pending_releases.fetch_sub(1, std::memory_order_relaxed);
  home.operations->release(home);
}

}  // namespace

// Whether any thread's set pins `home`; called after the caller's own
// sequentially consistent store (INV-PIN).
bool pinned_anywhere(const object_home* home) {
  registry& r = all_sets();
  bool found = false;
  {
    std::lock_guard lock(r.mutex);
    for (const pin_set* s : r.sets) {
      // Sequentially consistent: INV-PIN.  And acquire: a set found empty
      // let go after its wait's last use.
      const std::size_t n = s->count_.load(std::memory_order_seq_cst);
      for (std::size_t i = 0; i < n && !found; ++i)
        found = s->homes_[i].load(std::memory_order_relaxed) == home;
      if (found) break;
    }
  }
  return found;
}

pin_set& pin_set::mine() {
  if (!this_thread_set.set) {
    auto* s = new pin_set;
    registry& r = all_sets();
    std::lock_guard lock(r.mutex);
    r.sets.push_back(s);
    this_thread_set.set = s;
  }
  return *this_thread_set.set;
}

void pin_set::pin(std::size_t count) {
  // Sequentially consistent, as the caller's loads of the homes' life
  // words after it (INV-PIN); and release: the homes put before it are
  // seen with it.
  count_.store(count, std::memory_order_seq_cst);
}

void pin_set::unpin() {
  const std::size_t n = count_.load(std::memory_order_relaxed);
  // Sequentially consistent (INV-PIN), and release: the wait's uses of its
  // objects come before a release that a later drop runs because it no
  // longer finds the pins.
  count_.store(0, std::memory_order_seq_cst);
  if (pending_releases.load(std::memory_order_seq_cst) == 0) return;
  for (std::size_t i = 0; i < n; ++i) {
    object_home* home = homes_[i].load(std::memory_order_relaxed);
    if (home->release_pending.load(std::memory_order_acquire) && !pinned_anywhere(home))
      release_if_pending(*home);
  }
}

void release_unless_pinned(object_home& home) {
  // Release: this thread's uses of the object come before the release
  // that a pinner runs.
  home.release_pending.store(true, std::memory_order_release);
  // Sequentially consistent, as the loads of the pin sets after it
  // (INV-PIN, against an unpin's store and load).
  pending_releases.fetch_add(1, std::memory_order_seq_cst);
  if (!pinned_anywhere(&home)) release_if_pending(home);
}

}  // namespace ntsem::object
