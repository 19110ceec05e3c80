// Wait-all (wait/wait_all.cpp): a thread waiting for all of several objects
// queues on one object that blocks it and reserves nothing; a release of
// that object wakes it, and it takes every object in one commit or queues
// again on what blocks it now (docs/wait-engine.md, "Wait-all").
#include <gtest/gtest.h>

#include <array>
#include <optional>
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

struct all_waiter : ntsem::test::multi_waiter {
  explicit all_waiter(std::vector<HANDLE> handles) : multi_waiter(std::move(handles), true) {}
};

HANDLE new_semaphore(LONG initial) { return CreateSemaphoreA(nullptr, initial, 10, nullptr); }

// The threads queued on the objects, in total.
std::uint32_t queued_on(std::initializer_list<HANDLE> handles) {
  std::uint32_t n = 0;
  for (HANDLE h : handles) n += queue_length(h);
  return n;
}

TEST(WaitAll, ABlockedWaitQueuesOnTheBlockingObjectOnlyAndReservesNothing) {
  HANDLE a = new_semaphore(1), b = new_semaphore(0);
  all_waiter waiter({a, b});
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(count_of(a), 1);
  // Another thread takes what the wait-all holds no claim on.
  EXPECT_EQ(WaitForSingleObject(a, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_TRUE(ReleaseSemaphore(b, 1, nullptr));
  EXPECT_EQ(waiter.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(count_of(b), 0);
  EXPECT_EQ(queued_on({a, b}), 0u);
  CloseHandle(a);
  CloseHandle(b);
}

// Released one at a time: each release wakes it, it queues again on the
// next object that blocks it, and it completes once all are signaled.
TEST(WaitAll, FollowsTheBlockerUntilEveryObjectCanBeTaken) {
  HANDLE a = new_semaphore(0), b = new_semaphore(0), c = new_semaphore(0);
  all_waiter waiter({a, b, c});
  for (HANDLE h : {a, b}) {
    ASSERT_TRUE(eventually([&] { return queued_on({a, b, c}) == 1; }));
    EXPECT_TRUE(ReleaseSemaphore(h, 1, nullptr));
    ntsem::test::let_others_run();
    EXPECT_FALSE(waiter.returned());
  }
  EXPECT_TRUE(ReleaseSemaphore(c, 1, nullptr));
  EXPECT_EQ(waiter.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  for (HANDLE h : {a, b, c}) EXPECT_EQ(count_of(h), 0);
  EXPECT_EQ(queued_on({a, b, c}), 0u);
  for (HANDLE h : {a, b, c}) CloseHandle(h);
}

TEST(WaitAll, ATimedOutWaitLeavesNoEntryAndTakesNothing) {
  HANDLE a = new_semaphore(2), b = new_semaphore(0);
  const HANDLE both[] = {a, b};
  EXPECT_EQ(WaitForMultipleObjects(2, both, TRUE, 20), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(count_of(a), 2);
  EXPECT_EQ(count_of(b), 0);
  EXPECT_EQ(queued_on({a, b}), 0u);
  CloseHandle(a);
  CloseHandle(b);
}

// A release of the blocker hands its unit to a single waiter queued before
// the wait-all's entry, and tells the wait-all, which finds it gone and
// queues again: it never takes a unit owed to another waiter.
TEST(WaitAll, AWaiterQueuedFirstKeepsItsUnit) {
  HANDLE a = new_semaphore(1), b = new_semaphore(0);
  DWORD single = 0xFFFF'FFFF;
  std::thread first([&] { single = WaitForSingleObject(b, 60'000); });
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  all_waiter waiter({a, b});
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 2; }));
  EXPECT_TRUE(ReleaseSemaphore(b, 1, nullptr));
  first.join();
  EXPECT_EQ(single, static_cast<DWORD>(WAIT_OBJECT_0));
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  EXPECT_FALSE(waiter.returned());
  EXPECT_EQ(count_of(a), 1);
  EXPECT_TRUE(ReleaseSemaphore(b, 1, nullptr));
  EXPECT_EQ(waiter.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(count_of(b), 0);
  CloseHandle(a);
  CloseHandle(b);
}

// A manual-reset event set while a wait-all is queued on it wakes it, and
// stays set after the commit; the semaphore beside it is taken.
TEST(WaitAll, AManualResetEventStaysSetAfterTheCommit) {
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  HANDLE s = new_semaphore(1);
  all_waiter waiter({s, e});
  ASSERT_TRUE(eventually([&] { return queue_length(e) == 1; }));
  EXPECT_TRUE(SetEvent(e));
  EXPECT_EQ(waiter.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(ntsem::test::event_state_of(e), ntsem::test::manual_set);
  EXPECT_EQ(count_of(s), 0);
  CloseHandle(e);
  CloseHandle(s);
}

// A single waiter on one object, for the serving tests below.
struct one_waiter : ntsem::test::multi_waiter {
  explicit one_waiter(HANDLE h) : multi_waiter({h}, false) {}
};

// A wait-all over {blocker, other} queued on `blocker` (`other` can be
// taken), then a single waiter queued on `blocker` behind it.
struct served_pair {
  served_pair(HANDLE blocker, HANDLE other) : first({blocker, other}), handles{blocker, other} {
    EXPECT_TRUE(eventually([&] { return queue_length(blocker) == 1; }));
    behind.emplace(blocker);
    EXPECT_TRUE(eventually([&] { return queue_length(blocker) == 2; }));
  }
  ~served_pair() {
    behind.reset();
    first.join();
    for (HANDLE h : handles) CloseHandle(h);
  }
  served_pair(const served_pair&) = delete;
  served_pair& operator=(const served_pair&) = delete;

  all_waiter first;
  std::optional<one_waiter> behind;
  std::array<HANDLE, 2> handles;
};

// As on Windows (DESIGN.md property 8): a wait-all that can complete is
// served before the waiter queued behind it on the object released; the
// release takes both of its objects for it (wait/serve_all.hpp).
TEST(WaitAll, IsServedBeforeAWaiterQueuedBehindIt) {
  HANDLE a = new_semaphore(0), b = new_semaphore(1);
  served_pair p(a, b);
  EXPECT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_EQ(p.first.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(count_of(b), 0);
  EXPECT_EQ(queue_length(a), 1u);
  EXPECT_FALSE(p.behind->returned());
  EXPECT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_EQ(p.behind->join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(queued_on({a, b}), 0u);
}

// A release of two units satisfies the wait-all and the waiter behind it.
// (Served or told, the wait-all ends with both objects: this checks the
// counts along the serve, not that it happens.)
TEST(WaitAll, AReleaseOfTwoSatisfiesItAndTheWaiterBehindIt) {
  HANDLE a = new_semaphore(0), b = new_semaphore(1);
  served_pair p(a, b);
  EXPECT_TRUE(ReleaseSemaphore(a, 2, nullptr));
  EXPECT_EQ(p.first.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(p.behind->join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(count_of(b), 0);
  EXPECT_EQ(queued_on({a, b}), 0u);
}

// A wait-all that cannot complete when its blocker is released reserves
// nothing: the unit goes to the waiter behind it, and the wait-all queues
// again on what blocks it now.
TEST(WaitAll, ThatCannotCompleteLetsTheWaiterBehindItHaveTheUnit) {
  HANDLE a = new_semaphore(0), b = new_semaphore(1);
  served_pair p(a, b);
  // Not queued on b: another thread may take it.
  EXPECT_EQ(WaitForSingleObject(b, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_EQ(p.behind->join(), static_cast<DWORD>(WAIT_OBJECT_0));
  // Told, it attempts again and queues on one of the two (neither can be
  // taken now).
  ASSERT_TRUE(eventually([&] { return queued_on({a, b}) == 1; }));
  EXPECT_FALSE(p.first.returned());
  EXPECT_EQ(count_of(a), 0);
  EXPECT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_TRUE(ReleaseSemaphore(b, 1, nullptr));
  EXPECT_EQ(p.first.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(count_of(b), 0);
}

// An auto-reset event set once goes to the wait-all queued first, which
// takes the semaphore beside it too; the event is reset.
TEST(WaitAll, IsServedAnAutoResetEventBeforeAWaiterQueuedBehindIt) {
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  HANDLE s = new_semaphore(1);
  served_pair p(e, s);
  EXPECT_TRUE(SetEvent(e));
  EXPECT_EQ(p.first.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(s), 0);
  EXPECT_EQ(ntsem::test::event_state_of(e), ntsem::test::auto_reset);
  EXPECT_FALSE(p.behind->returned());
  EXPECT_TRUE(SetEvent(e));
  EXPECT_EQ(p.behind->join(), static_cast<DWORD>(WAIT_OBJECT_0));
}

// A manual-reset event set satisfies the wait-all and the waiter behind
// it, and stays set.  (As above: the counts along the serve.)
TEST(WaitAll, AManualResetEventSetSatisfiesItAndTheWaiterBehindIt) {
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  HANDLE s = new_semaphore(1);
  served_pair p(e, s);
  EXPECT_TRUE(SetEvent(e));
  EXPECT_EQ(p.first.join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(p.behind->join(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(count_of(s), 0);
  EXPECT_EQ(ntsem::test::event_state_of(e), ntsem::test::manual_set);
}

}  // namespace
