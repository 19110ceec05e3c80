// A process that dies in the middle of handing a mutex on, at the exact
// instruction (a fault point of engine_child's, sys/fault_point.hpp): the
// mutex is never owned by two threads, nor by a dead one, and the waiter
// asleep in another process is woken and told it is abandoned
// (object/handoff.hpp, INV-HANDED; object/mutex.hpp, INV-OWNER), or, made
// owner or told before the releaser's death, woken by that death
// (INV-DEATHWAKE).
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
using ntsem::test::start_engine_child;
using ntsem::test::unique_name;

using ntsem::test::expect_abandoned_to;
using ntsem::test::release_and_die_at;

// G, an engine_child that owns the mutex `name` (a failure added if not).
child_process engine_owner_of(const std::string& name) {
  child_process g = start_engine_child();
  EXPECT_EQ(g.ask("open-mutex " + name), "opened");
  EXPECT_EQ(g.ask("wait 0"), "result=0x00000000");
  return g;
}

// The owner G dies in ReleaseMutex with a waiter B asleep (and stopped
// there, if `stop_b`): at `point`; then `expect(b, m)` checks what B got.
void owner_dies_releasing(const std::string& point,
                          void (*expect)(child_process& b, HANDLE m) = expect_abandoned_to,
                          bool stop_b = false) {
  const std::string name = unique_name("mutex-releaser-dies");
  HANDLE m = CreateMutexA(nullptr, FALSE, name.c_str());
  ASSERT_NE(m, nullptr);
  child_process g = engine_owner_of(name);
  child_process b;
  ASSERT_EQ(b.ask("open-mutex " + name), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(b));
  if (stop_b) {
    ASSERT_TRUE(b.kill(SIGSTOP));
  }
  ASSERT_NO_FATAL_FAILURE(release_and_die_at(g, point));
  expect(b, m);
  EXPECT_TRUE(CloseHandle(m));
}

// Out of the owner's list, nothing handed yet: the owner word still held
// the releaser's id, covered by its pending slot, so the kernel marked it
// and woke B.
TEST(MutexHandOffDeath, AReleaserKilledBeforeItHandsTheMutexOnAbandonsIt) {
  owner_dies_releasing("release-unlisted");
}

// B's claim word already said "owner", the owner word not yet B's id: the
// claim is void (B would otherwise own a mutex that the kernel's mark left
// free for anyone), B is woken by the mark and takes the abandoned mutex.
TEST(MutexHandOffDeath, AReleaserKilledBetweenTheClaimAndTheStoreAbandonsItToTheWaiter) {
  owner_dies_releasing("handed-unstored");
}

// The hand-off stored (the owner word holds B's id), G killed before its
// wake, holding the queue lock (INV-WOKEN): B's entry is still linked.  G's
// pending slot covered B's claim word from the store on (a made owner's
// word has no thread id, INV-DEATHWAKE), so the death itself wakes B, the
// owner (not abandoned: its owner is alive), which repairs the lock (its
// entry goes) before it returns.

// B, owner of m, answers, and gives it back.
void expect_owner_answers(child_process& b, HANDLE m) {
  EXPECT_EQ(b.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(ntsem::test::queue_length(m), 0u);  // repaired, by B or before
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(b.ask("release-mutex h0"), "ok");
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(ReleaseMutex(m));
}

TEST(MutexHandOffDeath, AReleaserKilledBeforeItsWakeHasTheNewOwnerWokenByItsDeath) {
  owner_dies_releasing("claimed-unwoken", expect_owner_answers);
}

// The same with B stopped, so that it cannot repair yet: a poll, which
// cannot take the mutex (B owns it), finds QUEUED and the lock's dead
// holder and comes to the lock, whose repair takes B's entry out
// (object/state_word.hpp, repair_owed); then B, running again, owns it.
void expect_repaired_by_a_poll(child_process& b, HANDLE m) {
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(ntsem::test::queue_length(m), 0u);
  ASSERT_TRUE(b.kill(SIGCONT));
  expect_owner_answers(b, m);
}

TEST(MutexHandOffDeath, AReleaserKilledBeforeItsWakeIsRepairedByAPollWhileItsOwnerIsStopped) {
  owner_dies_releasing("claimed-unwoken", expect_repaired_by_a_poll, true);
}

// T, a waiter on two mutexes, covering the first (owned here), is told by
// G's release of the second, which holds it for T's entry (INV-OFFER); G
// dies at `point`.  T must take the second, not abandoned.
void told_waiter_takes_the_mutex_held_for_it(const std::string& point) {
  ntsem::test::two_mutex_wait both("mutex-told", false);
  child_process g = engine_owner_of(both.second());
  child_process t;
  ASSERT_TRUE(both.queue(t));
  ASSERT_NO_FATAL_FAILURE(release_and_die_at(g, point));
  EXPECT_EQ(t.expect_line(), "result=0x00000001 err=0");
  EXPECT_EQ(t.ask("release-mutex h1"), "ok");
  EXPECT_TRUE(t.wait_exit().exited_with(0));
  EXPECT_TRUE(ntsem::test::free_and_not_abandoned(both.m2));
}

// G dies before its wake; its pending slot covered the told claim word
// from the store on (a told word's owner bits are 0, INV-DEATHWAKE), so
// the death wakes T, which, leaving its queues, repairs the lock and takes
// the second mutex.
TEST(MutexHandOffDeath, AReleaserKilledBeforeItsWakeHasAToldWaiterWokenByItsDeath) {
  told_waiter_takes_the_mutex_held_for_it("claimed-unwoken");
}

// G dies after its wakes, the entry marked offered, still holding the lock:
// T, woken, meets G's death at the lock, whose repair keeps the entry
// holding the offer (and wakes T again), so T takes the mutex, not
// abandoned.  (A repair that took the entry out, as a told waiter's, left
// the mutex held for nobody: T got it abandoned, 0x81.)
TEST(MutexHandOffDeath, AReleaserKilledAfterItsWakesHasAToldWaiterTakeTheMutexHeldForIt) {
  told_waiter_takes_the_mutex_held_for_it("offers-stored");
}

// G's thread owns the mutex and ends while B sleeps in a wait for it: the
// end abandons the mutex and hands it to B (made owner of an abandoned
// mutex), and G is killed before its wake, holding the queue lock.  B's
// claim word then holds the owner and told flags together, its owner bits
// 0, and G's pending slot covered it (INV-DEATHWAKE, process records
// layout 4), so the death wakes B, which repairs the lock and reports the
// abandonment.  (Before layout 4 the abandoned flag was an owner bit, and
// B slept until the next user of the mutex came to its lock.)
TEST(MutexHandOffDeath, AThreadKilledBeforeItsWakeHasTheOwnerOfTheMutexItAbandonedWokenByItsDeath) {
  const std::string name = unique_name("mutex-abandoner-dies");
  HANDLE m = CreateMutexA(nullptr, FALSE, name.c_str());
  ASSERT_NE(m, nullptr);
  child_process g = start_engine_child();
  ASSERT_EQ(g.ask("open-mutex " + name), "opened");
  ASSERT_EQ(g.ask("thread-own"), "owned result=0x00000000");
  child_process b;
  ASSERT_EQ(b.ask("open-mutex " + name), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(b));
  ASSERT_EQ(g.ask("arm-fault claimed-unwoken"), "armed");
  g.send("thread-exit");
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "the abandoner said: " << line;
  EXPECT_EQ(b.expect_line(), "result=0x00000080 err=0");
  EXPECT_EQ(ntsem::test::queue_length(m), 0u);  // repaired, by B
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(b.ask("release-mutex h0"), "ok");
  EXPECT_TRUE(ntsem::test::free_and_not_abandoned(m));
  EXPECT_TRUE(b.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(m));
}

// Not the owner: G polls an abandoned mutex and, under its lock, hands it
// to B, queued before it and covering it (stopped, so that it cannot take
// it first), then dies before the store.  B's claim word says "owner",
// the owner word is not B's id: once running, B finds G's hold over and
// takes the claim as told (or finds it told by the repairer), queues
// again and takes the abandoned mutex.  (B runs on the wake of the first
// owner's death, kept while it was stopped; that G's death wakes a
// sleeper too, through its own id in the owner word, is the releaser's
// case above.)
TEST(MutexHandOffDeath, AWaiterKilledWhileItHandsAnAbandonedMutexOnLeavesItAbandoned) {
  const std::string name = unique_name("mutex-passer-dies");
  child_process owner;
  HANDLE m = ntsem::test::open_mutex_owned_by(owner, name, SYNCHRONIZE | MUTANT_QUERY_STATE);
  ASSERT_NE(m, nullptr);
  child_process b;
  ASSERT_EQ(b.ask("open-mutex " + name), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(b));
  ASSERT_TRUE(b.kill(SIGSTOP));
  ASSERT_TRUE(owner.kill(SIGKILL));
  EXPECT_TRUE(owner.wait_exit().killed_by(SIGKILL));
  child_process g = start_engine_child();
  ASSERT_EQ(g.ask("open-mutex " + name), "opened");
  ASSERT_EQ(g.ask("arm-fault handed-unstored"), "armed");
  g.send("wait 0");
  EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL));
  for (const std::string& line : g.read_all()) ADD_FAILURE() << "the passer said: " << line;
  ASSERT_TRUE(b.kill(SIGCONT));
  expect_abandoned_to(b, m);
  EXPECT_TRUE(CloseHandle(m));
}

// A named mutex created owned can be opened by others as soon as its file
// is published, before the creator's view of it exists: the creator's
// pending slot covers the owner word from before that moment, through a
// mapping of its own (names::named_request::creator_owns), so a creator
// killed there leaves the mutex abandoned to whoever opened it.
TEST(MutexCreatedOwned, ACreatorKilledBeforeItsViewExistsLeavesTheMutexAbandoned) {
  const std::string name = unique_name("mutex-creator-dies");
  child_process creator = start_engine_child();
  ASSERT_EQ(creator.ask("arm-fault named-published stop"), "armed");
  creator.send("create-owned-mutex " + name);
  ASSERT_EQ(creator.expect_line(), "stopped");
  HANDLE m = OpenMutexA(SYNCHRONIZE, FALSE, name.c_str());
  ASSERT_NE(m, nullptr) << GetLastError();
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_TRUE(creator.kill(SIGKILL));
  EXPECT_TRUE(creator.wait_exit().killed_by(SIGKILL));
  EXPECT_EQ(WaitForSingleObject(m, ntsem::test::deadlock_guard_ms),
            static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(m));
}

}  // namespace
