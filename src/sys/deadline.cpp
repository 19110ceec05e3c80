#include "sys/deadline.hpp"

#include <time.h>

#include <cstdlib>
#include <limits>

namespace ntsem::sys {

std::int64_t now_ns(clock_kind clock) {
  timespec ts{};
  // clock_gettime on these clocks cannot fail with valid arguments.
  clock_gettime(clock == clock_kind::monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

deadline deadline::resolved() const {
  if (kind_ != kind::relative) return *this;
  const std::int64_t now = now_ns(clock_kind::monotonic);
  if (ns_ > std::numeric_limits<std::int64_t>::max() - now) return infinite();
  return at_ns(clock_kind::monotonic, now + ns_);
}

bool deadline::expired() const {
  switch (kind_) {
    case kind::infinite: return false;
    case kind::poll: return true;
    case kind::relative: std::abort();  // resolve first
    case kind::at: return now_ns(clock_) >= ns_;
  }
  std::abort();
}

}  // namespace ntsem::sys
