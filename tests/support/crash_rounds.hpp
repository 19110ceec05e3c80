// What every run of a crash test (a helper killed at a random moment, round
// after round) starts with: the seed that replays its delays
// (NTSEM_CRASH_SEED, named in every failure and in the watchdog's report),
// the number of rounds (NTSEM_CRASH_ITERATIONS, for a long run), the random
// source, and the deadlock watchdog (deadlock_watchdog.hpp).  Made at the
// start of the test's body, in its thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "support/deadlock_watchdog.hpp"
#include "support/test_settings.hpp"

namespace ntsem::test {

class crash_rounds {
 public:
  explicit crash_rounds(std::uint64_t default_rounds)
      : seed_(seed_setting("NTSEM_CRASH_SEED")),
        rounds_(setting("NTSEM_CRASH_ITERATIONS", default_rounds)),
        trace_(__FILE__, __LINE__, replay()),
        rng_(seed_),
        watchdog_(replay()) {}

  std::uint64_t seed() const { return seed_; }
  std::uint64_t rounds() const { return rounds_; }
  std::mt19937_64& rng() { return rng_; }
  deadlock_watchdog& watchdog() { return watchdog_; }

  // Waits a random time of up to `most` microseconds, spun, not slept (a
  // sleep's slack is about 50 us), for an even spread of the kills.
  void spin_up_to(int most) {
    const auto delay = std::chrono::microseconds(std::uniform_int_distribution<int>(0, most)(rng_));
    for (const auto until = std::chrono::steady_clock::now() + delay;
         std::chrono::steady_clock::now() < until;) {
    }
  }

 private:
  std::string replay() const { return "NTSEM_CRASH_SEED=" + std::to_string(seed_); }

  std::uint64_t seed_;
  std::uint64_t rounds_;
  ::testing::ScopedTrace trace_;
  std::mt19937_64 rng_;
  deadlock_watchdog watchdog_;
};

}  // namespace ntsem::test
