// A process that dies in the middle of handing units on, at the exact
// instruction (engine_child's fault points unit-given-unstored and
// claimed-unwoken, sys/fault_point.hpp): a unit is never both given to a
// waiter and left in the object, nor taken out and given to nobody
// (object/handoff.hpp, INV-GIVEN), and the waiter given it is woken even if
// its giver dies before the wake (INV-WOKEN).  Each case with a semaphore
// and with an auto-reset event; and a wait-all told by a giver that dies
// before the wake.
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
using ntsem::test::start_engine_child;

// The kind of object handed on, with the calls that make, signal and read
// it.
struct unit_object {
  const char* test_name;
  const char* child_open;     // ntsem_child's command that opens it by name
  const char* child_signal;   // ntsem_child's command that signals h0
  const char* child_signaled; // and its answer from an object that held nothing
  const char* engine_open;    // engine_child's command that opens it by name
  const char* engine_signal;  // engine_child's command that signals it
  HANDLE (*create)(SECURITY_ATTRIBUTES* attributes, const char* name);
  // 1 while the object holds the unit, 0 once it is taken.
  LONG (*units)(HANDLE h);
};

const unit_object semaphore{
    "Semaphore", "open-sem", "release h0 1", "ok prev=0", "open-semaphore", "release-semaphore",
    [](SECURITY_ATTRIBUTES* a, const char* name) { return CreateSemaphoreA(a, 0, 5, name); },
    [](HANDLE h) { return ntsem::test::count_of(h); }};

const unit_object auto_reset_event{
    "AutoResetEvent", "open-event", "set-event h0", "ok", "open-event", "set-event",
    [](SECURITY_ATTRIBUTES* a, const char* name) { return CreateEventA(a, FALSE, FALSE, name); },
    [](HANDLE h) {
      // NtQueryEvent reads the state as a query does (it waits out a seal).
      EVENT_BASIC_INFORMATION info{};
      return NtQueryEvent(h, EventBasicInformation, &info, sizeof info, nullptr) == STATUS_SUCCESS
                 ? info.EventState
                 : LONG{-1};
    }};

// The object, made for the test, and the helpers around it.
class unit_handoff : public ::testing::TestWithParam<const unit_object*> {
 protected:
  // `sddl` null: the default descriptor (the creating user only).
  void make(const char* sddl) {
    ntsem::test::sddl_descriptor descriptor(sddl ? sddl : "");
    ASSERT_TRUE(!sddl || descriptor.ok());
    object_ = GetParam()->create(sddl ? descriptor.attributes() : nullptr, name_.c_str());
    ASSERT_NE(object_, nullptr) << GetLastError();
  }
  void TearDown() override {
    if (object_) {
      EXPECT_TRUE(CloseHandle(object_));
    }
  }

  std::string child_open() const { return std::string(GetParam()->child_open) + " " + name_; }

  // G, an engine_child with the object open and fault point `point` armed
  // (`how`: "" to die there, "stop" to stop), then sent `command`.
  child_process to_the_fault_point(const std::string& how, const std::string& command,
                                   const std::string& point = "unit-given-unstored") {
    child_process g = start_engine_child();
    EXPECT_EQ(g.ask(std::string(GetParam()->engine_open) + " " + name_), "opened");
    EXPECT_EQ(g.ask("arm-fault " + point + " " + how), "armed");
    g.send(command);
    return g;
  }

  // A has its unit, once: the object holds none, and nobody else can take
  // one.
  void expect_given_once(child_process& a) {
    EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
    EXPECT_EQ(GetParam()->units(object_), 0);
    EXPECT_EQ(ntsem::test::queue_length(object_), 0u);
    EXPECT_EQ(WaitForSingleObject(object_, 0), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_TRUE(a.wait_exit().exited_with(0));
  }

  const std::string name_ = "Global\\" + ntsem::test::unique_name("unit-handoff");
  HANDLE object_ = nullptr;
};

// The giver's release is sealed with its unit in the value before it hands
// it to a waiter: a giver killed after the claim is rolled forward, and the
// waiter must not end its wait before that (its repairer reads its claim
// word).
class UnitHandOffDeath : public unit_handoff {
 protected:
  void SetUp() override { make(nullptr); }
};

// G stops in its release after the claim, holding the lock, while A is
// stopped too.  Running again, A finds its wait satisfied but its entry
// still linked, and waits out G's hold (it sleeps in the lock) rather than
// end its wait.  Killed there, G is repaired by A, whose claim word still
// says it was satisfied through that entry: the released unit is A's, and
// out of the value.  (An A that ended its wait at once would be found
// asleep reading its next command, not in a futex wait, and the repair
// would leave the unit in the object too.)
TEST_P(UnitHandOffDeath, AWaiterSatisfiedBeforeTheStoreWaitsOutItsGiver) {
  child_process a;
  ASSERT_EQ(a.ask(child_open()), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
  ASSERT_TRUE(a.kill(SIGSTOP));
  child_process g = to_the_fault_point("stop", GetParam()->engine_signal);
  ASSERT_EQ(g.expect_line(), "stopped");
  ASSERT_TRUE(a.kill(SIGCONT));
  EXPECT_TRUE(a.wait_until_sleeping());
  EXPECT_TRUE(g.kill(SIGKILL));
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  expect_given_once(a);
}

// The same giver killed after the claim: whoever takes the lock next (here
// the query) rolls the release forward.
TEST_P(UnitHandOffDeath, AReleaserKilledAfterTheClaimHasReleasedTheUnitToTheWaiter) {
  child_process a;
  ASSERT_EQ(a.ask(child_open()), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
  child_process g = to_the_fault_point("", GetParam()->engine_signal);
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
  EXPECT_EQ(GetParam()->units(object_), 0);
  expect_given_once(a);
}

// The giver killed after its store and before its wake, holding the lock
// (INV-WOKEN).  The waiter's entry is still linked, so the object stays
// QUEUED, and the next user that comes to the lock (here a wait, which
// finds the unit gone and times out; a release would do too) repairs and
// wakes the waiter, which has its unit.  (With the wake made after the
// lock was let go, a giver killed in between left the waiter asleep for
// ever, and nothing for anyone to repair.)
TEST_P(UnitHandOffDeath, AReleaserKilledBeforeItsWakeHasTheWaiterWokenByTheNextUser) {
  child_process a;
  ASSERT_EQ(a.ask(child_open()), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
  child_process g = to_the_fault_point("", GetParam()->engine_signal, "claimed-unwoken");
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
  EXPECT_TRUE(a.wait_until_sleeping());
  EXPECT_EQ(WaitForSingleObject(object_, 50), static_cast<DWORD>(WAIT_TIMEOUT));
  expect_given_once(a);
}

// The changes that hand on units the object already holds are those that
// meet a waiter a releaser had to pass by.  Here: a waiter A (root) whose
// record the releasing user (nobody) may not write, so that user's signal
// rings A's doorbell and leaves the unit in the object for A.  A is
// stopped and cannot answer.  Then G (root) polls the object: under its
// queue lock it first hands the unit to A, queued before it, and dies
// before it stores the value.  Without the roll-forward, A would have the
// unit and the object would still hold it.  (Run by a root test, which
// may run a child as another user; skipped otherwise.)
class UnitHandOffDeathAcrossUsers : public unit_handoff {
 protected:
  void SetUp() override {
    if (!child_process::can_switch_user()) GTEST_SKIP() << "needs root to run a child as another user";
    user_ = child_process::unprivileged_user();
    if (std::string why = child_process::cannot_run_as(user_); !why.empty()) GTEST_SKIP() << why;
    make("D:(A;;GA;;;WD)");
  }

  // A queued on the object and stopped; the stranger's signal left the unit
  // in the object for A.
  void leave_a_unit_for(child_process& a) {
    ASSERT_EQ(a.ask(child_open()), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
    ASSERT_TRUE(a.kill(SIGSTOP));
    ntsem::test::child_options options;
    options.user = user_;
    child_process stranger(options);
    ASSERT_EQ(stranger.ask(child_open()), "ok h=0 err=0");
    ASSERT_EQ(stranger.ask(GetParam()->child_signal), GetParam()->child_signaled);
    EXPECT_TRUE(stranger.wait_exit().exited_with(0));
    ASSERT_EQ(GetParam()->units(object_), 1);
    ASSERT_EQ(ntsem::test::queue_length(object_), 1u);
  }

  ntsem::test::user_ids user_{};
};

TEST_P(UnitHandOffDeathAcrossUsers, AHolderKilledAfterGivingAUnitOfTheObjectGivesItOnce) {
  child_process a;
  leave_a_unit_for(a);
  if (HasFatalFailure()) return;
  child_process g = to_the_fault_point("", "wait 0");
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
  EXPECT_EQ(GetParam()->units(object_), 0);
  ASSERT_TRUE(a.kill(SIGCONT));
  expect_given_once(a);
}

// A wait-all is told, not given: a release of the object that blocks it
// wakes it to attempt again, and the unit stays in the object.  G's release
// of S1 tells A's wait-all on S1 and S2, stores, and G dies before the
// wake, holding the lock (INV-WOKEN).  The next user of S1 (a release)
// repairs and wakes A, which then takes both.
TEST(ToldWaitAllDeath, AReleaserKilledBeforeItsWakeHasTheWaitAllWokenByTheNextUser) {
  const std::string s1_name = "Global\\" + ntsem::test::unique_name("told-s1");
  const std::string s2_name = "Global\\" + ntsem::test::unique_name("told-s2");
  HANDLE s1 = CreateSemaphoreA(nullptr, 0, 5, s1_name.c_str());
  HANDLE s2 = CreateSemaphoreA(nullptr, 1, 5, s2_name.c_str());
  ASSERT_NE(s1, nullptr);
  ASSERT_NE(s2, nullptr);
  child_process a;
  ASSERT_EQ(a.ask("open-sem " + s1_name), "ok h=0 err=0");
  ASSERT_EQ(a.ask("open-sem " + s2_name), "ok h=1 err=0");
  a.send("wait-all INFINITE h0 h1");
  ASSERT_TRUE(a.wait_until_sleeping());
  child_process g = start_engine_child();
  ASSERT_EQ(g.ask("open-semaphore " + s1_name), "opened");
  ASSERT_EQ(g.ask("arm-fault claimed-unwoken"), "armed");
  g.send("release-semaphore");
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
  EXPECT_TRUE(a.wait_until_sleeping());
  // Told, not given: G's unit is still in S1.
  EXPECT_EQ(ntsem::test::count_of(s1), 1);
  LONG previous = -1;
  EXPECT_TRUE(ReleaseSemaphore(s1, 1, &previous));
  EXPECT_EQ(previous, 1);
  EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(ntsem::test::count_of(s1), 1);
  EXPECT_EQ(ntsem::test::count_of(s2), 0);
  EXPECT_TRUE(CloseHandle(s1));
  EXPECT_TRUE(CloseHandle(s2));
}

std::string type_name(const ::testing::TestParamInfo<const unit_object*>& type) {
  return type.param->test_name;
}

INSTANTIATE_TEST_SUITE_P(Types, UnitHandOffDeath, ::testing::Values(&semaphore, &auto_reset_event),
                         type_name);
INSTANTIATE_TEST_SUITE_P(Types, UnitHandOffDeathAcrossUsers,
                         ::testing::Values(&semaphore, &auto_reset_event), type_name);

}  // namespace
