// Named events across real processes: each child is ntsem_child, started
// with fork + exec and driven line by line (tests/support/child_process.hpp).
#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/event_state.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::auto_reset;
using ntsem::test::auto_set;
using ntsem::test::child_process;
using ntsem::test::event_state_of;
using ntsem::test::file_exists;
using ntsem::test::file_of;
using ntsem::test::manual_reset;
using ntsem::test::manual_set;
using ntsem::test::unique_name;

constexpr const char* satisfied = "result=0x00000000 err=0";

// A named event made here, not signaled, and children that have opened it
// as h0 and are blocked on it.  `ready` is false if a step failed.
struct event_with_waiters {
  HANDLE h = nullptr;
  std::vector<child_process> waiters;
  bool ready = false;
};

event_with_waiters blocked_on_new_event(const std::string& name, BOOL manual, std::size_t n) {
  event_with_waiters e;
  e.h = CreateEventA(nullptr, manual, FALSE, name.c_str());
  e.ready = e.h != nullptr;
  e.waiters.resize(n);
  for (child_process& c : e.waiters)
    e.ready = e.ready && c.ask("open-event " + name) == "ok h=0 err=0" &&
              ntsem::test::asleep_in_wait(c);
  return e;
}

// The index of the first of `children` to print a line, and the line; nullopt
// if none did within the deadlock guard.  Polls them in turn.
std::optional<std::pair<std::size_t, std::string>> first_line(std::vector<child_process>& children) {
  const auto until = std::chrono::steady_clock::now() + ntsem::test::deadlock_guard;
  while (std::chrono::steady_clock::now() < until)
    for (std::size_t i = 0; i < children.size(); ++i)
      if (auto line = children[i].read_line(std::chrono::milliseconds(20))) return {{i, *line}};
  return std::nullopt;
}

TEST(NamedEventAcrossProcesses, AnotherProcessSetsAnEventThisOneWaitsOn) {
  const std::string name = unique_name("event-set-there");
  HANDLE h = CreateEventA(nullptr, FALSE, FALSE, name.c_str());
  ASSERT_NE(h, nullptr);
  child_process child;
  EXPECT_EQ(child.ask("open-event " + name + " EVENT_MODIFY_STATE"), "ok h=0 err=0");
  std::thread waiter([&] { EXPECT_EQ(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(h) == 1; }));
  EXPECT_EQ(child.ask("set-event h0"), "ok");
  waiter.join();
  EXPECT_EQ(event_state_of(h), auto_reset);
  // The child's handle has only EVENT_MODIFY_STATE.
  EXPECT_EQ(child.ask("wait h0 0"), "result=0xFFFFFFFF err=5");
  EXPECT_EQ(child.ask("reset-event h0"), "ok");
  EXPECT_TRUE(child.wait_exit().exited_with(0));
  CloseHandle(h);
}

TEST(NamedEventAcrossProcesses, AWaitInAnotherProcessIsSatisfiedBySetEvent) {
  const std::string name = unique_name("event-wait-there");
  event_with_waiters e = blocked_on_new_event(name, FALSE, 1);
  ASSERT_TRUE(e.ready);
  EXPECT_TRUE(SetEvent(e.h));
  EXPECT_EQ(e.waiters[0].expect_line(), satisfied);
  EXPECT_EQ(event_state_of(e.h), auto_reset);  // the child's wait took the signal
  EXPECT_TRUE(e.waiters[0].wait_exit().exited_with(0));
  CloseHandle(e.h);
  EXPECT_FALSE(file_exists(file_of(name)));
}

TEST(NamedEventAcrossProcesses, AManualResetEventReleasesEveryWaitingProcess) {
  event_with_waiters e = blocked_on_new_event(unique_name("event-manual-all"), TRUE, 3);
  ASSERT_TRUE(e.ready);
  EXPECT_TRUE(SetEvent(e.h));
  for (child_process& c : e.waiters) EXPECT_EQ(c.expect_line(), satisfied);
  EXPECT_EQ(event_state_of(e.h), manual_set);
  for (child_process& c : e.waiters) EXPECT_TRUE(c.wait_exit().exited_with(0));
  CloseHandle(e.h);
}

// A pulse from a third process releases every process waiting at that
// moment and leaves the event reset: the waits were satisfied under the
// event's queue lock, before the pulse returned.
TEST(NamedEventAcrossProcesses, APulseFromAnotherProcessReleasesEveryWaitingProcess) {
  const std::string name = unique_name("event-pulse");
  event_with_waiters e = blocked_on_new_event(name, TRUE, 2);
  ASSERT_TRUE(e.ready);
  child_process pulser;
  ASSERT_EQ(pulser.ask("open-event " + name + " EVENT_MODIFY_STATE"), "ok h=0 err=0");
  EXPECT_EQ(pulser.ask("pulse-event h0"), "ok");
  EXPECT_EQ(event_state_of(e.h), manual_reset);
  EXPECT_EQ(ntsem::test::queue_length(e.h), 0u);
  for (child_process& c : e.waiters) EXPECT_EQ(c.expect_line(), satisfied);
  for (child_process& c : e.waiters) EXPECT_TRUE(c.wait_exit().exited_with(0));
  EXPECT_TRUE(pulser.wait_exit().exited_with(0));
  CloseHandle(e.h);
}

// Each SetEvent on an auto-reset event releases exactly one waiting process;
// the other stays blocked until the next.
TEST(NamedEventAcrossProcesses, AnAutoResetEventReleasesOneProcessPerSet) {
  event_with_waiters e = blocked_on_new_event(unique_name("event-auto-one"), FALSE, 2);
  ASSERT_TRUE(e.ready);
  EXPECT_TRUE(SetEvent(e.h));
  const auto first = first_line(e.waiters);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->second, satisfied);
  child_process& other = e.waiters[1 - first->first];
  ASSERT_TRUE(other.wait_until_sleeping());  // still blocked
  ntsem::test::let_others_run();
  EXPECT_EQ(other.read_line(std::chrono::milliseconds(0)), std::nullopt);
  EXPECT_EQ(event_state_of(e.h), auto_reset);
  EXPECT_TRUE(SetEvent(e.h));
  EXPECT_EQ(other.expect_line(), satisfied);
  EXPECT_EQ(event_state_of(e.h), auto_reset);
  for (child_process& c : e.waiters) EXPECT_TRUE(c.wait_exit().exited_with(0));
  CloseHandle(e.h);
}

// A process killed while it waits takes nothing: the event keeps its state,
// and the next SetEvent's signal stays for the living.
TEST(NamedEventAcrossProcesses, AWaiterKilledWhileBlockedLeavesTheStateUnchanged) {
  for (BOOL manual : {FALSE, TRUE}) {
    SCOPED_TRACE(manual);
    const std::string name = unique_name(manual ? "event-killed-m" : "event-killed-a");
    event_with_waiters e = blocked_on_new_event(name, manual, 1);
    ASSERT_TRUE(e.ready);
    e.waiters[0].kill(SIGKILL);
    ASSERT_TRUE(e.waiters[0].wait_exit().killed_by(SIGKILL));
    EXPECT_EQ(event_state_of(e.h), manual ? manual_reset : auto_reset);
    EXPECT_TRUE(SetEvent(e.h));
    EXPECT_EQ(event_state_of(e.h), manual ? manual_set : auto_set);
    EXPECT_EQ(WaitForSingleObject(e.h, 0), WAIT_OBJECT_0);
    CloseHandle(e.h);
    EXPECT_FALSE(file_exists(file_of(name)));
  }
}

// The namespace is typed across processes too.
TEST(NamedEventAcrossProcesses, ANameHeldByAnotherTypeElsewhereIsInvalidHandle) {
  const std::string event_name = unique_name("event-there");
  const std::string sem_name = unique_name("semaphore-here");
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, sem_name.c_str());
  child_process child;
  ASSERT_EQ(child.ask("create-event " + event_name + " 1 1"), "ok h=0 err=0");
  SetLastError(0);
  EXPECT_EQ(CreateSemaphoreA(nullptr, 0, 1, event_name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  SetLastError(0);
  EXPECT_EQ(OpenSemaphoreA(SYNCHRONIZE, FALSE, event_name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(child.ask("create-event " + sem_name + " 0 0"), "fail err=6");
  EXPECT_EQ(child.ask("open-event " + sem_name), "fail err=6");
  EXPECT_EQ(child.ask("create-event " + event_name + " 0 0"), "ok h=1 err=183");
  EXPECT_EQ(ntsem::test::count_of(s), 1);
  EXPECT_TRUE(child.wait_exit().exited_with(0));
  CloseHandle(s);
}

// A killed last holder's event is gone: the next create of the name makes a
// fresh object of whatever type it asks for.
TEST(NamedEventAcrossProcesses, AKilledCreatorsEventIsNoObjectForTheNextCreate) {
  const std::string name = unique_name("event-killed-creator");
  for (int round = 0; round < 2; ++round) {
    child_process child;
    ASSERT_EQ(child.ask("create-event " + name + " 1 1"), "ok h=0 err=0");
    child.kill(SIGKILL);
    ASSERT_TRUE(child.wait_exit().killed_by(SIGKILL));
    SetLastError(0xDEADBEEF);
    HANDLE fresh = round == 0 ? CreateEventA(nullptr, FALSE, FALSE, name.c_str())
                              : CreateSemaphoreA(nullptr, 0, 3, name.c_str());
    ASSERT_NE(fresh, nullptr);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
    if (round == 0)
      EXPECT_EQ(event_state_of(fresh), auto_reset);
    else
      EXPECT_EQ(ntsem::test::state_of(fresh), (ntsem::test::semaphore_state{0, 3}));
    CloseHandle(fresh);
    EXPECT_FALSE(file_exists(file_of(name)));
  }
}

}  // namespace
