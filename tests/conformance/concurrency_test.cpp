// Threads racing on shared semaphores, observed through the Win32 API only.
// Rounds are kept small enough for a Windows build under Wine, where every
// call is a round trip to the Wine server.
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

// ---- Units are conserved ----

// Six threads share a semaphore of maximum 3: never more than 3 inside, and
// every unit comes back.  Each thread takes its unit in its own way, so every
// wait path is exercised.
enum class style { infinite, poll_then_block, short_timeout, wait_any };

TEST(UnitsConserved, SixThreadsNeverExceedTheMaximum) {
  constexpr LONG maximum = 3;
  constexpr int threads = 6;
  constexpr int rounds = 1500;
  HANDLE h = CreateSemaphoreA(nullptr, maximum, maximum, nullptr);
  HANDLE never = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<int> inside{0}, peak{0};
  std::atomic<long> entries{0};
  std::atomic<bool> wrong{false};

  auto take = [&](style how) -> bool {
    switch (how) {
      case style::infinite: return WaitForSingleObject(h, INFINITE) == WAIT_OBJECT_0;
      case style::poll_then_block: {
        DWORD r = WaitForSingleObject(h, 0);
        if (r == WAIT_TIMEOUT) r = WaitForSingleObject(h, INFINITE);
        return r == WAIT_OBJECT_0;
      }
      case style::short_timeout: {
        DWORD r;
        do r = WaitForSingleObject(h, 1);
        while (r == WAIT_TIMEOUT);
        return r == WAIT_OBJECT_0;
      }
      case style::wait_any: {
        const HANDLE both[] = {never, h};
        return WaitForMultipleObjects(2, both, FALSE, INFINITE) == WAIT_OBJECT_0 + 1;
      }
    }
    return false;
  };
  auto worker = [&](style how) {
    for (int i = 0; i < rounds; ++i) {
      if (!take(how)) {
        wrong = true;
        return;
      }
      const int now = ++inside;
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

  CHECK(!wrong.load());
  CHECK(peak.load() <= maximum);
  CHECK(peak.load() >= 1);
  CHECK_EQ(entries.load(), long{threads} * rounds);
  CHECK_EQ(count_of(h), maximum);
  CHECK(maximum_is(h, maximum));
  CHECK_EQ(count_of(never), 0);
  CloseHandle(never);
  CloseHandle(h);
}

// ---- Wait-all excludes like holding each object ----

// A and B have maximum 1, so each is a lock; every holder counts itself in the
// object's counter, which must never pass 1.
//
// Regression (ntsem, the first wait-all engine: a lock waiter lost across a
// re-lock, when waiters slept on the state word's low half, which a
// re-lock left unchanged).  It hung in about 1 run in 13 under
// AddressSanitizer; a wait-all's objects are now held with their queue
// locks (src/wait/held_objects.hpp).
TEST(WaitAllContention, ExcludesSingleWaitersLikeHoldingEachObject) {
  constexpr int rounds = 1000;
  HANDLE a = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  std::atomic<int> holding_a{0}, holding_b{0};
  std::atomic<bool> wrong{false};
  auto hold = [&](std::atomic<int>& counter) {
    if (++counter != 1) wrong = true;
  };
  auto all_worker = [&](HANDLE first, HANDLE second) {
    const HANDLE set[] = {first, second};
    for (int i = 0; i < rounds; ++i) {
      if (WaitForMultipleObjects(2, set, TRUE, INFINITE) != WAIT_OBJECT_0) wrong = true;
      hold(holding_a);
      hold(holding_b);
      --holding_a;
      --holding_b;
      ReleaseSemaphore(a, 1, nullptr);
      ReleaseSemaphore(b, 1, nullptr);
    }
  };
  auto single_worker = [&](HANDLE h, std::atomic<int>& counter) {
    for (int i = 0; i < rounds; ++i) {
      if (WaitForSingleObject(h, INFINITE) != WAIT_OBJECT_0) wrong = true;
      hold(counter);
      --counter;
      ReleaseSemaphore(h, 1, nullptr);
    }
  };
  std::vector<std::thread> pool;
  pool.emplace_back(all_worker, a, b);
  pool.emplace_back(all_worker, b, a);
  pool.emplace_back(single_worker, a, std::ref(holding_a));
  pool.emplace_back(single_worker, b, std::ref(holding_b));
  for (auto& t : pool) t.join();

  CHECK(!wrong.load());
  CHECK_EQ(count_of(a), 1);
  CHECK_EQ(count_of(b), 1);
  CloseHandle(a);
  CloseHandle(b);
}

TEST(WaitAllContention, OverlappingSetsInAnyOrderNeverDeadlock) {
  constexpr int rounds = 1000;
  HANDLE s[3];
  for (HANDLE& h : s) h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  const std::vector<std::vector<HANDLE>> sets = {
      {s[0], s[1], s[2]}, {s[2], s[1]}, {s[1], s[0]}, {s[0], s[2]}};
  std::atomic<bool> wrong{false};
  std::vector<std::thread> pool;
  for (const auto& set : sets)
    pool.emplace_back([&wrong, set] {
      for (int i = 0; i < rounds; ++i) {
        // The timeout is a deadlock guard only, far above any real wait.
        if (WaitForMultipleObjects(static_cast<DWORD>(set.size()), set.data(), TRUE, 60'000) !=
            WAIT_OBJECT_0) {
          wrong = true;
          return;
        }
        for (HANDLE h : set) ReleaseSemaphore(h, 1, nullptr);
      }
    });
  for (auto& t : pool) t.join();
  CHECK(!wrong.load());
  for (HANDLE h : s) {
    CHECK_EQ(count_of(h), 1);
    CloseHandle(h);
  }
}

// Wait-any, wait-all and single waiters blocked together on shared objects are
// all satisfied by one-unit releases: no wake-up is lost between them.  More
// units are released than the waiters can need, however wait-any chooses.
TEST(WaitAllContention, MixedWaitersAreAllSatisfied) {
  constexpr LONG unbounded = 0x7FFFFFFF;
  constexpr int per_thread = 500;
  // Needs at most: a 2 x per_thread (wait-all, wait-any), b 3 x per_thread.
  constexpr int supply = 3 * per_thread;
  HANDLE a = CreateSemaphoreA(nullptr, 0, unbounded, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 0, unbounded, nullptr);
  const HANDLE pair[] = {a, b};
  std::atomic<int> taken_a{0}, taken_b{0};
  std::atomic<bool> wrong{false};
  std::vector<std::thread> pool;
  pool.emplace_back([&] {
    for (int i = 0; i < per_thread; ++i) {
      if (WaitForMultipleObjects(2, pair, TRUE, 60'000) != WAIT_OBJECT_0) wrong = true;
      ++taken_a;
      ++taken_b;
    }
  });
  pool.emplace_back([&] {
    for (int i = 0; i < per_thread; ++i) {
      const DWORD r = WaitForMultipleObjects(2, pair, FALSE, 60'000);
      if (r == WAIT_OBJECT_0) ++taken_a;
      else if (r == WAIT_OBJECT_0 + 1) ++taken_b;
      else wrong = true;
    }
  });
  pool.emplace_back([&] {
    for (int i = 0; i < per_thread; ++i) {
      if (WaitForSingleObject(b, 60'000) != WAIT_OBJECT_0) wrong = true;
      ++taken_b;
    }
  });
  for (int i = 0; i < supply; ++i) {
    ReleaseSemaphore(a, 1, nullptr);
    ReleaseSemaphore(b, 1, nullptr);
  }
  for (auto& t : pool) t.join();
  CHECK(!wrong.load());
  CHECK_EQ(taken_a + count_of(a), supply);
  CHECK_EQ(taken_b + count_of(b), supply);
  CloseHandle(a);
  CloseHandle(b);
}

// ---- A release of n wakes exactly n ----

// n of `blocked` waiters return, the others stay blocked, no unit is left
// over.  Correct whatever the timing: a waiter that is late to block finds the
// same count when it arrives, and a release wakes no one who is not needed.
void release_wakes_exactly(int blocked, LONG n) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 100, nullptr);
  std::atomic<int> calling{0}, returned{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < blocked; ++i)
    waiters.emplace_back([&] {
      ++calling;
      if (WaitForSingleObject(h, INFINITE) == WAIT_OBJECT_0) ++returned;
    });
  CHECK(eventually([&] { return calling.load() == blocked; }));
  let_others_run(std::chrono::milliseconds(200));  // let them block
  CHECK_EQ(returned.load(), 0);

  CHECK(ReleaseSemaphore(h, n, nullptr));
  CHECK(eventually([&] { return returned.load() >= n; }));
  let_others_run();
  CHECK_EQ(returned.load(), n);
  CHECK_EQ(count_of(h), 0);

  if (blocked > n) CHECK(ReleaseSemaphore(h, blocked - n, nullptr));
  for (auto& t : waiters) t.join();
  CHECK_EQ(returned.load(), blocked);
  CHECK_EQ(count_of(h), 0);
  CloseHandle(h);
}

TEST(WakeCount, ReleaseOfOneOfEight) { release_wakes_exactly(8, 1); }
TEST(WakeCount, ReleaseOfThreeOfEight) { release_wakes_exactly(8, 3); }
TEST(WakeCount, ReleaseOfAllEight) { release_wakes_exactly(8, 8); }

// Releases one unit at a time to several waiters, many times: a lost wake-up
// would leave a waiter blocked with a unit available (caught by the guard).
TEST(WakeCount, NoWakeUpIsLostUnderRepeatedSingleReleases) {
  constexpr int waiter_count = 4, per_waiter = 1000;
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1000, nullptr);
  std::atomic<int> failed_waits{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < waiter_count; ++i)
    waiters.emplace_back([&] {
      for (int k = 0; k < per_waiter; ++k)
        if (WaitForSingleObject(h, 60'000) != WAIT_OBJECT_0) ++failed_waits;
    });
  for (int k = 0; k < waiter_count * per_waiter; ++k) {
    while (!ReleaseSemaphore(h, 1, nullptr)) std::this_thread::yield();  // at most 1000 ahead
  }
  for (auto& t : waiters) t.join();
  CHECK_EQ(failed_waits.load(), 0);
  CHECK_EQ(count_of(h), 0);
  CloseHandle(h);
}

// ---- Stale handles under a race (ntsem only: Windows reuses handle values) ----

// Operations through a handle that another thread is closing either act on
// that handle's object or fail with ERROR_INVALID_HANDLE; they never reach an
// object created afterwards.
TEST(StaleHandles, RacingClosesNeverTouchNewerObjects) {
  constexpr int rounds = 5000;
  std::atomic<HANDLE> published{nullptr};
  std::atomic<bool> done{false}, wrong{false};
  std::vector<HANDLE> victims;  // created after each close; nobody releases them

  std::thread attacker([&] {
    while (!done) {
      HANDLE h = published.load();
      if (!h) continue;
      if (!ReleaseSemaphore(h, 1, nullptr) && GetLastError() != ERROR_INVALID_HANDLE &&
          GetLastError() != ERROR_TOO_MANY_POSTS)
        wrong = true;
      if (WaitForSingleObject(h, 0) == WAIT_FAILED && GetLastError() != ERROR_INVALID_HANDLE)
        wrong = true;
    }
  });
  for (int i = 0; i < rounds; ++i) {
    HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
    published = h;
    std::this_thread::yield();
    CloseHandle(h);
    victims.push_back(CreateSemaphoreA(nullptr, 0, 1, nullptr));
    if (victims.size() == 64) {  // keep slots cycling: free a batch of victims
      for (HANDLE v : victims) {
        if (count_of(v) != 0) wrong = true;
        CloseHandle(v);
      }
      victims.clear();
    }
  }
  done = true;
  attacker.join();
  for (HANDLE v : victims) {
    CHECK_EQ(count_of(v), 0);
    CloseHandle(v);
  }
  CHECK(!wrong.load());
}

}  // namespace
