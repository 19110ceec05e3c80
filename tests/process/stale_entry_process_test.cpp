// Stale entries (wait/stale_entries.hpp) and their revival (INV-REVIVE,
// shm/queue_entry.hpp) between processes.
//
// Another process acts between a reviver's look at its stale entry and its
// compare-and-swap (engine_child stopped at the fault point revive-checked):
// a thread that queues behind the entry there closes it and is served
// first; a release that drops it there leaves its unit for the reviver to
// take under the lock.
//
// A thread that forks leaves its last wait's stale entries to itself: the
// child's copy of that thread has another thread id and another process
// record, so the entries are not its own.  Were the child to revive one,
// the entry would still name the parent's wait block: a release would find
// that block idle, drop the entry as a finished wait's, and the child would
// sleep through it.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <string>
#include <thread>

#include <ntsem/windows.h>

#include "process/engine_child_process.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::eventually;
using ntsem::test::queue_length;

// Named semaphores A and B (count 0, maximum 5), and an engine_child C
// whose wait-any over {A, B} was satisfied through B: its entry in A stays,
// stale.
class StaleEntryOfAnotherProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = CreateSemaphoreA(nullptr, 0, 5, a_name_.c_str());
    b_ = CreateSemaphoreA(nullptr, 0, 5, b_name_.c_str());
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
    ASSERT_EQ(c_.ask("open-semaphore " + b_name_), "opened");
    ASSERT_TRUE(c_.send("wait-any-also " + a_name_ + " 60000"));
    ASSERT_TRUE(eventually([&] { return queue_length(b_) == 1; }));
    ASSERT_TRUE(ReleaseSemaphore(b_, 1, nullptr));
    ASSERT_EQ(c_.expect_line(), "result=0x00000001");
    ASSERT_EQ(queue_length(a_), 1u);
  }
  void TearDown() override {
    for (HANDLE h : {a_, b_}) {
      if (h) {
        EXPECT_TRUE(CloseHandle(h));
      }
    }
  }
  // C waits on {A, B} again and stops between its look at the stale entry
  // in A and its compare-and-swap.
  void stop_reviving() {
    ASSERT_EQ(c_.ask("arm-fault revive-checked stop"), "armed");
    ASSERT_TRUE(c_.send("wait-any-also " + a_name_ + " 60000"));
    ASSERT_EQ(c_.expect_line(), "stopped");
    ASSERT_TRUE(c_.wait_until_stopped());
  }

  const std::string a_name_ = "Global\\" + ntsem::test::unique_name("stale-a");
  const std::string b_name_ = "Global\\" + ntsem::test::unique_name("stale-b");
  HANDLE a_ = nullptr;
  HANDLE b_ = nullptr;
  child_process c_ = ntsem::test::start_engine_child();
};

// First come, first served: a thread of this process queued on A while C
// is stopped closed C's entry, so C queues behind it under the lock.
TEST_F(StaleEntryOfAnotherProcess, AThreadQueuedBehindItAsItIsRevivedIsServedFirst) {
  ASSERT_NO_FATAL_FAILURE(stop_reviving());
  std::atomic<DWORD> mine{WAIT_FAILED};
  std::thread waiter([&] { mine = WaitForSingleObject(a_, ntsem::test::deadlock_guard_ms); });
  ASSERT_TRUE(eventually([&] { return queue_length(a_) == 2; }));
  ASSERT_TRUE(c_.kill(SIGCONT));
  ASSERT_TRUE(eventually([&] { return queue_length(b_) == 1; }));  // C queued again
  EXPECT_EQ(queue_length(a_), 2u);
  ASSERT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  waiter.join();
  EXPECT_EQ(mine, WAIT_OBJECT_0);
  ASSERT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  EXPECT_EQ(c_.expect_line(), "result=0x00000000");
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 0);
}

// A release while C is stopped drops C's stale entry (its wait was over)
// and keeps the unit: C, going on, finds the entry closed and takes A.
TEST_F(StaleEntryOfAnotherProcess, AReleaseThatDropsItAsItIsRevivedLeavesTheUnitToTheReviver) {
  ASSERT_NO_FATAL_FAILURE(stop_reviving());
  LONG previous = -1;
  ASSERT_TRUE(ReleaseSemaphore(a_, 1, &previous));
  EXPECT_EQ(previous, 0);
  EXPECT_EQ(count_of(a_), 1);
  EXPECT_EQ(queue_length(a_), 0u);
  ASSERT_TRUE(c_.kill(SIGCONT));
  EXPECT_EQ(c_.expect_line(), "result=0x00000000");
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(queue_length(a_), 0u);
}

TEST_F(StaleEntryOfAnotherProcess, AForkedChildQueuesAnEntryOfItsOwn) {
  // The same wait in a forked child: queued on both, behind the stale entry.
  ASSERT_TRUE(c_.send("fork-run wait-any-also " + a_name_ + " 10000"));
  ASSERT_TRUE(eventually([&] { return queue_length(b_) == 1; }));
  EXPECT_EQ(queue_length(a_), 2u);
  ASSERT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  EXPECT_EQ(c_.expect_line(), "forked result=0x00000000");
  EXPECT_EQ(c_.expect_line(), "parent");
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 0);
  ASSERT_TRUE(c_.wait_exit().exited_with(0));
}

}  // namespace
