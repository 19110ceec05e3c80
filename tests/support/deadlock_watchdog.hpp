// A deadlock guard for calls made in the test process itself that a broken
// engine may block for ever: a query, a release or a wait that sleeps on a
// lock a killed process left held.  No timeout of the call can end such a
// sleep (a timed wait may block there too), so a watchdog thread ends the
// test process instead, after saying which step did not complete.  The exit
// status fails the test under CTest instead of letting it hang; the helper
// processes die with the test (child_options::die_with_parent).
//
//   deadlock_watchdog watchdog("seed 42");
//   watchdog.step("round 3: the query of X, Y and Z after the kill");
//   ... calls that must complete ...
//   watchdog.idle();
//
// The guard is a deadlock guard (thread_probe.hpp), far longer than any
// correct step needs: it never decides whether a correct run passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "support/thread_probe.hpp"

namespace ntsem::test {

class deadlock_watchdog {
 public:
  // `context` is printed with the step, e.g. the seed that replays the run.
  explicit deadlock_watchdog(std::string context,
                             std::chrono::milliseconds guard = deadlock_guard);
  ~deadlock_watchdog();
  deadlock_watchdog(const deadlock_watchdog&) = delete;
  deadlock_watchdog& operator=(const deadlock_watchdog&) = delete;

  // Starts the guard for the step `what`, which ends the previous one.
  void step(std::string what);
  // No step is in progress: nothing is guarded until the next step().
  void idle();

 private:
  void watch();

  const std::string context_;
  const std::chrono::milliseconds guard_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string step_;  // empty: idle
  std::chrono::steady_clock::time_point deadline_;
  bool quit_ = false;
  std::thread thread_;  // last: starts once the rest is made
};

}  // namespace ntsem::test
