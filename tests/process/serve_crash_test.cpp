// A release that serves another process's wait-all (wait/serve_all.hpp),
// killed with SIGKILL at a random moment, hundreds of times: the wait-all is
// served whole or not at all, its waiter outlives the server and goes on,
// and no unit is lost to it or taken twice.  The exact windows have tests
// of their own at fault points (wait_all_serve_test.cpp); this one lands
// kills wherever they fall.
//
// Each round: W (an ntsem_child) waits for all of A (0 units) and B (1
// unit; or a free mutex), queued on A.  G (another), holding both, or A
// only (it then opens B by name inside the release,
// namespace/held_elsewhere.hpp), releases A by one, which serves W, and is
// killed after a random delay.  This process then waits on A with a short
// deadline (it comes to A's lock and repairs what G left; it must time out:
// any unit of A is W's), and releases A by one itself, which serves W
// unless G did.  W must answer satisfied; B then holds 0 units
// (W took exactly one; a mutex: W owns it), and A holds 1 if G served W, 0
// if not.
//
// Environment:
//   NTSEM_CRASH_ITERATIONS  rounds (default 150), for a long run
//   NTSEM_CRASH_SEED        replays a run's delays (the interleavings differ)
#include <gtest/gtest.h>

#include <csignal>
#include <cstdint>
#include <iostream>
#include <string>

#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/crash_rounds.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::queue_length;

// B is a semaphore (its unit taken), or a mutex (W then owns it: it is
// held for W, which takes it once served, INV-SERVED-MUTEX); G holds B, or
// does not.
struct serve_crash_case {
  bool mutex = false;
  bool server_holds_b = true;
};

class ServeCrash : public ::testing::TestWithParam<serve_crash_case> {
 protected:
  bool mutex() const { return GetParam().mutex; }
  std::string open_b(const std::string& name) const {
    return (mutex() ? "open-mutex " : "open-sem ") + name;
  }
  // W answered: B is W's, taken once.
  void expect_b_taken(child_process& w, HANDLE b, const std::string& when) {
    if (!mutex()) {
      EXPECT_EQ(count_of(b), 0) << when;
      return;
    }
    EXPECT_EQ(WaitForSingleObject(b, 0), static_cast<DWORD>(WAIT_TIMEOUT)) << when;
    EXPECT_EQ(w.ask("release-mutex h1"), "ok") << when;
    EXPECT_EQ(WaitForSingleObject(b, 0), static_cast<DWORD>(WAIT_OBJECT_0)) << when;
    EXPECT_TRUE(ReleaseMutex(b)) << when;
  }
};

TEST_P(ServeCrash, AServerKilledAnywhereServesTheWaitAllWholeOrNotAndItsWaiterGoesOn) {
  ntsem::test::crash_rounds run(150);
  const std::uint64_t rounds = run.rounds();
  ntsem::test::deadlock_watchdog& watchdog = run.watchdog();
  const std::string a_name = ntsem::test::unique_name("serve-crash-a");
  const std::string b_name = ntsem::test::unique_name("serve-crash-b");
  HANDLE a = CreateSemaphoreA(nullptr, 0, 1000, a_name.c_str());
  HANDLE b = mutex() ? CreateMutexA(nullptr, FALSE, b_name.c_str())
                     : CreateSemaphoreA(nullptr, 0, 1000, b_name.c_str());
  ASSERT_NE(a, nullptr) << GetLastError();
  ASSERT_NE(b, nullptr) << GetLastError();
  std::uint64_t served_by_g = 0;
  for (std::uint64_t round = 0; round < rounds && !HasFailure(); ++round) {
    const std::string when = "round " + std::to_string(round);
    if (!mutex()) {
      ASSERT_TRUE(ReleaseSemaphore(b, 1, nullptr)) << when;
    }
    child_process w;
    ASSERT_EQ(w.ask("open-sem " + a_name), "ok h=0 err=0") << when;
    ASSERT_EQ(w.ask(open_b(b_name)), "ok h=1 err=0") << when;
    w.send("wait-all INFINITE h0 h1");
    ASSERT_TRUE(ntsem::test::eventually([&] { return queue_length(a) == 1; })) << when;
    ASSERT_TRUE(w.wait_until_sleeping()) << when;
    child_process g;
    ASSERT_EQ(g.ask("open-sem " + a_name), "ok h=0 err=0") << when;
    if (GetParam().server_holds_b) {
      ASSERT_EQ(g.ask(open_b(b_name)), "ok h=1 err=0") << when;
    }
    g.send("release h0 1");
    // G reads the command and releases within a few milliseconds.
    run.spin_up_to(4000);
    ASSERT_TRUE(g.kill(SIGKILL)) << when;
    EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL)) << when;  // it reads on until killed
    watchdog.step(when + ": the wait after the kill");
    EXPECT_EQ(WaitForSingleObject(a, 10), static_cast<DWORD>(WAIT_TIMEOUT)) << when;
    watchdog.step(when + ": the release after the kill");
    EXPECT_TRUE(ReleaseSemaphore(a, 1, nullptr)) << when;
    watchdog.idle();
    EXPECT_EQ(w.expect_line(), "result=0x00000000 err=0") << when;
    expect_b_taken(w, b, when);
    const LONG left = count_of(a);
    EXPECT_TRUE(left == 0 || left == 1) << when << ": A holds " << left;
    if (left == 1) {
      ++served_by_g;
      EXPECT_EQ(WaitForSingleObject(a, 0), static_cast<DWORD>(WAIT_OBJECT_0)) << when;
    }
    EXPECT_TRUE(w.wait_exit().exited_with(0)) << when;
  }
  std::cout << "[ crash    ] " << rounds << " servers killed, " << served_by_g
            << " after they served the wait-all (seed " << run.seed() << ")\n";
  EXPECT_TRUE(CloseHandle(a));
  EXPECT_TRUE(CloseHandle(b));
}

INSTANTIATE_TEST_SUITE_P(Objects, ServeCrash,
                         ::testing::Values(serve_crash_case{false, true},
                                           serve_crash_case{true, true},
                                           serve_crash_case{false, false},
                                           serve_crash_case{true, false}),
                         [](const ::testing::TestParamInfo<serve_crash_case>& p) {
                           return std::string(p.param.mutex ? "SemaphoreAndMutex"
                                                            : "TwoSemaphores") +
                                  (p.param.server_holds_b ? "" : "ServerHoldingOnlyA");
                         });

// The same for a mutex's release that serves a wait-all queued on it: W
// waits for all of M (owned by G) and S (1 unit); G, holding both,
// releases M and is killed after a random delay.  W must answer by itself
// (served, or woken by the death and then taking M, abandoned if G died
// before its release), own M, and have taken S's unit.
TEST(ServeCrash, AMutexOwnerKilledAnywhereInItsReleaseLeavesTheWaitAllWhole) {
  ntsem::test::crash_rounds run(150);
  const std::uint64_t rounds = run.rounds();
  ntsem::test::deadlock_watchdog& watchdog = run.watchdog();
  const std::string m_name = ntsem::test::unique_name("serve-crash-m");
  const std::string s_name = ntsem::test::unique_name("serve-crash-s");
  HANDLE m = CreateMutexA(nullptr, FALSE, m_name.c_str());
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1000, s_name.c_str());
  ASSERT_NE(m, nullptr) << GetLastError();
  ASSERT_NE(s, nullptr) << GetLastError();
  std::uint64_t abandoned = 0;
  for (std::uint64_t round = 0; round < rounds && !HasFailure(); ++round) {
    const std::string when = "round " + std::to_string(round);
    ASSERT_TRUE(ReleaseSemaphore(s, 1, nullptr)) << when;
    child_process g;
    ASSERT_EQ(g.ask("open-mutex " + m_name), "ok h=0 err=0") << when;
    ASSERT_EQ(g.ask("open-sem " + s_name), "ok h=1 err=0") << when;
    ASSERT_EQ(g.ask("wait h0 0"), "result=0x00000000 err=0") << when;
    child_process w;
    ASSERT_EQ(w.ask("open-mutex " + m_name), "ok h=0 err=0") << when;
    ASSERT_EQ(w.ask("open-sem " + s_name), "ok h=1 err=0") << when;
    w.send("wait-all INFINITE h0 h1");
    ASSERT_TRUE(ntsem::test::eventually([&] { return queue_length(m) == 1; })) << when;
    ASSERT_TRUE(w.wait_until_sleeping()) << when;
    g.send("release-mutex h0");
    run.spin_up_to(4000);
    ASSERT_TRUE(g.kill(SIGKILL)) << when;
    EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL)) << when;
    watchdog.step(when + ": the wait-all's answer");
    const std::string answer = w.expect_line();
    watchdog.idle();
    EXPECT_TRUE(answer == "result=0x00000000 err=0" || answer == "result=0x00000080 err=0")
        << when << ": " << answer;
    if (answer == "result=0x00000080 err=0") ++abandoned;
    EXPECT_EQ(count_of(s), 0) << when;
    EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_TIMEOUT)) << when;
    EXPECT_EQ(w.ask("release-mutex h0"), "ok") << when;
    EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_OBJECT_0)) << when;
    EXPECT_TRUE(ReleaseMutex(m)) << when;
    EXPECT_TRUE(w.wait_exit().exited_with(0)) << when;
  }
  std::cout << "[ crash    ] " << rounds << " owners killed releasing, " << abandoned
            << " before their release (seed " << run.seed() << ")\n";
  EXPECT_TRUE(CloseHandle(m));
  EXPECT_TRUE(CloseHandle(s));
}

}  // namespace
