// A release that serves a wait-all with a mutex among its objects
// (wait/serve_all.hpp): the mutex is held for the waiter, which takes it
// once served (object/commit_mark.hpp, INV-SERVED-MUTEX), so that it owns
// it as if it had taken it itself, abandoned or not, and a waiter queued
// behind it on the released object still waits.  Also when the server
// dies on either side of its commit point, and when the waiter dies before
// it takes the mutex (which is then abandoned, INV-OFFER).
//
// Last, a wait-all served by the release of a mutex it is queued on.
//
// The objects: a named semaphore A (blocking the wait-all) and a named
// mutex M (free); this process holds both, so its releases of A serve the
// wait-all of W, another process.  X, an ntsem_child, sleeps on A behind
// W.  Windows serves such a wait-all before X; before this, the release
// told W and gave its unit to X.
#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <string>

#include <ntsem/windows.h>

#include "process/engine_child_process.hpp"
#include "process/served_waiter_fixture.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::eventually;
using ntsem::test::queue_length;

class WaitAllServedMutex : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = CreateSemaphoreA(nullptr, 0, 5, a_name_.c_str());
    m_ = CreateMutexA(nullptr, FALSE, m_name_.c_str());
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(m_, nullptr);
  }
  void TearDown() override {
    EXPECT_TRUE(CloseHandle(a_));
    EXPECT_TRUE(CloseHandle(m_));
  }

  // W, an ntsem_child, waits for all of A and M, queued on A and asleep;
  // its result line is left to read.
  void wait_all_in(child_process& w) {
    ASSERT_EQ(w.ask("open-sem " + a_name_), "ok h=0 err=0");
    ASSERT_EQ(w.ask("open-mutex " + m_name_), "ok h=1 err=0");
    w.send("wait-all INFINITE h0 h1");
    ASSERT_TRUE(eventually([&] { return queue_length(a_) == 1; }));
    ASSERT_TRUE(w.wait_until_sleeping());
  }
  // X, an ntsem_child, asleep on A behind W.
  void queue_behind(child_process& x) {
    ASSERT_EQ(x.ask("open-sem " + a_name_), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(x));
    ASSERT_EQ(queue_length(a_), 2u);
  }
  // W returned `result` with A taken, and owns M: nobody else may take it
  // until W releases it.
  void expect_served_owner(child_process& w, const std::string& result) {
    EXPECT_EQ(w.expect_line(), "result=" + result + " err=0");
    EXPECT_EQ(count_of(a_), 0);
    EXPECT_EQ(WaitForSingleObject(m_, 0), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_EQ(w.ask("release-mutex h1"), "ok");
    EXPECT_EQ(WaitForSingleObject(m_, 0), static_cast<DWORD>(WAIT_OBJECT_0));
    EXPECT_TRUE(ReleaseMutex(m_));
  }
  // X has taken nothing yet; a release of A now goes to it.
  void expect_still_waiting_then_served(child_process& x) {
    EXPECT_EQ(queue_length(a_), 1u);
    EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
    EXPECT_EQ(x.expect_line(), "result=0x00000000 err=0");
    EXPECT_EQ(count_of(a_), 0);
  }
  // S, an engine_child holding A and M, armed at `point`, releases A by
  // one and dies at the point, serving W.
  void die_serving(const std::string& point) {
    child_process s = ntsem::test::start_engine_child();
    ASSERT_EQ(s.ask("open-semaphore " + a_name_), "opened");
    ASSERT_EQ(s.ask("hold-mutex " + m_name_), "held");
    ASSERT_EQ(s.ask("arm-fault " + point), "armed");
    s.send("release-semaphore 1");
    EXPECT_TRUE(s.wait_exit().killed_by(SIGKILL));
    for (const std::string& line : s.read_all()) ADD_FAILURE() << "S said: " << line;
  }

  const std::string a_name_ = "Global\\" + ntsem::test::unique_name("serve-mutex-a");
  const std::string m_name_ = "Global\\" + ntsem::test::unique_name("serve-mutex-m");
  HANDLE a_ = nullptr;
  HANDLE m_ = nullptr;
};

// W waits for all of A and M, X behind it on A.
using WaitAllServedMutexBehind = ntsem::test::served_waiter_fixture<WaitAllServedMutex>;

TEST_F(WaitAllServedMutexBehind, TheWaiterOwnsTheMutexBeforeTheWaiterBehindIt) {
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  expect_served_owner(w_, "0x00000000");
  expect_still_waiting_then_served(x_);
}

// M's last owner was killed owning it: W is served it abandoned, and says
// so as a wait-all does, without an index (WAIT_ABANDONED_0).
TEST_F(WaitAllServedMutex, AnAbandonedMutexIsReportedOnce) {
  {
    child_process z;
    ASSERT_EQ(z.ask("open-mutex " + m_name_), "ok h=0 err=0");
    ASSERT_EQ(z.ask("wait h0 0"), "result=0x00000000 err=0");
    ASSERT_TRUE(z.kill(SIGKILL));
    EXPECT_TRUE(z.wait_exit().killed_by(SIGKILL));
  }
  child_process w;
  ASSERT_NO_FATAL_FAILURE(wait_all_in(w));
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  expect_served_owner(w, "0x00000080");
  EXPECT_TRUE(w.wait_exit().exited_with(0));
}

// The server is killed past its commit point, before it took anything:
// W's hold of M repairs it, which holds M for W (INV-SERVED-MUTEX) rather
// than abandoning it as a dead committer's take; W takes it.
TEST_F(WaitAllServedMutexBehind, AServerKilledPastTheCommitPointLeavesTheMutexToTheWaiter) {
  ASSERT_NO_FATAL_FAILURE(die_serving("committed-untaken"));
  expect_served_owner(w_, "0x00000000");
  expect_still_waiting_then_served(x_);
}

// Killed before its marks: nothing was taken, M is free, and W queues
// again (behind X: the release never happened).
TEST_F(WaitAllServedMutexBehind, AServerKilledBeforeTheMarksLeavesTheMutexFree) {
  ASSERT_NO_FATAL_FAILURE(die_serving("served-unmarked"));
  ASSERT_TRUE(eventually([&] { return ntsem::test::queued_kinds(a_) == "any all"; }));
  EXPECT_EQ(WaitForSingleObject(m_, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(ReleaseMutex(m_));
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  EXPECT_EQ(x_.expect_line(), "result=0x00000000 err=0");
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  expect_served_owner(w_, "0x00000000");
}

// W is killed served, before it took M: M is held for a dead waiter, which
// took it and died owning it (INV-OFFER): the next taker finds it
// abandoned.
TEST_F(WaitAllServedMutex, AWaiterKilledBeforeItTakesTheMutexAbandonsIt) {
  child_process w = ntsem::test::start_engine_child();
  ASSERT_EQ(w.ask("wait-all-thread " + a_name_ + " " + m_name_), "waiting");
  ASSERT_TRUE(eventually([&] { return queue_length(a_) == 1; }));
  ASSERT_EQ(w.ask("arm-fault served-untaken"), "armed");
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  // Its stdout ends when it dies (an idle engine_child whose stdin ends
  // exits of its own accord: not closed first).
  EXPECT_EQ(w.read_line(), std::nullopt);
  EXPECT_TRUE(w.wait_exit().killed_by(SIGKILL));
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(WaitForSingleObject(m_, 0), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(ReleaseMutex(m_));
}

// A mutex's release serves a wait-all queued on it too: W waits for all of
// M (owned, so W queues on it) and S (a semaphore with a unit); X waits on
// M alone, behind W.  Before, the release told W and handed M to X.
class WaitAllServedByAMutexRelease : public ::testing::Test {
 protected:
  void SetUp() override {
    m_ = CreateMutexA(nullptr, FALSE, m_name_.c_str());
    s_ = CreateSemaphoreA(nullptr, 1, 5, s_name_.c_str());
    ASSERT_NE(m_, nullptr);
    ASSERT_NE(s_, nullptr);
  }
  void TearDown() override {
    EXPECT_TRUE(CloseHandle(m_));
    EXPECT_TRUE(CloseHandle(s_));
  }

  // W, then X, queued on M, which its owner holds.
  void queue_w_then_x() {
    ASSERT_EQ(w_.ask("open-mutex " + m_name_), "ok h=0 err=0");
    ASSERT_EQ(w_.ask("open-sem " + s_name_), "ok h=1 err=0");
    w_.send("wait-all INFINITE h0 h1");
    ASSERT_TRUE(eventually([&] { return queue_length(m_) == 1; }));
    ASSERT_TRUE(w_.wait_until_sleeping());
    ASSERT_EQ(x_.ask("open-mutex " + m_name_), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(x_));
    ASSERT_EQ(queue_length(m_), 2u);
  }
  // W answered `result` owning M, with S's unit taken, and X waited; then
  // W's release hands M to X.
  void expect_w_served_then_x(const std::string& result) {
    EXPECT_EQ(w_.expect_line(), "result=" + result + " err=0");
    EXPECT_EQ(count_of(s_), 0);
    EXPECT_EQ(queue_length(m_), 1u);
    EXPECT_EQ(w_.ask("release-mutex h0"), "ok");
    EXPECT_EQ(x_.expect_line(), "result=0x00000000 err=0");
    EXPECT_EQ(x_.ask("release-mutex h0"), "ok");
    EXPECT_TRUE(w_.wait_exit().exited_with(0));
    EXPECT_TRUE(x_.wait_exit().exited_with(0));
  }
  // O, an engine_child, owns M and holds S, and releases M armed at
  // `point`, where it dies.
  void owner_dies_releasing(const std::string& point, child_process& o) {
    ASSERT_EQ(o.ask("open-mutex " + m_name_), "opened");
    ASSERT_EQ(o.ask("wait 0"), "result=0x00000000");
    ASSERT_EQ(o.ask("hold-semaphore " + s_name_), "held");
    ASSERT_NO_FATAL_FAILURE(queue_w_then_x());
    ASSERT_EQ(o.ask("arm-fault " + point), "armed");
    o.send("release-mutex");
    EXPECT_TRUE(o.wait_exit().killed_by(SIGKILL));
    for (const std::string& line : o.read_all()) ADD_FAILURE() << "O said: " << line;
  }

  const std::string m_name_ = "Global\\" + ntsem::test::unique_name("serve-by-mutex-m");
  const std::string s_name_ = "Global\\" + ntsem::test::unique_name("serve-by-mutex-s");
  HANDLE m_ = nullptr;
  HANDLE s_ = nullptr;
  child_process w_;
  child_process x_;
};

TEST_F(WaitAllServedByAMutexRelease, BeforeAWaiterQueuedBehindIt) {
  ASSERT_EQ(WaitForSingleObject(m_, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  ASSERT_NO_FATAL_FAILURE(queue_w_then_x());
  EXPECT_TRUE(ReleaseMutex(m_));
  expect_w_served_then_x("0x00000000");
}

// The owner is killed past the commit point of its serve: the mutex is
// held for W all the same (INV-SERVED-MUTEX).
TEST_F(WaitAllServedByAMutexRelease, AnOwnerKilledPastTheCommitPointLeavesItToTheWaitAll) {
  child_process o = ntsem::test::start_engine_child();
  ASSERT_NO_FATAL_FAILURE(owner_dies_releasing("committed-untaken", o));
  expect_w_served_then_x("0x00000000");
}

// Killed before any mark, the owner word still its own and listed again:
// the kernel marks the mutex abandoned, W (woken by the death) attempts
// again, and the abandoned mutex goes to the first waiter in M's queue,
// X (W's entry went with the dead serve); W has M after X.
TEST_F(WaitAllServedByAMutexRelease, AnOwnerKilledBeforeTheMarksAbandonsIt) {
  child_process o = ntsem::test::start_engine_child();
  ASSERT_NO_FATAL_FAILURE(owner_dies_releasing("served-unmarked", o));
  EXPECT_EQ(x_.expect_line(), "result=0x00000080 err=0");
  EXPECT_EQ(count_of(s_), 1);
  EXPECT_EQ(x_.ask("release-mutex h0"), "ok");
  EXPECT_EQ(w_.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(s_), 0);
  EXPECT_EQ(w_.ask("release-mutex h0"), "ok");
  EXPECT_TRUE(w_.wait_exit().exited_with(0));
  EXPECT_TRUE(x_.wait_exit().exited_with(0));
}

}  // namespace
