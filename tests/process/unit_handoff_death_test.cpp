// A process that dies in the middle of handing units on, at the exact
// instruction (engine_child's fault points unit-given-unstored and
// claimed-unwoken, sys/fault_point.hpp): a unit is never both given to a
// waiter and left in the object, nor taken out and given to nobody
// (object/handoff.hpp, INV-GIVEN), and the waiter given it is woken even if
// its giver dies before the wake, by the death itself (INV-DEATHWAKE), as is
// a wait-all it told.  Each case with a semaphore and with an auto-reset
// event.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include <ntsem/windows.h>

#include "process/unit_objects.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::auto_reset_event;
using ntsem::test::child_process;
using ntsem::test::semaphore;
using ntsem::test::start_engine_child;
using ntsem::test::type_name;
using ntsem::test::unit_handoff;
using ntsem::test::unit_object;

// The giver's release is sealed with its unit in the value before it hands
// it to a waiter: a giver killed after the claim is rolled forward, and the
// waiter must not end its wait before that (its repairer reads its claim
// word).
class UnitHandOffDeath : public unit_handoff {
 protected:
  void SetUp() override { make(nullptr); }

  // A waits, asleep; G releases and dies at `point`, holding the lock.
  void giver_dies_at(child_process& a, const std::string& point = "unit-given-unstored") {
    ASSERT_EQ(a.ask(child_open()), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(a));
    child_process g = to_the_fault_point("", GetParam()->engine_signal, point);
    EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
    for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
  }
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
  ASSERT_NO_FATAL_FAILURE(giver_dies_at(a));
  EXPECT_EQ(GetParam()->units(object_), 0);
  expect_given_once(a);
}

// The giver killed after its store and before its wake, holding the lock.
// Its thread's pending robust slot points at A's claim word, which a unit's
// claim leaves with no thread id: the kernel, as it marks the lock, wakes A
// (INV-DEATHWAKE).  A answers before anything else touches the object (the
// checks that follow do), with its unit.  (Without the cover, A slept until
// the next user of the object repaired.)
TEST_P(UnitHandOffDeath, AReleaserKilledBeforeItsWakeHasTheWaiterWokenByItsDeath) {
  child_process a;
  ASSERT_NO_FATAL_FAILURE(giver_dies_at(a, "claimed-unwoken"));
  expect_given_once(a);
}

// G (an engine_child) releases semaphore `name` by `count` and is killed
// after its store, before its wakes (claimed-unwoken), holding the lock.
void releaser_dies_before_its_wakes(const std::string& name, int count) {
  child_process g = start_engine_child();
  ASSERT_EQ(g.ask("open-semaphore " + name), "opened");
  ASSERT_EQ(g.ask("arm-fault claimed-unwoken"), "armed");
  g.send("release-semaphore " + std::to_string(count));
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "G said: " << line;
}

// A release of two killed before its wakes: the death wakes the first
// waiter (A); A, finding its entry linked under a lock the kernel marked,
// takes the lock, and its repair wakes B.  Both answer before anything else
// touches the semaphore.
TEST(UnitHandOffDeathOfTwo, AReleaserKilledBeforeItsWakesHasBothWaitersWokenByItsDeath) {
  const std::string name = "Global\\" + ntsem::test::unique_name("two-given");
  HANDLE s = CreateSemaphoreA(nullptr, 0, 5, name.c_str());
  ASSERT_NE(s, nullptr);
  child_process a, b;
  for (child_process* c : {&a, &b}) {
    ASSERT_EQ(c->ask("open-sem " + name), "ok h=0 err=0");
    ASSERT_TRUE(ntsem::test::asleep_in_wait(*c));
  }
  ASSERT_NO_FATAL_FAILURE(releaser_dies_before_its_wakes(name, 2));
  for (child_process* c : {&a, &b}) EXPECT_EQ(c->expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(ntsem::test::count_of(s), 0);
  EXPECT_EQ(ntsem::test::queue_length(s), 0u);
  for (child_process* c : {&a, &b}) EXPECT_TRUE(c->wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(s));
}

// A wait-all that cannot complete is told, not given: a release of the
// object it is queued on wakes it to attempt again, and the unit stays in
// the object.  G's release of S1 tells A's wait-all on S1 and S2 (S2 has
// nothing), stores, and G dies before the wake, holding the lock.  The
// death wakes A (a told claim word's owner bits are 0, INV-DEATHWAKE),
// whose next attempt repairs S1's lock, finds S2 blocking and queues
// there, before anything else touches S1; a release of S2 then completes
// it.  (S2 had a unit here before a release could open the objects it does
// not hold: G, holding S1 alone, now serves a wait-all that can complete,
// namespace/held_elsewhere.hpp.)
TEST(ToldWaitAllDeath, AReleaserKilledBeforeItsWakeHasTheWaitAllWokenByItsDeath) {
  const std::string s1_name = "Global\\" + ntsem::test::unique_name("told-s1");
  const std::string s2_name = "Global\\" + ntsem::test::unique_name("told-s2");
  HANDLE s1 = CreateSemaphoreA(nullptr, 0, 5, s1_name.c_str());
  HANDLE s2 = CreateSemaphoreA(nullptr, 0, 5, s2_name.c_str());
  ASSERT_NE(s1, nullptr);
  ASSERT_NE(s2, nullptr);
  child_process a;
  ASSERT_EQ(a.ask("open-sem " + s1_name), "ok h=0 err=0");
  ASSERT_EQ(a.ask("open-sem " + s2_name), "ok h=1 err=0");
  a.send("wait-all INFINITE h0 h1");
  ASSERT_TRUE(a.wait_until_sleeping());
  ASSERT_EQ(ntsem::test::queue_length(s1), 1u);
  ASSERT_NO_FATAL_FAILURE(releaser_dies_before_its_wakes(s1_name, 1));
  EXPECT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(s2) == 1u; }));
  EXPECT_EQ(ntsem::test::count_of(s1), 1);
  EXPECT_EQ(ntsem::test::queue_length(s1), 0u);
  EXPECT_TRUE(ReleaseSemaphore(s2, 1, nullptr));
  EXPECT_EQ(a.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(ntsem::test::count_of(s1), 0);
  EXPECT_EQ(ntsem::test::count_of(s2), 0);
  EXPECT_TRUE(a.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(s1));
  EXPECT_TRUE(CloseHandle(s2));
}

INSTANTIATE_TEST_SUITE_P(Types, UnitHandOffDeath, ::testing::Values(&semaphore, &auto_reset_event),
                         type_name);

}  // namespace
