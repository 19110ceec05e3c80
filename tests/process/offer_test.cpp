// Offers (object/handoff.hpp, INV-OFFER): a releaser that may not write a
// waiter's record (here the stranger, an unprivileged user, and a waiter
// run by root) reserves the wait's take in the waiter's queue entry and
// rings it; the waiter takes it under the lock.  So the waiter keeps its
// place, and a thread that was not waiting cannot take what it was offered.
// A waiter satisfied through another object first hands the offer back to
// the waiters behind it, and deaths at each step (the giver's, the
// waiter's, the decliner's) neither lose the take nor give it twice.  Each
// case with a semaphore and with an auto-reset event, run by a root test
// (skipped otherwise); and PulseEvent to a waiter of another user.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include <ntsem/windows.h>

#include "process/unit_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::unit_handoff;

constexpr const char* everyone_may_use = "D:(A;;GA;;;WD)";

class Offers : public unit_handoff {
 protected:
  void SetUp() override {
    user_ = child_process::unprivileged_user();
    if (std::string why = child_process::cannot_run_as(user_); !why.empty()) GTEST_SKIP() << why;
    make(everyone_may_use);
  }

  // A child of the other user with the object open as h0.
  child_process stranger() {
    ntsem::test::child_options options;
    options.user = user_;
    child_process s(options);
    EXPECT_EQ(s.ask(child_open()), "ok h=0 err=0");
    return s;
  }
  void stranger_signals() {
    child_process s = stranger();
    EXPECT_EQ(s.ask(GetParam()->child_signal), GetParam()->child_signaled);
    EXPECT_TRUE(s.wait_exit().exited_with(0));
  }
  // A root child asleep in a wait on the object, alone (h0).
  void asleep_on_the_object(child_process& a) {
    ASSERT_EQ(a.ask(child_open()), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
  }
  // A asleep on the object and stopped, offered the stranger's signal: the
  // object holds nothing, and A's entry holds the offer.
  void offer_to_stopped(child_process& a) {
    asleep_on_the_object(a);
    ASSERT_TRUE(a.kill(SIGSTOP));
    stranger_signals();
    ASSERT_EQ(GetParam()->units(object_), 0);
    ASSERT_EQ(ntsem::test::queue_length(object_), 1u);
  }

  ntsem::test::user_ids user_{};
};

// Before the change: the stranger's signal stayed in the object (1), and
// this poll, coming to the lock, took it from under A.
TEST_P(Offers, AThreadThatWasNotWaitingCannotTakeTheOffer) {
  child_process a;
  offer_to_stopped(a);
  if (HasFatalFailure()) return;
  EXPECT_EQ(WaitForSingleObject(object_, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  ASSERT_TRUE(a.kill(SIGCONT));
  expect_given_once(a);
  // A took the offer at its doorbell, in the hold that freed the entry.
  EXPECT_EQ(ntsem::test::entries_in_use(object_), 0u);
}

// An offered entry is passed by: the next signal goes to the waiter queued
// behind it while the offered one is still stopped.
TEST_P(Offers, TheWaiterBehindAnOfferIsServedNext) {
  child_process a, b;
  offer_to_stopped(a);
  if (HasFatalFailure()) return;
  asleep_on_the_object(b);
  stranger_signals();
  EXPECT_EQ(b.expect_line(), "result=0x00000000 err=0");
  EXPECT_TRUE(b.wait_exit().exited_with(0));
  ASSERT_TRUE(a.kill(SIGCONT));
  expect_given_once(a);
}

// A waits on `mine` (index 0) and the object (index 1), B on the object
// behind A.  The stranger's signal is offered to A; then root's release of
// `mine` satisfies A directly, first.  A hands the offer back as it leaves,
// and it goes on to B.
TEST_P(Offers, AWaiterSatisfiedElsewhereHandsTheOfferOnToTheNextWaiter) {
  const std::string mine_name = "Global\\" + ntsem::test::unique_name("offer-mine");
  HANDLE mine = CreateSemaphoreA(nullptr, 0, 1, mine_name.c_str());
  ASSERT_NE(mine, nullptr);
  child_process a, b;
  ASSERT_EQ(a.ask("open-sem " + mine_name), "ok h=0 err=0");
  ASSERT_EQ(a.ask(child_open()), "ok h=1 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(a, "h0 h1"));
  asleep_on_the_object(b);
  ASSERT_TRUE(a.kill(SIGSTOP));
  stranger_signals();
  EXPECT_EQ(GetParam()->units(object_), 0);
  EXPECT_TRUE(ReleaseSemaphore(mine, 1, nullptr));
  ASSERT_TRUE(a.kill(SIGCONT));
  EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(b.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(GetParam()->units(object_), 0);
  EXPECT_EQ(ntsem::test::count_of(mine), 0);
  EXPECT_EQ(ntsem::test::queue_length(object_), 0u);
  EXPECT_TRUE(a.wait_exit().exited_with(0));
  EXPECT_TRUE(b.wait_exit().exited_with(0));
  // A's entry, handed back, and B's, satisfied, were freed as they left.
  EXPECT_EQ(ntsem::test::entries_in_use(object_), 0u);
  EXPECT_TRUE(CloseHandle(mine));
}

// A waiter killed holding an offer took it, as a thread killed after its
// wait was satisfied does (on Windows the unit is gone with it).  The next
// signal finds the waiter dead, drops its entry, and stays in the object.
TEST_P(Offers, AWaiterKilledWithAnOfferTookIt) {
  child_process a;
  offer_to_stopped(a);
  if (HasFatalFailure()) return;
  ASSERT_TRUE(a.kill(SIGKILL));
  ASSERT_TRUE(a.wait_exit().killed_by(SIGKILL));
  EXPECT_EQ(GetParam()->units(object_), 0);
  stranger_signals();
  EXPECT_EQ(GetParam()->units(object_), 1);
  EXPECT_EQ(ntsem::test::queue_length(object_), 0u);
  EXPECT_EQ(ntsem::test::entries_in_use(object_), 0u);
}

// A waiter whose deadline passes holding an offer takes it: the signal
// came before it gave up.  A (engine_child, root) stops where its deadline
// has passed, after its last look at its doorbells; the stranger's offer
// comes then, and A, going on, gives up and finds it as it leaves.
TEST_P(Offers, AWaiterOfferedAsItTimesOutTakesTheOffer) {
  child_process a = ntsem::test::start_engine_child();
  ASSERT_EQ(a.ask(std::string(GetParam()->engine_open) + " " + name_), "opened");
  ASSERT_EQ(a.ask("arm-fault timed-out stop"), "armed");
  a.send("wait 10");
  ASSERT_EQ(a.expect_line(), "stopped");
  ASSERT_TRUE(a.wait_until_stopped());
  ASSERT_EQ(ntsem::test::queue_length(object_), 1u);
  stranger_signals();
  EXPECT_EQ(GetParam()->units(object_), 0);
  ASSERT_TRUE(a.kill(SIGCONT));
  EXPECT_EQ(a.expect_line(), "result=0x00000000");
  EXPECT_EQ(GetParam()->units(object_), 0);
  EXPECT_EQ(ntsem::test::queue_length(object_), 0u);
  // The entry whose offer A took was freed in the hold that took it out.
  EXPECT_EQ(ntsem::test::entries_in_use(object_), 0u);
  EXPECT_EQ(WaitForSingleObject(object_, 0), static_cast<DWORD>(WAIT_TIMEOUT));
}

// The giver (the stranger) killed after its offer, before its store: the
// next user of the object (here the query) finds the value sealed and rolls
// the offer forward.  A is stopped meanwhile, so that the offer is still
// there to be seen.
class OfferGiverDeath : public Offers {};

TEST_P(OfferGiverDeath, BeforeItsStoreHasTheOfferRolledForward) {
  child_process a;
  asleep_on_the_object(a);
  ASSERT_TRUE(a.kill(SIGSTOP));
  child_process g = to_the_fault_point("", GetParam()->engine_signal, "unit-given-unstored", user_);
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
  EXPECT_EQ(GetParam()->units(object_), 0);
  EXPECT_EQ(ntsem::test::queue_length(object_), 1u);
  ASSERT_TRUE(a.kill(SIGCONT));
  expect_given_once(a);
}

// Killed after its store, before it lets go of the lock: the offer stands.
// A was woken as it was rung (queue_hold::ring), and answers under the
// lock, so it waits for the lock, whose holder's death the kernel marks,
// waking A there: A repairs and takes its offer, with no other user of the
// object.  (When the ring's wake came with the others, at the end of the
// hold, A slept on until the next user of the object.)
TEST_P(OfferGiverDeath, BeforeItLetsGoOfTheLockHasTheWaiterTakeTheOffer) {
  child_process a;
  asleep_on_the_object(a);
  child_process g = to_the_fault_point("", GetParam()->engine_signal, "claimed-unwoken", user_);
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
  expect_given_once(a);
}

// A (engine_child, root) satisfied through `mine` first dies handing the
// offer back, before its store.  The next user of the object (the query)
// puts the take back and hands it to B, queued behind A.
TEST_P(Offers, ADeclinerKilledBeforeItsStoreHandsTheOfferBackThroughItsRepairer) {
  const std::string mine_name = "Global\\" + ntsem::test::unique_name("offer-mine");
  HANDLE mine = CreateSemaphoreA(nullptr, 0, 1, mine_name.c_str());
  ASSERT_NE(mine, nullptr);
  child_process a = ntsem::test::start_engine_child();
  ASSERT_EQ(a.ask(std::string(GetParam()->engine_open) + " " + name_), "opened");
  ASSERT_EQ(a.ask("arm-fault returned-unstored"), "armed");
  a.send("wait-any-also " + mine_name + " 4294967295");  // INFINITE
  ASSERT_TRUE(ntsem::test::eventually(
      [&] { return ntsem::test::queue_length(object_) == 1u; }));
  ASSERT_TRUE(a.wait_until_sleeping());
  child_process b;
  asleep_on_the_object(b);
  ASSERT_TRUE(a.kill(SIGSTOP));
  stranger_signals();
  EXPECT_TRUE(ReleaseSemaphore(mine, 1, nullptr));
  ASSERT_TRUE(a.kill(SIGCONT));
  EXPECT_TRUE(a.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : a.read_all()) ADD_FAILURE() << "A said: " << line;
  EXPECT_EQ(GetParam()->units(object_), 0);
  EXPECT_EQ(b.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(ntsem::test::queue_length(object_), 0u);
  EXPECT_EQ(ntsem::test::count_of(mine), 0);
  EXPECT_TRUE(b.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(mine));
}

INSTANTIATE_TEST_SUITE_P(Types, Offers,
                         ::testing::Values(&ntsem::test::semaphore,
                                           &ntsem::test::auto_reset_event),
                         ntsem::test::type_name);
INSTANTIATE_TEST_SUITE_P(Types, OfferGiverDeath,
                         ::testing::Values(&ntsem::test::semaphore,
                                           &ntsem::test::auto_reset_event),
                         ntsem::test::type_name);

// PulseEvent releases the threads waiting at that moment, whoever releases
// and whoever waits.  Before offers, the stranger's pulse rang root's
// waiter and reset the event, and the waiter, finding it reset, queued
// again and slept through the pulse.
class PulseToAnotherUser : public ::testing::TestWithParam<bool> {};

TEST_P(PulseToAnotherUser, ReleasesTheWaiter) {
  const ntsem::test::user_ids user = child_process::unprivileged_user();
  if (std::string why = child_process::cannot_run_as(user); !why.empty()) GTEST_SKIP() << why;
  const bool manual_reset = GetParam();
  const std::string name = "Global\\" + ntsem::test::unique_name("offer-pulse");
  ntsem::test::sddl_descriptor descriptor(everyone_may_use);
  ASSERT_TRUE(descriptor.ok());
  HANDLE event = CreateEventA(descriptor.attributes(), manual_reset, FALSE, name.c_str());
  ASSERT_NE(event, nullptr);
  child_process a;
  ASSERT_EQ(a.ask("open-event " + name), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
  ntsem::test::child_options options;
  options.user = user;
  child_process s(options);
  ASSERT_EQ(s.ask("open-event " + name), "ok h=0 err=0");
  EXPECT_EQ(s.ask("pulse-event h0"), "ok");
  EXPECT_TRUE(s.wait_exit().exited_with(0));
  EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(WaitForSingleObject(event, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(ntsem::test::queue_length(event), 0u);
  EXPECT_TRUE(a.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(event));
}

INSTANTIATE_TEST_SUITE_P(ResetKinds, PulseToAnotherUser, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& kind) {
                           return std::string(kind.param ? "ManualReset" : "AutoReset");
                         });

}  // namespace
