// A release that serves a wait-all (wait/serve_all.hpp) before a waiter of
// another process queued behind it, as Windows does (DESIGN.md property 8):
//  - of its own process: and a death of that process inside the serve:
//    before the marks, nothing of the wait is taken and the release never
//    happened; past the commit point, every object is taken (INV-ALL);
//  - of another process of the same user (or root), whether it holds every
//    object of the wait or only the one it releases (it opens the others
//    by name, namespace/held_elsewhere.hpp); and a death of the releaser,
//    which the waiter outlives: before the marks it attempts again, past
//    the commit point it returns satisfied;
//  - not of another user's process, which may not write the waiter's
//    record: that release only tells the wait-all (docs/wait-engine.md,
//    "Not yet as on Windows");
//  - past another object's lock held at that moment: the release waits
//    for the lock of an object after the released one in lock order, and
//    only tells the wait-all when the busy one comes before it.
// The objects are named semaphores A (blocking the wait-all) and B (able to
// be taken), the waiter behind is an ntsem_child asleep on A.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include <ntsem/windows.h>

#include "handle/handle_table.hpp"
#include "process/engine_child_process.hpp"
#include "process/served_waiter_fixture.hpp"
#include "support/child_process.hpp"
#include "support/multi_waiter.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::eventually;
using ntsem::test::queue_length;

class WaitAllServed : public ::testing::Test {
 protected:
  void SetUp() override {
    ntsem::test::sddl_descriptor descriptor(sddl_ ? sddl_ : "");
    ASSERT_TRUE(!sddl_ || descriptor.ok());
    SECURITY_ATTRIBUTES* attributes = sddl_ ? descriptor.attributes() : nullptr;
    a_ = CreateSemaphoreA(attributes, 0, 5, a_name_.c_str());
    b_ = CreateSemaphoreA(attributes, 1, 5, b_name_.c_str());
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
  }
  void TearDown() override {
    EXPECT_TRUE(CloseHandle(a_));
    EXPECT_TRUE(CloseHandle(b_));
  }

  // X, another process, asleep on A, the `place`th waiter queued there.
  void queue_on_a(child_process& x, std::size_t place) {
    ASSERT_EQ(x.ask("open-sem " + a_name_), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(x));
    ASSERT_EQ(queue_length(a_), place);
  }
  // X asleep on A behind the wait-all queued there (and `ahead` others).
  void queue_behind(child_process& x, std::size_t ahead = 0) { queue_on_a(x, ahead + 2); }
  // X has taken nothing yet; a release of A now goes to it.
  void expect_still_waiting_then_served(child_process& x) {
    EXPECT_EQ(queue_length(a_), 1u);
    EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
    EXPECT_EQ(x.expect_line(), "result=0x00000000 err=0");
    EXPECT_EQ(count_of(a_), 0);
    EXPECT_EQ(queue_length(a_), 0u);
  }

  // S, an engine_child whose thread waits for all of A and B (queued on
  // A, behind `ahead` waiters), with fault point `point` armed; then X
  // behind it; then S's release of A by `units`, which dies at the point.
  void die_serving(const std::string& point, child_process& x, std::size_t ahead = 0,
                   int units = 1) {
    child_process s = ntsem::test::start_engine_child();
    ASSERT_EQ(s.ask("open-semaphore " + a_name_), "opened");
    ASSERT_EQ(s.ask("wait-all-thread " + a_name_ + " " + b_name_), "waiting");
    ASSERT_TRUE(eventually([&] { return queue_length(a_) == ahead + 1; }));
    ASSERT_EQ(s.ask("arm-fault " + point), "armed");
    queue_behind(x, ahead);
    release_and_die(s, units);
  }

  // S, an engine_child holding A and B, armed at `point`, releases A by
  // one and dies at the point, serving another process's wait-all.
  void die_serving_across(const std::string& point) {
    child_process s = ntsem::test::start_engine_child();
    ASSERT_EQ(s.ask("open-semaphore " + a_name_), "opened");
    ASSERT_EQ(s.ask("hold-semaphore " + b_name_), "held");
    ASSERT_EQ(s.ask("arm-fault " + point), "armed");
    release_and_die(s, 1);
  }

  static void release_and_die(child_process& s, int units) {
    s.send("release-semaphore " + std::to_string(units));
    EXPECT_TRUE(s.wait_exit().killed_by(SIGKILL));
    for (const std::string& line : s.read_all()) ADD_FAILURE() << "S said: " << line;
  }

  // W, an ntsem_child, waits for all of A and B, queued on A (behind
  // `ahead` waiters) and asleep; its result line is left to read.
  void wait_all_in(child_process& w, std::size_t ahead = 0) {
    ASSERT_EQ(w.ask("open-sem " + a_name_), "ok h=0 err=0");
    ASSERT_EQ(w.ask("open-sem " + b_name_), "ok h=1 err=0");
    w.send("wait-all INFINITE h0 h1");
    ASSERT_TRUE(eventually([&] { return queue_length(a_) == ahead + 1; }));
    ASSERT_TRUE(w.wait_until_sleeping());
  }
  // W has returned satisfied: A and B both taken.
  void expect_served(child_process& w) {
    EXPECT_EQ(w.expect_line(), "result=0x00000000 err=0");
    EXPECT_EQ(count_of(a_), 0);
    EXPECT_EQ(count_of(b_), 0);
  }

  // The objects' descriptor, as SDDL; nullptr: the default (owner only).
  const char* sddl_ = nullptr;
  const std::string a_name_ = "Global\\" + ntsem::test::unique_name("serve-a");
  const std::string b_name_ = "Global\\" + ntsem::test::unique_name("serve-b");
  HANDLE a_ = nullptr;
  HANDLE b_ = nullptr;
};

// Before the change: the release told the wait-all and gave its unit to X,
// and the wait-all, finding A taken, queued again.
TEST_F(WaitAllServed, BeforeAWaiterOfAnotherProcessQueuedBehindIt) {
  const HANDLE both[] = {a_, b_};
  ntsem::test::multi_waiter first({both[0], both[1]}, true);
  ASSERT_TRUE(eventually([&] { return queue_length(a_) == 1; }));
  child_process x;
  queue_behind(x);
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  EXPECT_EQ(first.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 0);
  expect_still_waiting_then_served(x);
  EXPECT_TRUE(x.wait_exit().exited_with(0));
}

// Killed before any mark: the release was never stored (a call that died
// before it returned), B is untouched, and X still waits.
TEST_F(WaitAllServed, KilledBeforeTheMarksTakesNothing) {
  child_process x;
  die_serving("served-unmarked", x);
  if (HasFatalFailure()) return;
  // A timed wait comes to A's lock, whose repair drops the dead wait-all's
  // entry (a query of a queued object does not).
  EXPECT_EQ(WaitForSingleObject(a_, 1), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 1);
  expect_still_waiting_then_served(x);
  EXPECT_TRUE(x.wait_exit().exited_with(0));
}

// Killed past the commit point: both objects are taken by whoever repairs
// them (the dead wait got its objects, as a thread killed after its wait
// was satisfied does), and X still waits.
TEST_F(WaitAllServed, KilledPastTheCommitPointTakesEverything) {
  child_process x;
  die_serving("committed-untaken", x);
  if (HasFatalFailure()) return;
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 0);
  expect_still_waiting_then_served(x);
  EXPECT_TRUE(x.wait_exit().exited_with(0));
}

// Y, queued on A before the wait-all, is given a unit by S's release of
// two, which then serves the wait-all and dies there, holding B's lock
// too.  Taking that lock used the robust slot that covered Y's claim
// (INV-DEATHWAKE), so S woke Y first (queue_hold::wake_claimed): Y comes to
// A's lock, whose repair rolls the release forward (a whole release: the
// second unit goes to X, the dead wait-all's entry is dropped), and
// returns.  Without that wake Y slept until the next user of A.
TEST_F(WaitAllServed, KilledInTheServeHasTheWaiterItGaveAUnitBeforeWoken) {
  child_process y;
  ASSERT_NO_FATAL_FAILURE(queue_on_a(y, 1));
  child_process x;
  die_serving("served-unmarked", x, 1, 2);
  if (HasFatalFailure()) return;
  EXPECT_EQ(y.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(x.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 1);
  EXPECT_EQ(queue_length(a_), 0u);
  EXPECT_TRUE(y.wait_exit().exited_with(0));
  EXPECT_TRUE(x.wait_exit().exited_with(0));
}

// Across processes: this process holds A and B; W, another process, waits
// for both, and X is queued behind it on A.
using WaitAllServedAcross = ntsem::test::served_waiter_fixture<WaitAllServed>;

// Before the change the release told W and gave its unit to X.
TEST_F(WaitAllServedAcross, BeforeAWaiterQueuedBehindIt) {
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  expect_served(w_);
  expect_still_waiting_then_served(x_);
}

// A releaser that holds A only reaches B through W's descriptor of B's
// file: it opens B by name, serves W before X, and lets go of B again.
// Before the change it told W and gave its unit to X, and W queued again.
TEST_F(WaitAllServedAcross, ByAProcessThatHoldsOnlyTheObjectItReleases) {
  child_process r;
  ASSERT_EQ(r.ask("open-sem " + a_name_), "ok h=0 err=0");
  EXPECT_EQ(r.ask("release h0 1"), "ok prev=0");
  expect_served(w_);
  EXPECT_TRUE(r.wait_exit().exited_with(0));
  expect_still_waiting_then_served(x_);
}

// Another user's process, allowed to release A, may not write W's record
// (nor read W's descriptors): its release tells W and gives its unit to X,
// and W queues again; a release by this process then serves it.
class WaitAllServedAcrossUsers : public ntsem::test::served_waiter_fixture<WaitAllServed> {
 protected:
  WaitAllServedAcrossUsers() { sddl_ = "D:(A;;GA;;;WD)"; }  // everyone may use them
  void SetUp() override {
    user_ = child_process::unprivileged_user();
    if (std::string why = child_process::cannot_run_as(user_); !why.empty()) GTEST_SKIP() << why;
    served_waiter_fixture::SetUp();
  }
  ntsem::test::user_ids user_{};
};

TEST_F(WaitAllServedAcrossUsers, NotByAnotherUsersProcess) {
  ntsem::test::child_options options;
  options.user = user_;
  child_process stranger(options);
  ASSERT_EQ(stranger.ask("open-sem " + a_name_), "ok h=0 err=0");
  EXPECT_EQ(stranger.ask("open-sem " + b_name_), "ok h=1 err=0");
  EXPECT_EQ(stranger.ask("release h0 1"), "ok prev=0");
  EXPECT_EQ(x_.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(b_), 1);
  ASSERT_TRUE(eventually([&] { return queue_length(a_) == 1; }));
  EXPECT_TRUE(stranger.wait_exit().exited_with(0));
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  expect_served(w_);
}

// The server, another process, is killed after it claimed W and before any
// mark.  Its death wakes W (INV-DEATHWAKE), which finds no commit in its
// intent, takes nothing and queues again (behind X now: the release never
// happened).  Without the intent W returned satisfied with nothing taken;
// without the death's wake it slept until the next user of A.
TEST_F(WaitAllServedAcross, KilledBeforeTheMarksHasItQueueAgain) {
  ASSERT_NO_FATAL_FAILURE(die_serving_across("served-unmarked"));
  // W's entry behind X's: W was woken and queued again, with nobody else
  // at A's lock.
  ASSERT_TRUE(eventually([&] { return ntsem::test::queued_kinds(a_) == "any all"; }));
  EXPECT_EQ(count_of(a_), 0);
  EXPECT_EQ(count_of(b_), 1);
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  EXPECT_EQ(x_.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(b_), 1);
  EXPECT_TRUE(ReleaseSemaphore(a_, 1, nullptr));
  expect_served(w_);
}

// Killed past the commit point: W, woken by the death, finds the commit in
// its intent, has both objects rolled forward and returns satisfied; X
// still waits.
TEST_F(WaitAllServedAcross, KilledPastTheCommitPointSatisfiesIt) {
  ASSERT_NO_FATAL_FAILURE(die_serving_across("committed-untaken"));
  expect_served(w_);
  expect_still_waiting_then_served(x_);
}

// Two semaphores named by lock order (object_location), both at 0: `lo`
// comes before `hi`.  W waits for both, queued on `blocker` (the other has
// a unit), X is asleep on `blocker` behind it, and H, an engine_child,
// holds the other's queue lock as an attempt holds it.  R, another process,
// then releases `blocker` by one.
class WaitAllServedPastABusyLock : public ::testing::Test {
 protected:
  void SetUp() override {
    HANDLE first = CreateSemaphoreA(nullptr, 0, 5, first_.c_str());
    HANDLE second = CreateSemaphoreA(nullptr, 0, 5, second_.c_str());
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    ntsem::handle::handle_info a, b;
    ASSERT_EQ(ntsem::handle::lookup(first, &a), STATUS_SUCCESS);
    ASSERT_EQ(ntsem::handle::lookup(second, &b), STATUS_SUCCESS);
    const bool in_order = a.object.home->location < b.object.home->location;
    lo_ = in_order ? first : second;
    hi_ = in_order ? second : first;
    lo_name_ = in_order ? first_ : second_;
    hi_name_ = in_order ? second_ : first_;
  }
  void TearDown() override {
    EXPECT_TRUE(CloseHandle(lo_));
    EXPECT_TRUE(CloseHandle(hi_));
  }

  // Up to R's release of `blocker`; the other's lock held by h_.
  void release_past_busy_lock(HANDLE blocker, const std::string& blocker_name,
                              HANDLE other, const std::string& other_name) {
    ASSERT_TRUE(ReleaseSemaphore(other, 1, nullptr));
    ASSERT_EQ(w_.ask("open-sem " + blocker_name), "ok h=0 err=0");
    ASSERT_EQ(w_.ask("open-sem " + other_name), "ok h=1 err=0");
    w_.send("wait-all INFINITE h0 h1");
    ASSERT_TRUE(eventually([&] { return queue_length(blocker) == 1; }));
    ASSERT_TRUE(w_.wait_until_sleeping());
    ASSERT_EQ(x_.ask("open-sem " + blocker_name), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(x_));
    ASSERT_EQ(queue_length(blocker), 2u);
    ASSERT_EQ(h_.ask("hold-lock " + other_name), "locked");
    ASSERT_EQ(r_.ask("open-sem " + blocker_name), "ok h=0 err=0");
    r_.send("release h0 1");
  }
  void expect_everyone_gone() {
    for (child_process* c : {&w_, &x_, &r_, &h_}) EXPECT_TRUE(c->wait_exit().exited_with(0));
  }

  const std::string first_ = "Global\\" + ntsem::test::unique_name("busy-1");
  const std::string second_ = "Global\\" + ntsem::test::unique_name("busy-2");
  HANDLE lo_ = nullptr;
  HANDLE hi_ = nullptr;
  std::string lo_name_;
  std::string hi_name_;
  child_process w_;
  child_process x_;
  child_process r_;
  child_process h_ = ntsem::test::start_engine_child();
};

// The held lock is after the released object's: R waits for it (asleep),
// and once H lets go, serves W before X.  Before the change R only tried
// the lock, told W and gave its unit to X.
TEST_F(WaitAllServedPastABusyLock, TheReleaseWaitsForALockAfterTheReleasedObject) {
  ASSERT_NO_FATAL_FAILURE(release_past_busy_lock(lo_, lo_name_, hi_, hi_name_));
  ASSERT_TRUE(r_.wait_until_sleeping());
  EXPECT_EQ(h_.ask("let-go"), "let go");
  EXPECT_EQ(r_.expect_line(), "ok prev=0");
  EXPECT_EQ(w_.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(lo_), 0);
  EXPECT_EQ(count_of(hi_), 0);
  EXPECT_EQ(queue_length(lo_), 1u);
  EXPECT_TRUE(ReleaseSemaphore(lo_, 1, nullptr));
  EXPECT_EQ(x_.expect_line(), "result=0x00000000 err=0");
  expect_everyone_gone();
}

// The held lock is before the released object's: waiting for it could
// close a cycle (INV-ALL-ORDER), so R tells W and gives its unit to X, as
// Windows would not; W, its next attempt blocked, queues again, and a
// release that finds the lock free serves it.
TEST_F(WaitAllServedPastABusyLock, ALockBeforeTheReleasedObjectOnlyHasTheWaitAllTold) {
  ASSERT_NO_FATAL_FAILURE(release_past_busy_lock(hi_, hi_name_, lo_, lo_name_));
  EXPECT_EQ(r_.expect_line(), "ok prev=0");
  EXPECT_EQ(x_.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(h_.ask("let-go"), "let go");
  ASSERT_TRUE(eventually([&] { return queue_length(hi_) == 1; }));
  EXPECT_EQ(count_of(lo_), 1);
  EXPECT_TRUE(ReleaseSemaphore(hi_, 1, nullptr));
  EXPECT_EQ(w_.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(count_of(lo_), 0);
  EXPECT_EQ(count_of(hi_), 0);
  expect_everyone_gone();
}

}  // namespace
