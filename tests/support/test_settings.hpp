// Settings of the long-running tests taken from the environment, so that a
// CI run stays short and a long run is one variable away (the stress and
// crash tests of wait-all: NTSEM_STRESS_*, NTSEM_CRASH_*).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>

namespace ntsem::test {

// $name as a number (decimal, or hexadecimal with 0x), else `otherwise`.
inline std::uint64_t setting(const char* name, std::uint64_t otherwise) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return otherwise;
  return std::strtoull(text, nullptr, 0);
}

// $name if set (to replay a run), else a fresh random seed.  The caller
// prints it with every failure.
inline std::uint64_t seed_setting(const char* name) {
  return setting(name, std::random_device{}());
}

}  // namespace ntsem::test
