// A release killed with SIGKILL at a random moment, hundreds of times, with
// a waiter asleep in another process: the release is whole or absent, and
// the waiter is never left asleep with a unit it was given (object/
// handoff.hpp, INV-GIVEN and INV-WOKEN).  The exact windows have tests of
// their own at fault points (unit_handoff_death_test.cpp); this one lands
// kills wherever they fall.
//
// Each round: W (an ntsem_child) sleeps in a wait on the semaphore S, which
// holds nothing; G (another) releases S by one and is killed after a random
// delay.  Then this process waits on S with a short deadline: it queues, so
// it comes to S's queue lock and repairs whatever G left.  It must time out
// (W, queued first, was owed any unit G released).  Then it releases one
// unit itself, which W gets unless G's unit reached W first; W must then
// answer, and S holds exactly the unit W did not need: 1 if G's release
// happened, 0 if not.
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

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;

TEST(ReleaseCrash, AReleaseKilledAnywhereIsWholeOrAbsentAndItsWaiterWakes) {
  ntsem::test::crash_rounds run(150);
  const std::uint64_t rounds = run.rounds();
  ntsem::test::deadlock_watchdog& watchdog = run.watchdog();
  const std::string name = ntsem::test::unique_name("release-crash");
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1000, name.c_str());
  ASSERT_NE(s, nullptr) << GetLastError();
  std::uint64_t released = 0;
  for (std::uint64_t round = 0; round < rounds && !HasFailure(); ++round) {
    const std::string when = "round " + std::to_string(round);
    child_process w;
    ASSERT_EQ(w.ask("open-sem " + name), "ok h=0 err=0") << when;
    ASSERT_TRUE(ntsem::test::asleep_in_wait(w)) << when;
    child_process g;
    ASSERT_EQ(g.ask("open-sem " + name), "ok h=0 err=0") << when;
    g.send("release h0 1");
    // G reads the command and releases within a few milliseconds.
    run.spin_up_to(4000);
    ASSERT_TRUE(g.kill(SIGKILL)) << when;
    EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL)) << when;  // it reads on until killed
    watchdog.step(when + ": the wait after the kill");
    EXPECT_EQ(WaitForSingleObject(s, 10), static_cast<DWORD>(WAIT_TIMEOUT)) << when;
    watchdog.step(when + ": the release after the kill");
    EXPECT_TRUE(ReleaseSemaphore(s, 1, nullptr)) << when;
    watchdog.idle();
    EXPECT_EQ(w.expect_line(), "result=0x00000000 err=0") << when;
    const LONG left = count_of(s);
    EXPECT_TRUE(left == 0 || left == 1) << when << ": S holds " << left;
    if (left == 1) {
      ++released;
      EXPECT_EQ(WaitForSingleObject(s, 0), static_cast<DWORD>(WAIT_OBJECT_0)) << when;
    }
    EXPECT_TRUE(w.wait_exit().exited_with(0)) << when;
  }
  std::cout << "[ crash    ] " << rounds << " releasers killed, " << released
            << " after their release (seed " << run.seed() << ")\n";
  EXPECT_TRUE(CloseHandle(s));
}

}  // namespace
