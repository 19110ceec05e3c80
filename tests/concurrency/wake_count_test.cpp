// A release of n units satisfies exactly n of m blocked waiters; the others
// stay blocked and no unit is left over.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::eventually;

void release_wakes_exactly(int blocked, LONG n) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 100, nullptr);
  std::atomic<int> returned{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < blocked; ++i)
    waiters.emplace_back([&] {
      if (WaitForSingleObject(h, INFINITE) == WAIT_OBJECT_0) ++returned;
    });
  ASSERT_TRUE(eventually([&] { return ntsem::test::single_waiters(h) == unsigned(blocked); }));

  ASSERT_TRUE(ReleaseSemaphore(h, n, nullptr));
  ASSERT_TRUE(eventually([&] { return returned.load() == n; }));
  ntsem::test::let_others_run();
  EXPECT_EQ(returned.load(), n) << "a release of " << n << " satisfied more waiters";
  EXPECT_EQ(ntsem::test::count_of(h), 0);
  EXPECT_EQ(ntsem::test::single_waiters(h), unsigned(blocked - n));

  if (blocked > n) {
    ASSERT_TRUE(ReleaseSemaphore(h, blocked - n, nullptr));
  }
  for (auto& t : waiters) t.join();
  EXPECT_EQ(returned.load(), blocked);
  EXPECT_EQ(ntsem::test::count_of(h), 0);
  CloseHandle(h);
}

TEST(WakeCount, ReleaseOfOneOfEight) { release_wakes_exactly(8, 1); }
TEST(WakeCount, ReleaseOfThreeOfEight) { release_wakes_exactly(8, 3); }
TEST(WakeCount, ReleaseOfAllEight) { release_wakes_exactly(8, 8); }

// Releases one unit at a time to many waiters, many times: a lost wake-up
// would leave a waiter blocked with a unit available (caught by the guard).
TEST(WakeCount, NoWakeUpIsLostUnderRepeatedSingleReleases) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 0x7FFFFFFF, nullptr);
  constexpr int waiters_count = 4, per_waiter = 5000;
  std::atomic<int> taken{0}, failed{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < waiters_count; ++i)
    waiters.emplace_back([&] {
      // The timeout is a deadlock guard: a lost wake-up fails here.
      for (int k = 0; k < per_waiter; ++k)
        ++(WaitForSingleObject(h, 60'000) == WAIT_OBJECT_0 ? taken : failed);
    });
  for (int k = 0; k < waiters_count * per_waiter; ++k) ReleaseSemaphore(h, 1, nullptr);
  for (auto& t : waiters) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(taken.load(), waiters_count * per_waiter);
  EXPECT_EQ(ntsem::test::count_of(h), 0);
  CloseHandle(h);
}

}  // namespace
