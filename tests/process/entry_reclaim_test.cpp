// A thread killed while it holds a queue entry of a named object outside
// the object's queue (allocated and not yet linked, engine_child's fault
// point entry-unqueued) does not leak the entry: the next holder of the
// object's lock, which finds the dead holder's mark, frees it
// (object/wait_queue.hpp, INV-QALONE).  Without that, each such death would
// keep one of the object's 2,048 entries for as long as the object lives,
// and enough of them would make every wait on it fail.
//
// The three places that take an entry: a wait on one object (or any of
// several), a wait-all queuing on what blocks it, and a wait-all's commit
// reserving its marks.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include <ntsem/windows.h>

#include "process/engine_child_process.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::entries_in_use;

class EntryOfADeadHolder : public ::testing::Test {
 protected:
  // A and B: named semaphores of maximum 5 with the given counts.
  void make(LONG a_count, LONG b_count) {
    a_ = CreateSemaphoreA(nullptr, a_count, 5, a_name_.c_str());
    b_ = CreateSemaphoreA(nullptr, b_count, 5, b_name_.c_str());
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
  }
  void TearDown() override {
    for (HANDLE h : {a_, b_}) {
      if (h) {
        EXPECT_TRUE(CloseHandle(h));
      }
    }
  }

  // An engine_child armed to die at entry-unqueued, then sent `command`,
  // at whose first allocation of an entry it dies.
  void die_allocating(const std::string& command) {
    child_process c = ntsem::test::start_engine_child();
    ASSERT_EQ(c.ask("arm-fault entry-unqueued"), "armed");
    c.send(command);
    // Read to the end first: its stdin stays open until it dies in its
    // thread, not at the end of its commands.
    for (const std::string& line : c.read_all())
      if (line != "waiting") ADD_FAILURE() << "the child said: " << line;
    EXPECT_TRUE(c.wait_exit().killed_by(SIGKILL));
  }

  const std::string a_name_ = "Global\\" + ntsem::test::unique_name("reclaim-a");
  const std::string b_name_ = "Global\\" + ntsem::test::unique_name("reclaim-b");
  HANDLE a_ = nullptr;
  HANDLE b_ = nullptr;
};

// The child dies in WaitForSingleObject(A), its entry taken and not linked.
// A timed wait here comes to A's lock, finds the mark, and frees it; its own
// entry goes when it times out.
TEST_F(EntryOfADeadHolder, AWaitKilledBeforeLinkingLeavesNoEntry) {
  make(0, 0);
  child_process c = ntsem::test::start_engine_child();
  ASSERT_EQ(c.ask("open-semaphore " + a_name_), "opened");
  ASSERT_EQ(c.ask("arm-fault entry-unqueued"), "armed");
  c.send("wait 60000");
  EXPECT_TRUE(c.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : c.read_all()) ADD_FAILURE() << "the child said: " << line;
  EXPECT_EQ(entries_in_use(a_), 1u);  // left by the dead thread, not yet found
  EXPECT_EQ(WaitForSingleObject(a_, 1), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(entries_in_use(a_), 0u);
  // The object works on: a release, then a wait that takes it.
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  EXPECT_EQ(WaitForSingleObject(a_, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a_), 0);
}

// The child's wait-all over A and B finds A not signaled and dies taking the
// entry it would queue on A.  B, held too when it died, is untouched.
TEST_F(EntryOfADeadHolder, AWaitAllKilledBeforeQueuingLeavesNoEntry) {
  make(0, 1);
  die_allocating("wait-all-thread " + a_name_ + " " + b_name_);
  EXPECT_EQ(entries_in_use(a_), 1u);
  EXPECT_EQ(WaitForSingleObject(a_, 1), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(entries_in_use(a_), 0u);
  EXPECT_EQ(WaitForSingleObject(b_, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(entries_in_use(b_), 0u);
}

// Both signaled: the child's wait-all commits, and dies taking the first of
// its commit marks, before anything is marked.  Nothing is taken, and the
// wait-all made here (which comes to both locks) finds both entries free.
TEST_F(EntryOfADeadHolder, AWaitAllKilledReservingItsMarksLeavesNoEntryAndTakesNothing) {
  make(1, 1);
  die_allocating("wait-all-thread " + a_name_ + " " + b_name_);
  EXPECT_EQ(entries_in_use(a_) + entries_in_use(b_), 1u);
  const HANDLE both[] = {a_, b_};
  EXPECT_EQ(WaitForMultipleObjects(2, both, TRUE, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 0);
  EXPECT_EQ(entries_in_use(a_), 0u);
  EXPECT_EQ(entries_in_use(b_), 0u);
}

}  // namespace
