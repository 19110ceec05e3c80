// Wait-any with hand-off (wait/queued_wait.cpp): a thread waiting on several
// objects queues on each of them like a single waiter, and a release hands
// it its unit directly.  So it is served in the order it came among all the
// threads queued on the object, its unit is consumed before the release
// returns, and it is satisfied by exactly one object even when several are
// released before it runs (docs/wait-engine.md, "What it must do", 1 and 2).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>

#include <ntsem/windows.h>

#include "support/event_state.hpp"
#include "support/multi_waiter.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::eventually;
using ntsem::test::queue_length;

// A deadlock guard, never a bound on how long anything takes.
constexpr DWORD guard_ms = 60000;

// A thread waiting on any of `handles`.
struct any_waiter : ntsem::test::multi_waiter {
  explicit any_waiter(std::vector<HANDLE> handles) : multi_waiter(std::move(handles), false) {}
};

HANDLE new_semaphore(LONG initial = 0) { return CreateSemaphoreA(nullptr, initial, 10, nullptr); }

TEST(WaitAnyHandOff, TheWaiterIsHandedTheUnitBeforeTheReleaseReturns) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  any_waiter waiter({a, b});
  ASSERT_TRUE(eventually([&] { return queue_length(a) == 1 && queue_length(b) == 1; }));
  LONG previous = -1;
  ASSERT_TRUE(ReleaseSemaphore(b, 1, &previous));
  EXPECT_EQ(previous, 0);
  // Consumed already, whether or not the waiter has run yet.
  EXPECT_EQ(count_of(b), 0);
  EXPECT_EQ(WaitForSingleObject(b, 0), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(waiter.join(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(count_of(a), 0);
  // Out of both queues once it returns.
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(queue_length(b), 0u);
  CloseHandle(a);
  CloseHandle(b);
}

// Both releases happen before the waiter need have run: the first one
// satisfies it, and the second finds it satisfied and leaves its unit.
TEST(WaitAnyHandOff, IsSatisfiedByExactlyOneObjectWhenSeveralAreReleased) {
  for (int first : {0, 1}) {
    SCOPED_TRACE(first);
    HANDLE h[2] = {new_semaphore(), new_semaphore()};
    any_waiter waiter({h[0], h[1]});
    ASSERT_TRUE(eventually([&] { return queue_length(h[0]) == 1 && queue_length(h[1]) == 1; }));
    ASSERT_TRUE(ReleaseSemaphore(h[first], 1, nullptr));
    ASSERT_TRUE(ReleaseSemaphore(h[1 - first], 1, nullptr));
    EXPECT_EQ(count_of(h[first]), 0);
    EXPECT_EQ(count_of(h[1 - first]), 1);
    EXPECT_EQ(waiter.join(), WAIT_OBJECT_0 + static_cast<DWORD>(first));
    EXPECT_EQ(count_of(h[first]), 0);
    EXPECT_EQ(count_of(h[1 - first]), 1);
    EXPECT_EQ(queue_length(h[0]) + queue_length(h[1]), 0u);
    CloseHandle(h[0]);
    CloseHandle(h[1]);
  }
}

// One queue, whatever kind of wait each thread is in: a single wait, then a
// wait-any that holds the object at index 1, then a single wait again.
TEST(WaitAnyHandOff, IsServedInTurnWithSingleWaitersOfTheSameObject) {
  HANDLE shared = new_semaphore(), other = new_semaphore();
  std::atomic<DWORD> first{0xFFFF'FFFF}, third{0xFFFF'FFFF};
  std::thread t1([&] { first = WaitForSingleObject(shared, guard_ms); });
  ASSERT_TRUE(eventually([&] { return queue_length(shared) == 1; }));
  any_waiter second({other, shared});
  ASSERT_TRUE(eventually([&] { return queue_length(shared) == 2 && queue_length(other) == 1; }));
  std::thread t3([&] { third = WaitForSingleObject(shared, guard_ms); });
  ASSERT_TRUE(eventually([&] { return queue_length(shared) == 3; }));

  ASSERT_TRUE(ReleaseSemaphore(shared, 1, nullptr));
  t1.join();
  EXPECT_EQ(first.load(), WAIT_OBJECT_0);
  EXPECT_EQ(queue_length(shared), 2u);
  ASSERT_TRUE(ReleaseSemaphore(shared, 1, nullptr));
  EXPECT_EQ(second.join(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(queue_length(other), 0u);
  EXPECT_EQ(queue_length(shared), 1u);
  ASSERT_TRUE(ReleaseSemaphore(shared, 1, nullptr));
  t3.join();
  EXPECT_EQ(third.load(), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(shared), 0);
  EXPECT_EQ(count_of(other), 0);
  CloseHandle(shared);
  CloseHandle(other);
}

// A wait-any that times out leaves no entry behind: the next release goes
// to the count, not to a waiter that has gone.
TEST(WaitAnyHandOff, ATimedOutWaitLeavesEveryQueue) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  const HANDLE both[] = {a, b};
  EXPECT_EQ(WaitForMultipleObjects(2, both, FALSE, 50), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(queue_length(b), 0u);
  ASSERT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  ASSERT_TRUE(ReleaseSemaphore(b, 2, nullptr));
  EXPECT_EQ(count_of(a), 1);
  EXPECT_EQ(count_of(b), 2);
  CloseHandle(a);
  CloseHandle(b);
}

// The same object twice: queued twice, satisfied once, at the lower index.
// (Windows allows duplicates in a wait-any; only wait-all refuses them.)
TEST(WaitAnyHandOff, TheSameObjectTwiceIsSatisfiedOnceAtTheLowerIndex) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  any_waiter waiter({b, a, a});
  ASSERT_TRUE(eventually([&] { return queue_length(a) == 2; }));
  ASSERT_TRUE(ReleaseSemaphore(a, 2, nullptr));
  EXPECT_EQ(count_of(a), 1);
  EXPECT_EQ(waiter.join(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(count_of(a), 1);
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(queue_length(b), 0u);
  CloseHandle(a);
  CloseHandle(b);
}

// An auto-reset event set while a wait-any waits on it is consumed by the
// set itself: it never reads as signaled.
TEST(WaitAnyHandOff, AnAutoResetEventIsHandedOverAndStaysReset) {
  HANDLE s = new_semaphore();
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  any_waiter waiter({s, e});
  ASSERT_TRUE(eventually([&] { return queue_length(e) == 1; }));
  ASSERT_TRUE(SetEvent(e));
  EXPECT_EQ(ntsem::test::event_state_of(e), ntsem::test::auto_reset);
  EXPECT_EQ(WaitForSingleObject(e, 0), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(waiter.join(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(queue_length(s), 0u);
  CloseHandle(s);
  CloseHandle(e);
}

// Many threads in wait-anys over the same objects, each listing them in
// another order, and releases of one unit at a time: every unit released
// is taken exactly once, by one waiter, and nothing is left queued.
TEST(WaitAnyHandOff, EveryReleasedUnitIsTakenExactlyOnce) {
  constexpr int objects = 4, threads = 8, rounds = 300;
  std::array<HANDLE, objects> h{};
  for (HANDLE& x : h) x = CreateSemaphoreA(nullptr, 0, threads * rounds, nullptr);
  std::atomic<int> taken{0};
  std::vector<std::thread> waiters;
  for (int t = 0; t < threads; ++t)
    waiters.emplace_back([&, t] {
      std::array<HANDLE, objects> order{};
      for (int i = 0; i < objects; ++i)
        order[static_cast<std::size_t>(i)] = h[static_cast<std::size_t>((t + i) % objects)];
      for (int r = 0; r < rounds; ++r) {
        const DWORD w = WaitForMultipleObjects(objects, order.data(), FALSE, guard_ms);
        ASSERT_LT(w, WAIT_OBJECT_0 + objects);
        taken.fetch_add(1);
      }
    });
  for (int k = 0; k < threads * rounds; ++k)
    ASSERT_TRUE(ReleaseSemaphore(h[static_cast<std::size_t>(k % objects)], 1, nullptr));
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(taken.load(), threads * rounds);
  for (HANDLE x : h) {
    EXPECT_EQ(count_of(x), 0);
    EXPECT_EQ(queue_length(x), 0u);
    CloseHandle(x);
  }
}

}  // namespace
