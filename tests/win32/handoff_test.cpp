// Hand-off (object/handoff.hpp): a release or a set gives its units to the
// threads already waiting, oldest first, before it returns.  So the unit is
// consumed by the time the release returns: a thread that was not waiting
// (here, the releaser itself) cannot take it, and a query sees it gone.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::eventually;
using ntsem::test::let_others_run;
using ntsem::test::queue_length;
using ntsem::test::state_of;

// A deadlock guard, never a bound on how long anything takes.
constexpr DWORD guard_ms = 60000;

// Threads that each wait once on `h`, started one at a time so that they
// queue in order: waiter i is queued i-th.  `done` records the order in which
// they were satisfied.
class queued_waiters {
 public:
  queued_waiters(HANDLE h, int n) : h_(h) {
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back([this, i] {
        results_[static_cast<std::size_t>(i)] = WaitForSingleObject(h_, guard_ms);
        order_[static_cast<std::size_t>(finished_.fetch_add(1))] = i;
      });
      const auto queued = static_cast<std::uint32_t>(i + 1);
      EXPECT_TRUE(eventually([&] { return queue_length(h_) == queued; }));
    }
  }
  ~queued_waiters() {
    for (std::thread& t : threads_) t.join();
  }
  int finished() const { return finished_.load(); }
  int satisfied(int k) const { return order_[static_cast<std::size_t>(k)]; }
  DWORD result(int i) const { return results_[static_cast<std::size_t>(i)]; }

 private:
  HANDLE h_;
  std::vector<std::thread> threads_;
  std::atomic<int> finished_{0};
  std::array<std::atomic<int>, 8> order_{};
  std::array<std::atomic<DWORD>, 8> results_{};
};

TEST(HandOff, AReleasedUnitIsTheWaitersBeforeTheReleaseReturns) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 10, nullptr);
  {
    queued_waiters waiter(h, 1);
    LONG previous = -1;
    ASSERT_TRUE(ReleaseSemaphore(h, 1, &previous));
    EXPECT_EQ(previous, 0);
    // Consumed already, whether or not the waiter has run yet.
    EXPECT_EQ(state_of(h).count, 0);
    EXPECT_EQ(WaitForSingleObject(h, 0), DWORD(WAIT_TIMEOUT));
    EXPECT_EQ(queue_length(h), 0u);
  }
  EXPECT_EQ(state_of(h).count, 0);
  CloseHandle(h);
}

TEST(HandOff, WaitersAreSatisfiedInTheOrderTheyCame) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 10, nullptr);
  queued_waiters waiters(h, 3);
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(ReleaseSemaphore(h, 1, nullptr));
    ASSERT_TRUE(eventually([&] { return waiters.finished() == k + 1; }));
    EXPECT_EQ(waiters.satisfied(k), k);
    EXPECT_EQ(waiters.result(k), DWORD(WAIT_OBJECT_0));
  }
  EXPECT_EQ(state_of(h).count, 0);
  CloseHandle(h);
}

TEST(HandOff, AReleaseOfNSatisfiesTheFirstNAndKeepsNothing) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 10, nullptr);
  queued_waiters waiters(h, 3);
  ASSERT_TRUE(ReleaseSemaphore(h, 2, nullptr));
  EXPECT_EQ(state_of(h).count, 0);
  EXPECT_EQ(queue_length(h), 1u);
  ASSERT_TRUE(eventually([&] { return waiters.finished() == 2; }));
  let_others_run();
  EXPECT_EQ(waiters.finished(), 2);
  EXPECT_EQ(waiters.satisfied(0) + waiters.satisfied(1), 0 + 1);  // the first two
  // More than the queue needs: the rest goes into the count.
  ASSERT_TRUE(ReleaseSemaphore(h, 3, nullptr));
  ASSERT_TRUE(eventually([&] { return waiters.finished() == 3; }));
  EXPECT_EQ(state_of(h).count, 2);
  CloseHandle(h);
}

TEST(HandOff, AnAutoResetSetSatisfiesOneWaiterAndStaysReset) {
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  queued_waiters waiters(e, 2);
  ASSERT_TRUE(SetEvent(e));
  // The signal went to the first waiter: the event is not signaled now.
  EXPECT_EQ(WaitForSingleObject(e, 0), DWORD(WAIT_TIMEOUT));
  ASSERT_TRUE(eventually([&] { return waiters.finished() == 1; }));
  EXPECT_EQ(waiters.satisfied(0), 0);
  ASSERT_TRUE(SetEvent(e));
  ASSERT_TRUE(eventually([&] { return waiters.finished() == 2; }));
  EXPECT_EQ(WaitForSingleObject(e, 0), DWORD(WAIT_TIMEOUT));
  CloseHandle(e);
}

TEST(HandOff, AManualResetSetSatisfiesEveryWaiterAndStaysSignaled) {
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  {
    queued_waiters waiters(e, 3);
    ASSERT_TRUE(SetEvent(e));
    EXPECT_EQ(queue_length(e), 0u);
  }
  EXPECT_EQ(WaitForSingleObject(e, 0), DWORD(WAIT_OBJECT_0));
  CloseHandle(e);
}

TEST(HandOff, AWaiterThatTimedOutLeavesTheQueueAndIsOwedNothing) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 10, nullptr);
  EXPECT_EQ(WaitForSingleObject(h, 20), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(queue_length(h), 0u);
  ASSERT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(state_of(h).count, 1);
  EXPECT_EQ(WaitForSingleObject(h, 0), DWORD(WAIT_OBJECT_0));
  CloseHandle(h);
}

TEST(HandOff, ANewcomerQueuesBehindTheWaitersInsteadOfOvertakingThem) {
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  queued_waiters waiters(e, 1);
  // A poll by a thread that was not waiting finds nothing, before and after
  // the set: the set's signal is the waiter's.
  EXPECT_EQ(WaitForSingleObject(e, 0), DWORD(WAIT_TIMEOUT));
  ASSERT_TRUE(SetEvent(e));
  EXPECT_EQ(WaitForSingleObject(e, 0), DWORD(WAIT_TIMEOUT));
  ASSERT_TRUE(eventually([&] { return waiters.finished() == 1; }));
  EXPECT_EQ(waiters.result(0), DWORD(WAIT_OBJECT_0));
  CloseHandle(e);
}

}  // namespace
