// A mutex's release killed with SIGKILL at a random moment, hundreds of
// times, while the mutex is to be held for a waiter asleep in another
// process (object/handoff.hpp, INV-OFFER): the waiter is never left asleep,
// and gets the mutex either handed on (the release was stored) or
// abandoned (its owner died first), never both and never neither.  The
// exact windows have tests of their own at fault points
// (mutex_offer_test.cpp, mutex_handoff_death_test.cpp); this one lands
// kills wherever they fall.
//
// Each round: W (an ntsem_child) sleeps in a wait for the mutex M; G
// (another, which took M) releases it and is killed after a random delay.
// W must answer by itself: WAIT_OBJECT_0 + i (G's release was stored, and
// M held for W or W made its owner) or WAIT_ABANDONED_0 + i (G died
// owning M, or before its store).  Then W releases M, which is free and
// not abandoned.  Two cases:
//   - OfferedToAnotherUser: G is another user, who may not write W's
//     record, so it holds M for W's entry (rung);
//   - HeldForAToldWaiter: W waits for M1 (owned here, the lowest: its
//     pending slot covers it) or M, so G's release of M tells W and holds
//     M for its entry.
//
// Environment:
//   NTSEM_CRASH_ITERATIONS  rounds (default 150), for a long run
//   NTSEM_CRASH_SEED        replays a run's delays (the interleavings differ)
#include <gtest/gtest.h>

#include <csignal>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include <ntsem/windows.h>

#include "process/mutex_checks.hpp"
#include "support/child_process.hpp"
#include "support/crash_rounds.hpp"
#include "support/named_objects.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;

constexpr const char* everyone_may_use = "D:(A;;GA;;;WD)";

// One case: who releases, and what W waits for (its place of M).
struct release_case {
  bool other_user;  // G runs as the unprivileged user
  bool told;        // W waits for M1 or M (M at index 1), else for M alone
};

void kill_releasers(const release_case& c) {
  std::optional<ntsem::test::user_ids> user;
  if (c.other_user) {
    user = child_process::unprivileged_user();
    if (std::string why = child_process::cannot_run_as(*user); !why.empty()) GTEST_SKIP() << why;
  }
  ntsem::test::crash_rounds run(150);
  const std::uint64_t rounds = run.rounds();
  ntsem::test::deadlock_watchdog& watchdog = run.watchdog();
  const std::string name = "Global\\" + ntsem::test::unique_name("mutex-release-crash");
  const std::string first = "Global\\" + ntsem::test::unique_name("mutex-release-crash-first");
  ntsem::test::sddl_descriptor descriptor(everyone_may_use);
  ASSERT_TRUE(descriptor.ok());
  HANDLE m = CreateMutexA(descriptor.attributes(), FALSE, name.c_str());
  HANDLE m1 = CreateMutexA(nullptr, TRUE, first.c_str());
  ASSERT_NE(m, nullptr) << GetLastError();
  ASSERT_NE(m1, nullptr) << GetLastError();
  const std::string index = c.told ? "1" : "0";
  const std::string handed = "result=0x0000000" + index + " err=0";
  const std::string abandoned = "result=0x0000008" + index + " err=0";
  std::uint64_t stored = 0;
  for (std::uint64_t round = 0; round < rounds && !::testing::Test::HasFailure(); ++round) {
    const std::string when = "round " + std::to_string(round);
    ntsem::test::child_options options;
    options.user = user;
    child_process g(options);
    ASSERT_EQ(g.ask("open-mutex " + name), "ok h=0 err=0") << when;
    ASSERT_EQ(g.ask("wait h0 0"), "result=0x00000000 err=0") << when;
    child_process w;
    if (c.told) {
      ASSERT_EQ(w.ask("open-mutex " + first), "ok h=0 err=0") << when;
    }
    ASSERT_EQ(w.ask("open-mutex " + name), "ok h=" + index + " err=0") << when;
    ASSERT_TRUE(ntsem::test::asleep_in_wait(w, c.told ? "h0 h1" : "h0")) << when;
    g.send("release-mutex h0");
    // G reads the command and releases within about a millisecond here.
    run.spin_up_to(1500);
    ASSERT_TRUE(g.kill(SIGKILL)) << when;
    EXPECT_TRUE(g.wait_exit().killed_by(SIGKILL)) << when;
    watchdog.step(when + ": W's answer after the kill");
    const std::string answer = w.expect_line();
    watchdog.idle();
    EXPECT_TRUE(answer == handed || answer == abandoned) << when << ": W answered " << answer;
    if (answer == handed) ++stored;
    EXPECT_EQ(w.ask("release-mutex h" + index), "ok") << when;
    EXPECT_TRUE(ntsem::test::free_and_not_abandoned(m)) << when;
    EXPECT_TRUE(w.wait_exit().exited_with(0)) << when;
  }
  std::cout << "[ crash    ] " << rounds << " releasers killed, " << stored
            << " after their release was stored (seed " << run.seed() << ")\n";
  EXPECT_TRUE(ReleaseMutex(m1));
  EXPECT_TRUE(CloseHandle(m1));
  EXPECT_TRUE(CloseHandle(m));
}

TEST(MutexReleaseCrash, OfferedToAnotherUser) { kill_releasers({true, false}); }

TEST(MutexReleaseCrash, HeldForAToldWaiter) { kill_releasers({false, true}); }

}  // namespace
