// sys::robust_lock: mutual exclusion between threads, and a holder's death
// (SIGKILL of a real process, engine_child) that frees the lock with a mark
// the next locker sees, brief and listed holds alike.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "process/engine_child_process.hpp"
#include "process/shared_page.hpp"
#include "sys/robust_list.hpp"
#include "sys/robust_lock.hpp"

namespace {

using ntsem::sys::lock_hold;
using ntsem::sys::lock_taken;
using ntsem::sys::robust_word;

using ntsem::test::shared_page;

TEST(RobustLock, ThreadsTakeItOneAtATime) {
  robust_word lock{};
  long counter = 0;  // plain: only the lock orders the accesses
  constexpr int threads = 4, rounds = 20000;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      const lock_hold hold = t % 2 ? lock_hold::listed : lock_hold::brief;
      for (int i = 0; i < rounds; ++i) {
        ASSERT_EQ(ntsem::sys::robust_lock(lock.word, lock.entry, hold), lock_taken::normally);
        ++counter;
        ntsem::sys::robust_unlock(lock.word, lock.entry, hold);
      }
    });
  for (std::thread& w : workers) w.join();
  EXPECT_EQ(counter, long{threads} * rounds);
  EXPECT_EQ(lock.word.load(), 0u);
}

TEST(RobustLock, TryLockFailsWhileAnotherThreadHoldsIt) {
  robust_word lock{};
  ASSERT_EQ(ntsem::sys::robust_lock(lock.word, lock.entry, lock_hold::brief), lock_taken::normally);
  bool got = true;
  std::thread([&] {
    lock_taken taken;
    got = ntsem::sys::robust_try_lock(lock.word, lock.entry, lock_hold::brief, &taken);
  }).join();
  EXPECT_FALSE(got);
  ntsem::sys::robust_unlock(lock.word, lock.entry, lock_hold::brief);
  lock_taken taken = lock_taken::owner_died;
  EXPECT_TRUE(ntsem::sys::robust_try_lock(lock.word, lock.entry, lock_hold::brief, &taken));
  EXPECT_EQ(taken, lock_taken::normally);
  ntsem::sys::robust_unlock(lock.word, lock.entry, lock_hold::brief);
}

// A thread of this process sleeps on the lock a child holds; the child is
// killed; the sleeper gets the lock and is told its holder died.
void sleeper_gets_a_dead_holders_lock(const std::string& lock_command) {
  shared_page page;
  ntsem::test::child_process child = ntsem::test::start_engine_child_on(page);
  ASSERT_EQ(child.ask(lock_command + " 0"), "locked normally");
  robust_word& lock = page.word_at(0);
  auto sleeper = std::async(std::launch::async, [&] {
    const lock_taken taken = ntsem::sys::robust_lock(lock.word, lock.entry, lock_hold::brief);
    const std::uint32_t held_as = lock.word.load() & ntsem::sys::robust_tid_mask;
    ntsem::sys::robust_unlock(lock.word, lock.entry, lock_hold::brief);
    return std::pair(taken, held_as);
  });
  // Not a timing assertion: the sleeper may or may not be asleep yet; the
  // outcome is the same either way.
  ntsem::test::kill_and_reap(child);
  ASSERT_EQ(sleeper.wait_for(ntsem::test::child_guard), std::future_status::ready);
  const auto [taken, held_as] = sleeper.get();
  EXPECT_EQ(taken, lock_taken::owner_died);
  EXPECT_NE(held_as, static_cast<std::uint32_t>(child.pid()));
  EXPECT_EQ(lock.word.load(), 0u);
}

TEST(RobustLock, ADeadBriefHoldersLockGoesToTheNextLockerMarked) {
  sleeper_gets_a_dead_holders_lock("lock-brief");
}

TEST(RobustLock, ADeadListedHoldersLockGoesToTheNextLockerMarked) {
  sleeper_gets_a_dead_holders_lock("lock-listed");
}

TEST(RobustLock, OnlyTheLocksStillHeldAreMarked) {
  shared_page page;
  ntsem::test::child_process child = ntsem::test::start_engine_child_on(page);
  ASSERT_EQ(child.ask("lock-listed 0"), "locked normally");
  ASSERT_EQ(child.ask("lock-listed 64"), "locked normally");
  ASSERT_EQ(child.ask("lock-listed 128"), "locked normally");
  ASSERT_EQ(child.ask("unlock-listed 64"), "unlocked");
  ASSERT_EQ(child.ask("lock-brief 192"), "locked normally");
  ASSERT_EQ(child.ask("unlock-brief 192"), "unlocked");
  ntsem::test::kill_and_reap(child);
  EXPECT_EQ(page.word_at(0).word.load(), ntsem::sys::robust_owner_died);
  EXPECT_EQ(page.word_at(64).word.load(), 0u);
  EXPECT_EQ(page.word_at(128).word.load(), ntsem::sys::robust_owner_died);
  EXPECT_EQ(page.word_at(192).word.load(), 0u);
  // A marked lock is taken again, once, with the mark reported.
  robust_word& lock = page.word_at(0);
  EXPECT_EQ(ntsem::sys::robust_lock(lock.word, lock.entry, lock_hold::brief),
            lock_taken::owner_died);
  ntsem::sys::robust_unlock(lock.word, lock.entry, lock_hold::brief);
  EXPECT_EQ(ntsem::sys::robust_lock(lock.word, lock.entry, lock_hold::brief),
            lock_taken::normally);
  ntsem::sys::robust_unlock(lock.word, lock.entry, lock_hold::brief);
}

}  // namespace
