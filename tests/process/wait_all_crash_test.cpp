// A wait-all killed with SIGKILL at a random moment, hundreds of times: the
// killed process has taken every object of its wait or none of them, and
// leaves nothing held that stops anyone else (a mutex it owned is
// abandoned) (docs/wait-engine.md, "What it
// must do", 3 and 6).  The helpers are ntsem_child processes on the
// semaphores X, Y and Z, running its wait-all-loop command (wait-alls over
// the three, one after the other, never releasing); a partial take shows
// as X, Y and Z no longer equal.
//
// After each kill the test queries the three and waits on them itself.  A
// broken engine may block those calls for ever in the test process (a lock
// the killed process left held), where no timeout can end them: a
// deadlock_watchdog ends the process then, which fails the test.
//
// Environment:
//   NTSEM_CRASH_ITERATIONS  kills per case (default 300), for a long run
//   NTSEM_CRASH_SEED        replays a run's delays and handle orders (the
//                           interleavings differ); every failure prints it
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/child_process.hpp"
#include "support/deadlock_watchdog.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/test_settings.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::child_process;
using ntsem::test::count_of;
using ntsem::test::deadlock_watchdog;
using ntsem::test::seed_setting;
using ntsem::test::setting;
using ntsem::test::unique_name;

constexpr LONG most = 0x7FFFFFFF;  // the semaphores' maximum

// X, Y and Z, created here (so they outlive every helper), and what the
// cases share: the seed, the watchdog and the helpers' command lines.
class WaitAllCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::size_t i = 0; i < xyz_.size(); ++i) {
      names_[i] = unique_name(std::string("crash-") + "XYZ"[i]);
      xyz_[i] = is_mutex(i) ? CreateMutexA(nullptr, FALSE, names_[i].c_str())
                            : CreateSemaphoreA(nullptr, initial(), most, names_[i].c_str());
      ASSERT_NE(xyz_[i], nullptr) << GetLastError();
    }
  }
  void TearDown() override {
    for (HANDLE h : xyz_)
      if (h) CloseHandle(h);
  }
  virtual LONG initial() const = 0;
  // Whether the i-th of X, Y and Z is a mutex (unowned at first) rather
  // than a semaphore.
  virtual bool is_mutex(std::size_t) const { return false; }

  // A helper that opens X, Y and Z (as h0, h1, h2) and loops on wait-alls
  // over them in a random handle order; returned once it says "looping".
  child_process start_helper() {
    std::array<int, 3> order{0, 1, 2};
    std::shuffle(order.begin(), order.end(), rng_);
    std::vector<std::string> commands;
    for (std::size_t i = 0; i < names_.size(); ++i)
      commands.push_back((is_mutex(i) ? "open-mutex " : "open-sem ") + names_[i]);
    commands.push_back("wait-all-loop INFINITE h" + std::to_string(order[0]) + " h" +
                       std::to_string(order[1]) + " h" + std::to_string(order[2]));
    child_process helper(std::move(commands));
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ(helper.expect_line(), "ok h=" + std::to_string(i) + " err=0");
    EXPECT_EQ(helper.expect_line(), "looping");
    return helper;
  }

  // A random delay before a kill: none one time in `none_one_in`, else up to
  // `longest`.  Only where the kill lands depends on it, never the verdict.
  // A sleep cannot be shorter than the timer's slack (about 50 us), so
  // delays in the range of a wake-up are spun instead.
  enum class pace { sleep, spin };
  void pause(std::chrono::microseconds longest, int none_one_in, pace how) {
    if (std::uniform_int_distribution<int>(0, none_one_in - 1)(rng_) == 0) return;
    const std::chrono::microseconds delay(
        std::uniform_int_distribution<long>(0, static_cast<long>(longest.count()))(rng_));
    if (how == pace::sleep) return std::this_thread::sleep_for(delay);
    const auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
    }
  }

  // SIGKILL, then the helper is gone: its wait-all loop never stopped on its
  // own (a line from it would say why it did).
  void kill_helper(child_process& helper) {
    ASSERT_TRUE(helper.kill(SIGKILL));
    ASSERT_TRUE(helper.wait_exit().killed_by(SIGKILL));
    for (const std::string& line : helper.read_all()) ADD_FAILURE() << "the helper said: " << line;
    ++kills_;
  }

  // Two helpers at once, in different handle orders, each killed at a
  // random moment, the second a little after the first.
  void start_two_and_kill_both(const std::string& when) {
    child_process first = start_helper();
    child_process second = start_helper();
    ASSERT_FALSE(HasFailure()) << when << ": the helpers did not start their loops";
    pause(std::chrono::microseconds(2000), 8, pace::sleep);
    ASSERT_NO_FATAL_FAILURE(kill_helper(first));
    pause(std::chrono::microseconds(500), 4, pace::sleep);
    ASSERT_NO_FATAL_FAILURE(kill_helper(second));
  }

  // X, Y and Z through the test's own queries, guarded.
  std::array<LONG, 3> counts(const std::string& when) {
    watchdog_.step(when + ": the query of X, Y and Z");
    std::array<LONG, 3> c{count_of(xyz_[0]), count_of(xyz_[1]), count_of(xyz_[2])};
    watchdog_.idle();
    return c;
  }
  // Once the test has taken and released X, Y and Z after a kill: no queue
  // entry is left in use in their areas (their locks' repairs freed what
  // the killed helpers held out of the queues, INV-QALONE; the releases
  // dropped what they left linked).
  ::testing::AssertionResult no_entry_left(const std::string& when) {
    for (std::size_t i = 0; i < xyz_.size(); ++i)
      if (const std::uint32_t n = ntsem::test::entries_in_use(xyz_[i]); n != 0)
        return ::testing::AssertionFailure()
               << when << ": " << "XYZ"[i] << " has " << n << " entries in use";
    return ::testing::AssertionSuccess();
  }
  // After a kill: X == Y == Z (each a count, not a failed query), or a
  // wait-all was half taken.
  static ::testing::AssertionResult all_or_nothing(const std::array<LONG, 3>& c,
                                                   const std::string& when) {
    if (c[0] >= 0 && c[0] == c[1] && c[1] == c[2]) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << when << ": X, Y, Z = " << c[0] << ", " << c[1] << ", " << c[2];
  }

  void report(const char* what) {
    std::cout << "[ crash    ] " << what << ": " << kills_ << " wait-all helpers killed (seed "
              << seed_ << ")\n";
    RecordProperty("kills", static_cast<int>(kills_));
  }

  const std::uint64_t seed_ = seed_setting("NTSEM_CRASH_SEED");
  const std::uint64_t wanted_kills_ = setting("NTSEM_CRASH_ITERATIONS", 300);
  std::mt19937_64 rng_{seed_};
  deadlock_watchdog watchdog_{"NTSEM_CRASH_SEED=" + std::to_string(seed_)};
  std::array<std::string, 3> names_;
  std::array<HANDLE, 3> xyz_{};
  std::uint64_t kills_ = 0;
  const ::testing::ScopedTrace trace_{__FILE__, __LINE__,
                                      "NTSEM_CRASH_SEED=" + std::to_string(seed_) +
                                          " replays this run's choices"};
};

// ---- Taking: the wait-alls never block ----------------------------------------------------

// X, Y and Z start so high that no wait-all ever sleeps: the helpers spend
// their time inside the take itself, where the kills land.  Two helpers
// at once, in different handle orders, contend for the same three; both
// are killed, at random moments, before each check.
class WaitAllCrashTaking : public WaitAllCrash {
 protected:
  LONG initial() const override { return most; }
};

TEST_F(WaitAllCrashTaking, AKilledWaitAllTakesEveryObjectOrNone) {
  for (std::uint64_t round = 0; kills_ < wanted_kills_; ++round) {
    const std::string when = "round " + std::to_string(round);
    ASSERT_NO_FATAL_FAILURE(start_two_and_kill_both(when));
    ASSERT_TRUE(all_or_nothing(counts(when), when));

    // Nothing is left held: a wait-all of the test's own completes, and the
    // units go back.
    watchdog_.step(when + ": the test's wait-all over X, Y and Z");
    ASSERT_EQ(WaitForMultipleObjects(3, xyz_.data(), TRUE, INFINITE), WAIT_OBJECT_0) << when;
    watchdog_.step(when + ": the test's releases of X, Y and Z");
    for (HANDLE h : xyz_) ASSERT_TRUE(ReleaseSemaphore(h, 1, nullptr)) << when;
    watchdog_.idle();
    ASSERT_TRUE(no_entry_left(when));
  }
  // The helpers did take: the kills landed in running loops.
  EXPECT_LT(counts("at the end")[0], most);
  report("taking");
}

// ---- Owning a mutex: the wait-alls take Y, a mutex, and die owning it -----------------------

// X and Z start so high that they never block; Y is a mutex.  The first
// helper's wait-alls own Y (recursively, never releasing), so the second
// sleeps on Y until the first is killed; the kernel's mark then wakes it,
// and it takes the abandoned Y with X and Z and loops in turn, until it is
// killed too.  The kills land in the takes, in the sleep on the owner
// word, in the wake and in the hand-on of the abandoned mutex.  After
// both: X == Z (all or nothing), and Y is abandoned, or free if no helper
// got it, never owned by a dead helper: the test takes it, then all three.
class WaitAllCrashOwning : public WaitAllCrash {
 protected:
  LONG initial() const override { return most; }
  bool is_mutex(std::size_t i) const override { return i == 1; }
};

TEST_F(WaitAllCrashOwning, AKilledWaitAllAbandonsTheMutexAndTakesTheRestWholeOrNot) {
  HANDLE x = xyz_[0], y = xyz_[1], z = xyz_[2];
  int abandoned = 0;
  for (std::uint64_t round = 0; kills_ < wanted_kills_; ++round) {
    const std::string when = "round " + std::to_string(round);
    ASSERT_NO_FATAL_FAILURE(start_two_and_kill_both(when));

    watchdog_.step(when + ": the query of X and Z");
    const LONG cx = count_of(x), cz = count_of(z);
    watchdog_.step(when + ": the test's wait on the mutex Y");
    const DWORD took = WaitForSingleObject(y, INFINITE);
    watchdog_.idle();
    ASSERT_TRUE(cx >= 0 && cx == cz) << when << ": X, Z = " << cx << ", " << cz;
    ASSERT_TRUE(took == WAIT_OBJECT_0 || took == WAIT_ABANDONED) << when << ": " << took;
    if (took == WAIT_ABANDONED) ++abandoned;

    // Nothing is left held: the test's wait-all completes (Y is its own
    // now), and everything goes back.
    watchdog_.step(when + ": the test's wait-all over X, Y and Z");
    ASSERT_EQ(WaitForMultipleObjects(3, xyz_.data(), TRUE, INFINITE), WAIT_OBJECT_0) << when;
    watchdog_.step(when + ": the test's releases of X, Y and Z");
    ASSERT_TRUE(ReleaseSemaphore(x, 1, nullptr)) << when;
    ASSERT_TRUE(ReleaseSemaphore(z, 1, nullptr)) << when;
    ASSERT_TRUE(ReleaseMutex(y)) << when;
    ASSERT_TRUE(ReleaseMutex(y)) << when;
    watchdog_.idle();
    ASSERT_TRUE(no_entry_left(when));
  }
  // The helpers did own the mutex when they were killed, most rounds.
  EXPECT_GT(abandoned, 0);
  std::cout << "[ crash    ] the mutex was left abandoned after " << abandoned << " of "
            << kills_ / 2 << " rounds\n";
  report("owning a mutex");
}

// ---- Woken: the wait-alls sleep until the test releases ------------------------------------

// X, Y and Z start at 0.  One helper at a time sleeps in its wait-all; the
// test releases X, Y and Z one unit each, for 0 to 3 rounds, and kills the
// helper at a random moment after the last release returned: asleep,
// being woken, or committing its take.  The next helper must find what the
// killed one left and take it.
class WaitAllCrashWoken : public WaitAllCrash {
 protected:
  LONG initial() const override { return 0; }

  // The helper has taken everything there is and sleeps again in its
  // wait-all (so the next release wakes it).
  void until_drained(child_process& helper, const std::string& when) {
    watchdog_.step(when + ": X, Y and Z taken down to 0 by the helper");
    const bool drained = ntsem::test::eventually([&] {
      return count_of(xyz_[0]) == 0 && count_of(xyz_[1]) == 0 && count_of(xyz_[2]) == 0;
    });
    watchdog_.idle();
    ASSERT_TRUE(drained) << when << ": the helper does not take X, Y and Z";
    ASSERT_TRUE(helper.wait_until_sleeping()) << when << ": the helper does not sleep";
  }
};

TEST_F(WaitAllCrashWoken, AWaitAllKilledWhileWokenTakesEveryObjectOrNone) {
  std::uniform_int_distribution<int> rounds_of(0, 3);
  std::bernoulli_distribution settle(0.5);
  int before_taking = 0, after_taking = 0;
  for (std::uint64_t round = 0; kills_ < wanted_kills_; ++round) {
    const std::string when = "round " + std::to_string(round);
    child_process helper = start_helper();
    ASSERT_FALSE(HasFailure()) << when << ": the helper did not start its loop";
    ASSERT_NO_FATAL_FAILURE(until_drained(helper, when));
    const int rounds = rounds_of(rng_);
    for (int r = 0; r < rounds; ++r) {
      std::array<HANDLE, 3> order = xyz_;
      std::shuffle(order.begin(), order.end(), rng_);
      watchdog_.step(when + ": the test's releases of X, Y and Z");
      for (HANDLE h : order) ASSERT_TRUE(ReleaseSemaphore(h, 1, nullptr)) << when;
      watchdog_.idle();
      if (r + 1 < rounds && settle(rng_)) {
        ASSERT_NO_FATAL_FAILURE(until_drained(helper, when));
      }
    }
    pause(std::chrono::microseconds(200), 4, pace::spin);
    ASSERT_NO_FATAL_FAILURE(kill_helper(helper));
    const std::array<LONG, 3> c = counts(when);
    ASSERT_TRUE(all_or_nothing(c, when));
    // No more than this helper's rounds: the earlier ones were taken.
    EXPECT_LE(c[0], rounds) << when;
    if (rounds > 0) ++(c[0] == 0 ? after_taking : before_taking);
  }
  // Where the kills after a release landed, to show that they straddle the
  // take (not a verdict: both are correct).
  std::cout << "[ crash    ] kills after a release: " << before_taking
            << " with units left, " << after_taking << " once all were taken\n";
  report("woken");
}

}  // namespace
