#include "sys/robust_lock.hpp"

#include <sched.h>

#include "sys/deadline.hpp"
#include "sys/futex.hpp"

namespace ntsem::sys {
namespace {

constexpr int yields_before_sleep = 4;

const std::uint32_t* futex_word(const std::atomic<std::uint32_t>& word) {
  return reinterpret_cast<const std::uint32_t*>(&word);
}

// One attempt: takes a free or orphaned word, keeping WAITERS if it was set
// and adding it when `sleepers_may_remain` (the caller slept on this word,
// and others may still sleep there: the unlock must wake one of them).
bool try_take(std::atomic<std::uint32_t>& word, bool sleepers_may_remain, lock_taken* taken) {
  std::uint32_t v = word.load(std::memory_order_relaxed);
  for (;;) {
    if ((v & robust_tid_mask) != 0) return false;
    const std::uint32_t waiters = (v & robust_waiters) | (sleepers_may_remain ? robust_waiters : 0);
    if (word.compare_exchange_weak(v, current_thread_id() | waiters, std::memory_order_acquire,
                                   std::memory_order_relaxed)) {
      *taken = (v & robust_owner_died) ? lock_taken::owner_died : lock_taken::normally;
      return true;
    }
  }
}

// Taken: a listed hold joins the list; both leave the pending slot as the
// hold needs it (brief: still pointing at the entry).
void after_taking(robust_entry& entry, lock_hold hold) {
  if (hold == lock_hold::listed) {
    robust_push(entry);
    robust_set_pending(nullptr);
  }
}

}  // namespace

lock_taken robust_lock(std::atomic<std::uint32_t>& word, robust_entry& entry, lock_hold hold) {
  robust_set_pending(&entry);
  lock_taken taken;
  // Holds are short, but a holder may have been preempted, most often by
  // the very waiter it just woke under the lock (INV-WOKEN,
  // object/handoff.hpp), on the same CPU.  Giving it the CPU a few times
  // lets it finish without the two system calls and two switches of a sleep
  // and a wake on the word.
  for (int turn = 0; turn < yields_before_sleep; ++turn) {
    if (try_take(word, false, &taken)) {
      after_taking(entry, hold);
      return taken;
    }
    sched_yield();
  }
  bool slept = false;
  while (!try_take(word, slept, &taken)) {
    std::uint32_t v = word.load(std::memory_order_relaxed);
    if ((v & robust_tid_mask) == 0) continue;  // freed meanwhile
    if (!(v & robust_waiters) &&
        !word.compare_exchange_weak(v, v | robust_waiters, std::memory_order_relaxed))
      continue;
    // Sleeps while the word still says "held, with waiters"; an unlock or
    // the kernel (at the holder's death) changes it and wakes one sleeper.
    futex_wait(futex_word(word), v | robust_waiters, deadline::infinite());
    slept = true;
  }
  after_taking(entry, hold);
  return taken;
}

bool robust_try_lock(std::atomic<std::uint32_t>& word, robust_entry& entry, lock_hold hold,
                     lock_taken* taken) {
  robust_set_pending(&entry);
  if (!try_take(word, false, taken)) {
    robust_set_pending(nullptr);
    return false;
  }
  after_taking(entry, hold);
  return true;
}

void robust_hold_listed(robust_entry& entry) { after_taking(entry, lock_hold::listed); }

void robust_unlock(std::atomic<std::uint32_t>& word, robust_entry& entry, lock_hold hold) {
  if (hold == lock_hold::listed) {
    robust_set_pending(&entry);
    robust_remove(entry);
  }
  // From here the word is covered by the pending slot only; once it is 0 the
  // kernel has nothing of ours to mark.
  const std::uint32_t was = word.exchange(0, std::memory_order_release);
  if (was & robust_waiters) futex_wake(futex_word(word), 1);
  robust_set_pending(nullptr);
}

}  // namespace ntsem::sys
