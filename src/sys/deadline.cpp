#include "sys/deadline.hpp"

#include <time.h>

#include <cstdlib>

namespace ntsem::sys {

std::int64_t now_ns(clock_kind clock) {
  timespec ts{};
  // clock_gettime on these clocks cannot fail with valid arguments.
  clock_gettime(clock == clock_kind::monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

deadline deadline::after_ns(std::int64_t ns) {
  if (ns <= 0) return poll();
  return at_ns(clock_kind::monotonic, now_ns(clock_kind::monotonic) + ns);
}

bool deadline::expired() const {
  switch (kind_) {
    case kind::infinite: return false;
    case kind::poll: return true;
    case kind::at: return now_ns(clock_) >= ns_;
  }
  std::abort();
}

}  // namespace ntsem::sys
