#include "nt/timeout.hpp"

#include <cstdint>
#include <limits>

namespace ntsem::nt {
namespace {
constexpr std::int64_t ticks_per_second = 10'000'000;  // 100 ns units
// 1601-01-01 to 1970-01-01 in 100 ns units.
constexpr std::int64_t epoch_difference = 116'444'736'000'000'000;
constexpr std::int64_t max_ticks = std::numeric_limits<std::int64_t>::max() / 100;
}  // namespace

sys::deadline to_deadline(const LARGE_INTEGER* timeout) {
  if (!timeout) return sys::deadline::infinite();
  const std::int64_t t = timeout->QuadPart;
  if (t == 0) return sys::deadline::poll();
  if (t < 0) {
    if (t < -max_ticks) return sys::deadline::infinite();
    return sys::deadline::after_ns(-t * 100);
  }
  const std::int64_t since_unix = t - epoch_difference;
  if (since_unix <= 0) return sys::deadline::poll();  // long past
  if (since_unix > max_ticks) return sys::deadline::infinite();
  static_assert(ticks_per_second * 100 == 1'000'000'000);
  return sys::deadline::at_ns(sys::clock_kind::realtime, since_unix * 100);
}

}  // namespace ntsem::nt
