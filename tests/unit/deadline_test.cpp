// The internal deadline and the NT timeout conversion.
#include <gtest/gtest.h>

#include "nt/timeout.hpp"
#include "sys/deadline.hpp"
#include "win32/timeout.hpp"

namespace {

using ntsem::sys::clock_kind;
using ntsem::sys::deadline;
using ntsem::sys::now_ns;

TEST(Deadline, InfiniteAndPoll) {
  EXPECT_TRUE(deadline::infinite().is_infinite());
  EXPECT_FALSE(deadline::infinite().expired());
  EXPECT_TRUE(deadline::poll().is_poll());
  EXPECT_TRUE(deadline::poll().expired());
  EXPECT_TRUE(deadline::after_ns(0).is_poll());
  EXPECT_TRUE(deadline::after_ns(-5).is_poll());
}

TEST(Deadline, RelativeStaysRelativeUntilResolvedOnTheMonotonicClock) {
  deadline relative = deadline::after_ms(1000);
  EXPECT_TRUE(relative.is_relative());
  EXPECT_EQ(relative.ns(), 1'000'000'000);
  const std::int64_t before = now_ns(clock_kind::monotonic);
  deadline d = relative.resolved();
  const std::int64_t after = now_ns(clock_kind::monotonic);
  EXPECT_FALSE(d.is_relative());
  EXPECT_EQ(d.clock(), clock_kind::monotonic);
  EXPECT_GE(d.ns(), before + 1'000'000'000);
  EXPECT_LE(d.ns(), after + 1'000'000'000);
  EXPECT_FALSE(d.expired());
  EXPECT_TRUE(deadline::infinite().resolved().is_infinite());
  EXPECT_TRUE(deadline::poll().resolved().is_poll());
  EXPECT_TRUE(deadline::after_ns(INT64_MAX).resolved().is_infinite());
}

TEST(NtTimeout, NullZeroNegativePositive) {
  EXPECT_TRUE(ntsem::nt::to_deadline(nullptr).is_infinite());
  LARGE_INTEGER t{};
  EXPECT_TRUE(ntsem::nt::to_deadline(&t).is_poll());

  t.QuadPart = -10'000'000;  // one second, relative
  deadline relative = ntsem::nt::to_deadline(&t);
  EXPECT_TRUE(relative.is_relative());
  EXPECT_EQ(relative.ns(), 1'000'000'000);

  // 2001-09-09 01:46:40 UTC = 1e9 s after the Unix epoch: absolute, real time.
  t.QuadPart = 116'444'736'000'000'000 + 1'000'000'000LL * 10'000'000;
  deadline absolute = ntsem::nt::to_deadline(&t);
  EXPECT_EQ(absolute.clock(), clock_kind::realtime);
  EXPECT_EQ(absolute.ns(), 1'000'000'000LL * 1'000'000'000);
  EXPECT_TRUE(absolute.expired());

  t.QuadPart = 5;  // 1601: before the Unix epoch, long past
  EXPECT_TRUE(ntsem::nt::to_deadline(&t).is_poll());
}

TEST(NtTimeout, ValuesBeyondRepresentationWaitForever) {
  LARGE_INTEGER t{};
  t.QuadPart = INT64_MIN;
  EXPECT_TRUE(ntsem::nt::to_deadline(&t).is_infinite());
  t.QuadPart = INT64_MAX;
  EXPECT_TRUE(ntsem::nt::to_deadline(&t).is_infinite());
}

TEST(Win32Timeout, MillisecondsAndInfinite) {
  EXPECT_TRUE(ntsem::win32::to_deadline(INFINITE).is_infinite());
  EXPECT_TRUE(ntsem::win32::to_deadline(0).is_poll());
  deadline longest = ntsem::win32::to_deadline(0xFFFFFFFE);
  EXPECT_TRUE(longest.is_relative());
  EXPECT_EQ(longest.ns(), std::int64_t{0xFFFFFFFE} * 1'000'000);
}

}  // namespace
