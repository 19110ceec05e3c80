// Six threads hammer a semaphore of maximum 3: never more than 3 inside, and
// every unit comes back.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"

namespace {

constexpr LONG maximum = 3;
constexpr int threads = 6;
constexpr int rounds = 20000;

// How each thread takes its unit, so every wait path is exercised.
enum class style { infinite, poll_then_block, short_timeout, wait_any };

TEST(UnitsConserved, SixThreadsNeverExceedTheMaximum) {
  HANDLE h = CreateSemaphoreA(nullptr, maximum, maximum, nullptr);
  HANDLE never = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<int> inside{0};
  std::atomic<int> peak{0};
  std::atomic<long> entries{0};
  std::atomic<bool> wrong{false};

  auto worker = [&](style how) {
    for (int i = 0; i < rounds; ++i) {
      DWORD r = WAIT_FAILED;
      switch (how) {
        case style::infinite: r = WaitForSingleObject(h, INFINITE); break;
        case style::poll_then_block:
          r = WaitForSingleObject(h, 0);
          if (r == WAIT_TIMEOUT) r = WaitForSingleObject(h, INFINITE);
          break;
        case style::short_timeout:
          do r = WaitForSingleObject(h, 1);
          while (r == WAIT_TIMEOUT);
          break;
        case style::wait_any: {
          HANDLE both[] = {never, h};
          r = WaitForMultipleObjects(2, both, FALSE, INFINITE);
          if (r == WAIT_OBJECT_0 + 1) r = WAIT_OBJECT_0;
          else wrong = true;
          break;
        }
      }
      if (r != WAIT_OBJECT_0) {
        wrong = true;
        return;
      }
      int now = ++inside;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      ++entries;
      --inside;
      if (!ReleaseSemaphore(h, 1, nullptr)) wrong = true;
    }
  };

  std::vector<std::thread> pool;
  const style styles[] = {style::infinite, style::poll_then_block, style::short_timeout,
                          style::wait_any};
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker, styles[t % 4]);
  for (auto& t : pool) t.join();

  EXPECT_FALSE(wrong.load());
  EXPECT_LE(peak.load(), maximum);
  EXPECT_GE(peak.load(), 1);
  EXPECT_EQ(entries.load(), long{threads} * rounds);
  EXPECT_EQ(ntsem::test::count_of(h), maximum);
  EXPECT_EQ(ntsem::test::count_of(never), 0);
  EXPECT_EQ(ntsem::test::single_waiters(h), 0u);
  EXPECT_EQ(ntsem::test::multi_waiters(h), 0u);
  CloseHandle(never);
  CloseHandle(h);
}

}  // namespace
