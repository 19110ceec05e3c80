// Timeouts never return early in the NT forms and when signals interrupt the
// sleep.  (The Win32 forms: tests/conformance/timeout_test.cpp.)
#include <gtest/gtest.h>

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <ntsem/winternl.h>

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Runs `wait` and asserts it returned `expected` no earlier than `at_least`.
template <class Wait>
void expect_not_early(Wait wait, DWORD expected, milliseconds at_least) {
  const auto start = clock_type::now();
  EXPECT_EQ(wait(), expected);
  EXPECT_GE(clock_type::now() - start, at_least);
}

TEST(Timeout, NtRelativeAndAbsoluteFormsNeverReturnEarly) {
  HANDLE a = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  LARGE_INTEGER relative{};
  relative.QuadPart = -50 * 10'000;
  expect_not_early([&] { return DWORD(NtWaitForSingleObject(a, FALSE, &relative)); },
                   DWORD(STATUS_TIMEOUT), milliseconds(50));
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  LARGE_INTEGER absolute{};
  absolute.QuadPart = 116'444'736'000'000'000 + now.tv_sec * 10'000'000LL + now.tv_nsec / 100 +
                      50 * 10'000;
  // The absolute deadline is on the real-time clock; measure it there too.
  const auto start = std::chrono::system_clock::now();
  EXPECT_EQ(NtWaitForSingleObject(a, FALSE, &absolute), STATUS_TIMEOUT);
  EXPECT_GE(std::chrono::system_clock::now() - start, milliseconds(49));
  CloseHandle(a);
}

extern "C" void count_signal(int) {}

// A signal handler that runs during the wait (the sleep returns EINTR) does not
// shorten it: the wait resumes with the time that remains.
TEST(Timeout, SignalsDoNotShortenAWait) {
  struct sigaction sa {};
  sa.sa_handler = count_signal;  // no SA_RESTART: the futex returns EINTR
  struct sigaction old {};
  ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
  HANDLE a = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE pair[] = {a, a};
  std::atomic<bool> done{false};
  pthread_t target = pthread_self();
  std::thread pester([&] {
    while (!done) {
      pthread_kill(target, SIGUSR1);
      std::this_thread::sleep_for(milliseconds(2));
    }
  });
  expect_not_early([&] { return WaitForSingleObject(a, 150); }, WAIT_TIMEOUT, milliseconds(150));
  expect_not_early([&] { return WaitForMultipleObjects(2, pair, FALSE, 150); }, WAIT_TIMEOUT,
                   milliseconds(150));
  done = true;
  pester.join();
  sigaction(SIGUSR1, &old, nullptr);
  CloseHandle(a);
}

}  // namespace
