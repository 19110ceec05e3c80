// Named mutexes across real processes (ntsem_child, driven line by line):
// ownership handed from one process to another, and abandonment when the
// owner is SIGKILLed, exits, or is killed after a release handed it the
// mutex but before it ran (object/mutex.hpp: INV-OWNER, INV-COVER,
// INV-SLEEP).
#include <gtest/gtest.h>

#include <csignal>

#include <ntsem/windows.h>

#include "process/mutex_checks.hpp"
#include "support/child_process.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::unique_name;

constexpr DWORD guard_ms = ntsem::test::deadlock_guard_ms;

using ntsem::test::expect_abandoned_to;
using ntsem::test::free_and_not_abandoned;
using ntsem::test::open_mutex_owned_by;

TEST(MutexAcrossProcesses, ReleaseHandsTheMutexToAWaiterInAnotherProcess) {
  const std::string name = unique_name("mutex-handed");
  HANDLE m = CreateMutexA(nullptr, TRUE, name.c_str());
  ASSERT_NE(m, nullptr);
  child_process child;
  ASSERT_EQ(child.ask("open-mutex " + name), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(child));
  EXPECT_TRUE(ReleaseMutex(m));
  // The child owns it from the release on, whether or not it has run.
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(child.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(child.ask("release-mutex h0"), "ok");
  EXPECT_TRUE(free_and_not_abandoned(m));
  EXPECT_TRUE(child.wait_exit().exited_with(0));
  EXPECT_TRUE(CloseHandle(m));
}

// The kernel marks the owner word of a SIGKILLed owner; the next taker is
// told once.
TEST(MutexAcrossProcesses, AnOwnerKilledBySigkillAbandonsTheMutex) {
  const std::string name = unique_name("mutex-killed-owner");
  child_process owner;
  HANDLE m = open_mutex_owned_by(owner, name);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_TRUE(owner.kill(SIGKILL));
  EXPECT_TRUE(owner.wait_exit().killed_by(SIGKILL));
  EXPECT_EQ(WaitForSingleObject(m, guard_ms), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(free_and_not_abandoned(m));
  EXPECT_TRUE(CloseHandle(m));
}

// A process asleep on the mutex is woken by the kernel's mark (it sleeps on
// the owner word too) and takes the abandoned mutex.
TEST(MutexAcrossProcesses, AWaiterAsleepInAnotherProcessIsWokenWhenTheOwnerIsKilled) {
  const std::string name = unique_name("mutex-killed-while-waited");
  HANDLE m = CreateMutexA(nullptr, FALSE, name.c_str());
  ASSERT_NE(m, nullptr);
  child_process owner, waiter;
  ASSERT_EQ(owner.ask("open-mutex " + name), "ok h=0 err=0");
  ASSERT_EQ(owner.ask("wait h0 0"), "result=0x00000000 err=0");
  ASSERT_EQ(waiter.ask("open-mutex " + name), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(waiter));
  EXPECT_TRUE(owner.kill(SIGKILL));
  EXPECT_TRUE(owner.wait_exit().killed_by(SIGKILL));
  expect_abandoned_to(waiter, m);
  EXPECT_TRUE(CloseHandle(m));
}

// The release hands the mutex to a waiter that is stopped (it cannot run),
// then the waiter is killed before it ever runs: its pending slot covered
// the owner word (INV-COVER), so the kernel marks it, and the mutex is
// abandoned, not owned by a dead thread for ever.
TEST(MutexAcrossProcesses, AWaiterKilledAfterTheHandOffBeforeItRanAbandonsTheMutex) {
  const std::string name = unique_name("mutex-handed-to-the-dead");
  HANDLE m = CreateMutexA(nullptr, TRUE, name.c_str());
  ASSERT_NE(m, nullptr);
  child_process waiter;
  ASSERT_EQ(waiter.ask("open-mutex " + name), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(waiter));
  EXPECT_TRUE(waiter.kill(SIGSTOP));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_TRUE(waiter.kill(SIGKILL));
  EXPECT_TRUE(waiter.wait_exit().killed_by(SIGKILL));
  EXPECT_EQ(WaitForSingleObject(m, guard_ms), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(m));
}

// T waits for m1 or m2 (both owned here), B for m2, behind T.  T's pending
// slot covers m1, the lowest (INV-COVER), so the release of m2 cannot make
// T its owner; it tells T and holds m2 for T's entry (INV-OFFER), and T
// takes it as it leaves: T keeps its place before B.  (Before, T was told,
// the release went on to make B the owner, and T queued again behind B.)
TEST(MutexAcrossProcesses, AWaiterOnTwoMutexesKeepsItsPlaceInTheOneItDoesNotCover) {
  ntsem::test::two_mutex_wait both("mutex-place", true);
  const HANDLE m2 = both.m2;
  child_process t, b;
  ASSERT_TRUE(both.queue(t));
  ASSERT_EQ(b.ask("open-mutex " + both.second()), "ok h=0 err=0");
  ASSERT_TRUE(ntsem::test::asleep_in_wait(b));
  EXPECT_TRUE(ReleaseMutex(m2));
  EXPECT_EQ(t.expect_line(), "result=0x00000001 err=0");
  EXPECT_TRUE(b.wait_until_sleeping());
  EXPECT_EQ(t.ask("release-mutex h1"), "ok");
  EXPECT_EQ(b.expect_line(), "result=0x00000000 err=0");
  EXPECT_EQ(b.ask("release-mutex h0"), "ok");
  EXPECT_TRUE(free_and_not_abandoned(m2));
  EXPECT_EQ(ntsem::test::queue_length(m2), 0u);
  EXPECT_TRUE(t.wait_exit().exited_with(0));
  EXPECT_TRUE(b.wait_exit().exited_with(0));
}

// The same T, stopped as m2 is held for it, then killed: it took m2 and
// died owning it.  Its claim word (told) holds no thread id for the kernel
// to mark, so the next taker finds it dead by its record's liveness lock,
// drops its entry and takes m2 abandoned.
TEST(MutexAcrossProcesses, AWaiterKilledWithAMutexHeldForItAbandonsIt) {
  ntsem::test::two_mutex_wait both("mutex-held", true);
  const HANDLE m2 = both.m2;
  child_process t;
  ASSERT_TRUE(both.queue(t));
  ASSERT_TRUE(t.kill(SIGSTOP));
  EXPECT_TRUE(ReleaseMutex(m2));
  EXPECT_EQ(WaitForSingleObject(m2, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  ASSERT_TRUE(t.kill(SIGKILL));
  ASSERT_TRUE(t.wait_exit().killed_by(SIGKILL));
  EXPECT_EQ(WaitForSingleObject(m2, 0), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(ReleaseMutex(m2));
  EXPECT_EQ(ntsem::test::queue_length(m2), 0u);
  EXPECT_TRUE(free_and_not_abandoned(m2));
}

// A process that exits normally (exit, no ReleaseMutex) abandons it too.
TEST(MutexAcrossProcesses, AnOwnerThatExitsAbandonsTheMutex) {
  const std::string name = unique_name("mutex-exited-owner");
  child_process owner;
  HANDLE m = open_mutex_owned_by(owner, name);
  ASSERT_NE(m, nullptr);
  owner.send("exit 0");
  EXPECT_TRUE(owner.wait_exit().exited_with(0));
  EXPECT_EQ(WaitForSingleObject(m, guard_ms), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(m));
}

}  // namespace
