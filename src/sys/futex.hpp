// Futexes: the only way a thread of ntsem sleeps.
//
// All words are shared (no FUTEX_PRIVATE_FLAG): they live in mappings that
// other processes may map too, and a private futex would never be woken from
// another process.  A wait blocks only while the word still holds `expected`
// (checked atomically by the kernel), so a change made before the sleep is
// never missed.  Waits are bounded by a resolved (absolute) deadline; an interrupted
// wait (EINTR) is reported, and the caller re-checks its condition and waits
// again with the same deadline.
#pragma once

#include <cstdint>
#include <span>

#include "sys/deadline.hpp"

namespace ntsem::sys {

enum class futex_result : std::uint8_t {
  woken,        // a wake arrived (or a spurious return: re-check)
  not_expected, // the word did not hold the expected value
  timed_out,
  interrupted,  // a signal handler ran
};

futex_result futex_wait(const std::uint32_t* word, std::uint32_t expected, const deadline& until);

// Wakes up to `count` threads sleeping on `word`; returns how many were woken.
int futex_wake(const std::uint32_t* word, int count);
inline constexpr int wake_all = 0x7fffffff;

struct futex_vector_entry {
  const std::uint32_t* word;
  std::uint32_t expected;
};

// Sleeps until any of the words is woken (futex_waitv, Linux 5.16+).  On
// `woken`, *index (if given) is the position of the word that was woken.
futex_result futex_wait_any(std::span<const futex_vector_entry> entries, const deadline& until,
                            int* index);

}  // namespace ntsem::sys
