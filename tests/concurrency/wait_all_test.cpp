// Wait-all under contention: it excludes single waiters exactly as holding
// each object would, and overlapping wait-alls in any order never deadlock.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"

namespace {

constexpr int rounds = 4000;

// A and B have maximum 1, so each is a lock; every holder counts itself in
// the object's counter, which must never pass 1.
//
// Regression (lock waiter lost across a re-lock): a releaser R reads A as
// {count v, LOCKED, LOCK_WAITERS}; the wait-all unlocks A (waking all lock
// waiters) and locks it again before R sleeps, now without LOCK_WAITERS; the
// low half of the state word is the same again, so R's futex sleep on it
// succeeds and the next unlock, seeing no LOCK_WAITERS, wakes nobody.  Lock
// waiters now sleep on lock_seq (INV-LOCK-WAKE).  Before the fix this test hung
// in about 1 run in 13 under AddressSanitizer.
TEST(WaitAllContention, ExcludesSingleWaitersLikeHoldingEachObject) {
  HANDLE a = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  std::atomic<int> holding_a{0}, holding_b{0};
  std::atomic<bool> wrong{false};
  auto hold = [&](std::atomic<int>& counter) {
    if (++counter != 1) wrong = true;
  };

  auto all_worker = [&](HANDLE first, HANDLE second) {
    HANDLE set[] = {first, second};
    for (int i = 0; i < rounds; ++i) {
      if (WaitForMultipleObjects(2, set, TRUE, INFINITE) != WAIT_OBJECT_0) wrong = true;
      hold(holding_a);
      hold(holding_b);
      --holding_a;
      --holding_b;
      ReleaseSemaphore(a, 1, nullptr);
      ReleaseSemaphore(b, 1, nullptr);
    }
  };
  auto single_worker = [&](HANDLE h, std::atomic<int>& counter) {
    for (int i = 0; i < rounds; ++i) {
      if (WaitForSingleObject(h, INFINITE) != WAIT_OBJECT_0) wrong = true;
      hold(counter);
      --counter;
      ReleaseSemaphore(h, 1, nullptr);
    }
  };
  std::vector<std::thread> pool;
  pool.emplace_back(all_worker, a, b);
  pool.emplace_back(all_worker, b, a);
  pool.emplace_back(single_worker, a, std::ref(holding_a));
  pool.emplace_back(single_worker, b, std::ref(holding_b));
  for (auto& t : pool) t.join();

  EXPECT_FALSE(wrong.load());
  EXPECT_EQ(ntsem::test::count_of(a), 1);
  EXPECT_EQ(ntsem::test::count_of(b), 1);
  CloseHandle(a);
  CloseHandle(b);
}

TEST(WaitAllContention, OverlappingSetsInAnyOrderNeverDeadlock) {
  HANDLE s[3];
  for (HANDLE& h : s) h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  const std::vector<std::vector<HANDLE>> sets = {
      {s[0], s[1], s[2]}, {s[2], s[1]}, {s[1], s[0]}, {s[0], s[2]}};
  std::atomic<bool> wrong{false};
  std::vector<std::thread> pool;
  for (const auto& set : sets)
    pool.emplace_back([&, set] {
      for (int i = 0; i < rounds; ++i) {
        // The guard is for deadlock detection only, far above any real wait.
        if (WaitForMultipleObjects(DWORD(set.size()), set.data(), TRUE, 60'000) != WAIT_OBJECT_0) {
          wrong = true;
          return;
        }
        for (HANDLE h : set) ReleaseSemaphore(h, 1, nullptr);
      }
    });
  for (auto& t : pool) t.join();
  EXPECT_FALSE(wrong.load());
  for (HANDLE h : s) {
    EXPECT_EQ(ntsem::test::count_of(h), 1);
    CloseHandle(h);
  }
}

// Wait-any, wait-all and single waiters blocked together on shared objects are
// all satisfied by one-unit releases: no wake-up is lost between them.  More
// units are released than the waiters can need, however wait-any chooses.
TEST(WaitAllContention, MixedWaitersAreAllSatisfied) {
  constexpr LONG unbounded = 0x7FFFFFFF;
  HANDLE a = CreateSemaphoreA(nullptr, 0, unbounded, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 0, unbounded, nullptr);
  HANDLE pair[] = {a, b};
  constexpr int per_thread = 2000;
  // Needs at most: a 2 x per_thread (wait-all, wait-any), b 3 x per_thread.
  constexpr int supply = 3 * per_thread;
  std::atomic<int> taken_a{0}, taken_b{0};
  std::atomic<bool> wrong{false};
  std::vector<std::thread> pool;
  pool.emplace_back([&] {
    for (int i = 0; i < per_thread; ++i) {
      if (WaitForMultipleObjects(2, pair, TRUE, 60'000) != WAIT_OBJECT_0) wrong = true;
      ++taken_a;
      ++taken_b;
    }
  });
  pool.emplace_back([&] {
    for (int i = 0; i < per_thread; ++i) {
      DWORD r = WaitForMultipleObjects(2, pair, FALSE, 60'000);
      if (r == WAIT_OBJECT_0) ++taken_a;
      else if (r == WAIT_OBJECT_0 + 1) ++taken_b;
      else wrong = true;
    }
  });
  pool.emplace_back([&] {
    for (int i = 0; i < per_thread; ++i) {
      if (WaitForSingleObject(b, 60'000) != WAIT_OBJECT_0) wrong = true;
      ++taken_b;
    }
  });
  for (int i = 0; i < supply; ++i) {
    ReleaseSemaphore(a, 1, nullptr);
    ReleaseSemaphore(b, 1, nullptr);
  }
  for (auto& t : pool) t.join();
  EXPECT_FALSE(wrong.load());
  EXPECT_EQ(taken_a + ntsem::test::count_of(a), supply);
  EXPECT_EQ(taken_b + ntsem::test::count_of(b), supply);
  CloseHandle(a);
  CloseHandle(b);
}

}  // namespace
