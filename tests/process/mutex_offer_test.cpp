// A mutex offered to a waiter of another user (object/handoff.hpp,
// INV-OFFER; object/mutex.hpp): the releaser (the stranger, an unprivileged
// user) may not write the waiter's record (a child run by root), so it
// cannot make the waiter the owner; it holds the mutex for the waiter's
// queue entry instead (mutex_ops::offered_owner) and rings it, and the
// waiter takes it under the lock.  So the waiter keeps its place: a thread
// that was not waiting cannot take the mutex first, nor can the waiters
// queued behind.  A waiter that dies with the offer took the mutex and
// died owning it (abandoned); one satisfied otherwise first hands it on;
// a giver that dies before its store leaves it abandoned, after it the
// offer stands.  Run by root (skipped otherwise).
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include <ntsem/windows.h>

#include "process/engine_child_process.hpp"
#include "process/mutex_checks.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::expect_abandoned_to;
using ntsem::test::free_and_not_abandoned;
using ntsem::test::queue_length;
using ntsem::test::release_and_die_at;

constexpr const char* everyone_may_use = "D:(A;;GA;;;WD)";

class MutexOffers : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = child_process::unprivileged_user();
    if (std::string why = child_process::cannot_run_as(user_); !why.empty()) GTEST_SKIP() << why;
    ntsem::test::sddl_descriptor descriptor(everyone_may_use);
    ASSERT_TRUE(descriptor.ok());
    m_ = CreateMutexA(descriptor.attributes(), FALSE, name_.c_str());
    ASSERT_NE(m_, nullptr) << GetLastError();
  }
  void TearDown() override {
    if (m_) {
      EXPECT_TRUE(CloseHandle(m_));
    }
  }

  // The stranger, an engine_child of the other user, owning the mutex.
  child_process stranger_owner() {
    child_process s = ntsem::test::start_engine_child({}, user_);
    EXPECT_EQ(s.ask("open-mutex " + name_), "opened");
    EXPECT_EQ(s.ask("wait 0"), "result=0x00000000");
    return s;
  }
  // A root child asleep in a wait on the mutex alone (h0).
  void asleep_on_the_mutex(child_process& a) {
    ASSERT_EQ(a.ask("open-mutex " + name_), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
  }
  // A asleep on the mutex and stopped, offered it by the stranger's
  // release: the mutex is held for A's entry.
  void offer_to_stopped(child_process& a) {
    child_process s = stranger_owner();
    asleep_on_the_mutex(a);
    ASSERT_TRUE(a.kill(SIGSTOP));
    EXPECT_EQ(s.ask("release-mutex"), "released");
    EXPECT_TRUE(s.wait_exit().exited_with(0));
    ASSERT_EQ(queue_length(m_), 1u);
  }
  // A poll of the mutex by a thread that was not waiting, of the other user
  // (this process, root, may claim A: it would make A the owner): its
  // result.
  std::string stranger_polls() {
    ntsem::test::child_options options;
    options.user = user_;
    child_process p(options);
    EXPECT_EQ(p.ask("open-mutex " + name_), "ok h=0 err=0");
    const std::string result = p.ask("wait h0 0");
    EXPECT_TRUE(p.wait_exit().exited_with(0));
    return result;
  }
  // A, running again, answers that it owns the mutex, and gives it back.
  void expect_owned_by(child_process& a) {
    EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
    EXPECT_EQ(WaitForSingleObject(m_, 0), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_EQ(a.ask("release-mutex h0"), "ok");
    EXPECT_TRUE(free_and_not_abandoned(m_));
    EXPECT_TRUE(a.wait_exit().exited_with(0));
  }

  const std::string name_ = "Global\\" + ntsem::test::unique_name("mutex-offer");
  ntsem::test::user_ids user_{};
  HANDLE m_ = nullptr;
};

// Before offers, the stranger's release rang A and left the mutex free,
// and another stranger's poll, coming to the lock, took it from under A.
TEST_F(MutexOffers, AThreadThatWasNotWaitingCannotTakeIt) {
  child_process a;
  offer_to_stopped(a);
  if (HasFatalFailure()) return;
  EXPECT_EQ(stranger_polls(), "result=0x00000102 err=0");  // WAIT_TIMEOUT
  ASSERT_TRUE(a.kill(SIGCONT));
  expect_owned_by(a);
  EXPECT_EQ(ntsem::test::entries_in_use(m_), 0u);
}

// Nor can a waiter that queues behind A while A is stopped (of the other
// user too, so that its own look under the lock cannot make A the owner,
// as root's could); A's release hands it on to B.
TEST_F(MutexOffers, TheWaiterBehindIsNotHandedItWhileTheOfferStands) {
  child_process a;
  offer_to_stopped(a);
  if (HasFatalFailure()) return;
  ntsem::test::child_options options;
  options.user = user_;
  child_process b(options);
  asleep_on_the_mutex(b);
  EXPECT_EQ(stranger_polls(), "result=0x00000102 err=0");  // WAIT_TIMEOUT
  EXPECT_TRUE(b.wait_until_sleeping());
  ASSERT_TRUE(a.kill(SIGCONT));
  EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(a.ask("release-mutex h0"), "ok");
  EXPECT_EQ(b.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(b.ask("release-mutex h0"), "ok");
  EXPECT_TRUE(free_and_not_abandoned(m_));
  EXPECT_TRUE(a.wait_exit().exited_with(0));
  EXPECT_TRUE(b.wait_exit().exited_with(0));
}

// A waiter killed with the offer took the mutex and died owning it, as a
// thread killed after its wait was satisfied does: the next taker finds it
// abandoned.  (Before offers the mutex stayed free: WAIT_OBJECT_0.)
TEST_F(MutexOffers, AWaiterKilledWithTheOfferAbandonsIt) {
  child_process a;
  offer_to_stopped(a);
  if (HasFatalFailure()) return;
  ASSERT_TRUE(a.kill(SIGKILL));
  ASSERT_TRUE(a.wait_exit().killed_by(SIGKILL));
  EXPECT_EQ(WaitForSingleObject(m_, 0), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(ReleaseMutex(m_));
  EXPECT_EQ(queue_length(m_), 0u);
  EXPECT_EQ(ntsem::test::entries_in_use(m_), 0u);
  EXPECT_TRUE(free_and_not_abandoned(m_));
}

// A waits on `mine` (index 0) and the mutex (index 1), B on the mutex
// behind A.  The stranger's release offers the mutex to A; then root's
// release of `mine` satisfies A directly, first.  A takes the mutex and
// hands it on as it leaves, to B.
TEST_F(MutexOffers, AWaiterSatisfiedElsewhereHandsItOnToTheNextWaiter) {
  const std::string mine_name = "Global\\" + ntsem::test::unique_name("mutex-offer-mine");
  HANDLE mine = CreateSemaphoreA(nullptr, 0, 1, mine_name.c_str());
  ASSERT_NE(mine, nullptr);
  child_process s = stranger_owner();
  child_process a, b;
  ASSERT_EQ(a.ask("open-sem " + mine_name), "ok h=0 err=0");
  ASSERT_EQ(a.ask("open-mutex " + name_), "ok h=1 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(a, "h0 h1"));
  asleep_on_the_mutex(b);
  ASSERT_TRUE(a.kill(SIGSTOP));
  EXPECT_EQ(s.ask("release-mutex"), "released");
  EXPECT_TRUE(s.wait_exit().exited_with(0));
  EXPECT_TRUE(ReleaseSemaphore(mine, 1, nullptr));
  ASSERT_TRUE(a.kill(SIGCONT));
  EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(b.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(a.ask("release-mutex h1"), "fail err=288");  // ERROR_NOT_OWNER
  EXPECT_EQ(b.ask("release-mutex h0"), "ok");
  EXPECT_TRUE(free_and_not_abandoned(m_));
  EXPECT_EQ(ntsem::test::count_of(mine), 0);
  EXPECT_EQ(queue_length(m_), 0u);
  EXPECT_TRUE(a.wait_exit().exited_with(0));
  EXPECT_TRUE(b.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(mine));
}

// The stranger's thread owns the mutex and ends: the end abandons it and
// offers it to A, abandoned still.  A reports the abandonment.
TEST_F(MutexOffers, AnAbandonedMutexIsOfferedAbandoned) {
  child_process s = ntsem::test::start_engine_child({}, user_);
  ASSERT_EQ(s.ask("open-mutex " + name_), "opened");
  ASSERT_EQ(s.ask("thread-own"), "owned result=0x00000000");
  child_process a;
  asleep_on_the_mutex(a);
  ASSERT_TRUE(a.kill(SIGSTOP));
  EXPECT_EQ(s.ask("thread-exit"), "exited");
  EXPECT_EQ(stranger_polls(), "result=0x00000102 err=0");  // WAIT_TIMEOUT
  ASSERT_TRUE(a.kill(SIGCONT));
  expect_abandoned_to(a, m_);
}

// The stranger killed in its release after the offer, before its store:
// the owner word still held its id, so the kernel marked the mutex
// abandoned, and the offer is void (INV-HANDED).  A, stopped meanwhile,
// then takes the abandoned mutex under the lock, whose repair voided it.
TEST_F(MutexOffers, AGiverKilledBeforeItsStoreLeavesItAbandoned) {
  child_process s = stranger_owner();
  child_process a;
  asleep_on_the_mutex(a);
  ASSERT_TRUE(a.kill(SIGSTOP));
  ASSERT_NO_FATAL_FAILURE(release_and_die_at(s, "handed-unstored"));
  ASSERT_TRUE(a.kill(SIGCONT));
  expect_abandoned_to(a, m_);
}

// Killed after its store, before it lets go of the lock: the offer stands.
// A, woken as it was rung, waits for the lock, whose holder's death the
// kernel marks, waking A there: A repairs and takes the mutex, with no
// other user of it.
TEST_F(MutexOffers, AGiverKilledBeforeItLetsGoOfTheLockHasTheWaiterTakeIt) {
  child_process s = stranger_owner();
  child_process a;
  asleep_on_the_mutex(a);
  ASSERT_NO_FATAL_FAILURE(release_and_die_at(s, "claimed-unwoken"));
  expect_owned_by(a);
}

}  // namespace
