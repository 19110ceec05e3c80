// The entries a satisfied wait-any leaves in its other objects' queues
// (wait/stale_entries.hpp, INV-STALE): they stay linked, stale, until the
// same thread waits again, waits for all, or ends, or until a release of
// their object drops them; never more than one wait's worth, so a thread
// that waits again and again on the same objects does not fill their
// queues.  Mutexes (and objects other users may release) are left at once.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"
#include "sys/fault_point.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::entries_in_use;
using ntsem::test::eventually;
using ntsem::test::queue_length;

// A thread that makes the waits it is given, one at a time, and stays
// alive between them (its stale entries stay with it until it ends).
class wait_thread {
 public:
  wait_thread() : thread_([this] { serve(); }) {}
  ~wait_thread() { end(); }
  wait_thread(const wait_thread&) = delete;
  wait_thread& operator=(const wait_thread&) = delete;

  // Starts WaitForMultipleObjects over `handles` in the thread.
  void start(std::vector<HANDLE> handles, bool wait_all = false) {
    std::lock_guard lock(mutex_);
    job_ = job{std::move(handles), wait_all};
    result_.reset();
    changed_.notify_all();
  }
  // The result of the wait started last, once it has returned.
  DWORD result() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return result_.has_value(); });
    return *result_;
  }
  // Ends the thread (its thread-local state goes with it) and joins it.
  void end() {
    {
      std::lock_guard lock(mutex_);
      ending_ = true;
      changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  struct job {
    std::vector<HANDLE> handles;
    bool wait_all = false;
  };
  void serve() {
    for (;;) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return ending_ || job_.has_value(); });
      if (!job_) return;
      job j = std::move(*job_);
      job_.reset();
      lock.unlock();
      const DWORD r = WaitForMultipleObjects(static_cast<DWORD>(j.handles.size()),
                                             j.handles.data(), j.wait_all ? TRUE : FALSE,
                                             ntsem::test::deadlock_guard_ms);
      lock.lock();
      result_ = r;
      changed_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<job> job_;
  std::optional<DWORD> result_;
  bool ending_ = false;
  std::thread thread_;
};

HANDLE new_semaphore() { return CreateSemaphoreA(nullptr, 0, 10, nullptr); }

// Waits on {a, b} in `t` until queued on b, then satisfies the wait with a
// release of b: WAIT_OBJECT_0 + 1 expected.
DWORD satisfied_by_second(wait_thread& t, HANDLE a, HANDLE b) {
  t.start({a, b});
  // b's queue holds this wait's entry only: the one a release of b satisfied
  // before left with its wake.
  if (!eventually([&] { return queue_length(b) == 1; })) return WAIT_FAILED;
  if (!ReleaseSemaphore(b, 1, nullptr)) return WAIT_FAILED;
  return t.result();
}

TEST(StaleEntries, AWaitAnySatisfiedByOneObjectLeavesItsEntryInTheOtherUntilTheThreadEnds) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  // Left linked, stale; the release took b's entry out.
  EXPECT_EQ(queue_length(a), 1u);
  EXPECT_EQ(queue_length(b), 0u);
  EXPECT_EQ(count_of(a), 0);
  t.end();
  EXPECT_EQ(queue_length(a), 0u);
  CloseHandle(a);
  CloseHandle(b);
}

// INV-STALE: the next wait on the same object takes the stale entry out
// under the hold in which it appends its own, so the queue never holds two
// of the same thread's.
TEST(StaleEntries, AThreadWaitingAgainOnTheSameObjectsKeepsOneEntryInEach) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  wait_thread t;
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(round);
    ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
    ASSERT_EQ(queue_length(a), 1u);
  }
  t.end();
  EXPECT_EQ(queue_length(a), 0u);
  CloseHandle(a);
  CloseHandle(b);
}

// A stale entry in an object the next wait does not wait on is taken out
// by that wait, before it sleeps.
TEST(StaleEntries, AWaitOnOtherObjectsTakesOutThePreviousWaitsStaleEntries) {
  HANDLE a = new_semaphore(), b = new_semaphore(), c = new_semaphore(), d = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  ASSERT_EQ(queue_length(a), 1u);
  t.start({c, d});
  ASSERT_TRUE(eventually([&] { return queue_length(a) == 0; }));
  ASSERT_TRUE(eventually([&] { return queue_length(d) == 1; }));
  ASSERT_TRUE(ReleaseSemaphore(d, 1, nullptr));
  ASSERT_EQ(t.result(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(queue_length(c), 1u);
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(queue_length(c), 0u);
  for (HANDLE h : {a, b, c, d}) CloseHandle(h);
}

// A release finds the entry of a wait that is over: it drops it and keeps
// the unit in the count, for whoever comes next (INV-HANDOFF).
TEST(StaleEntries, AReleaseDropsAStaleEntryAndCountsItsUnit) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  ASSERT_EQ(queue_length(a), 1u);
  LONG previous = -1;
  ASSERT_TRUE(ReleaseSemaphore(a, 1, &previous));
  EXPECT_EQ(previous, 0);
  EXPECT_EQ(count_of(a), 1);
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(a), 0);
  // The thread finds nothing left to take out, and waits as before.
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(queue_length(a), 1u);
  t.end();
  CloseHandle(a);
  CloseHandle(b);
}

// A wait-all takes out the stale entries before its first round: by the
// time it is queued on the object that blocks it, the stale entry is gone.
TEST(StaleEntries, AWaitAllTakesOutThePreviousWaitsStaleEntries) {
  HANDLE a = new_semaphore(), b = new_semaphore(), c = CreateSemaphoreA(nullptr, 1, 10, nullptr);
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  ASSERT_EQ(queue_length(a), 1u);
  ASSERT_EQ(queue_length(b), 0u);
  t.start({b, c}, true);
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  EXPECT_EQ(queue_length(a), 0u);
  ASSERT_TRUE(ReleaseSemaphore(b, 1, nullptr));
  EXPECT_EQ(t.result(), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(b), 0);
  EXPECT_EQ(count_of(c), 0);
  EXPECT_EQ(queue_length(b), 0u);
  for (HANDLE h : {a, b, c}) CloseHandle(h);
}

// The thread keeps no reference: an unnamed object closed meanwhile dies
// at once, and frees the stale entry left in its queue; the thread's next
// wait does not touch it.
TEST(StaleEntries, AnUnnamedObjectClosedWithAStaleEntryFreesIt) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  const std::size_t live = ntsem::test::live_objects();
  const std::uint32_t in_use = entries_in_use(b);
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  ASSERT_EQ(entries_in_use(b), in_use + 1);  // a's stale entry
  CloseHandle(a);
  EXPECT_EQ(ntsem::test::live_objects(), live - 1);
  EXPECT_EQ(entries_in_use(b), in_use);
  HANDLE c = new_semaphore();
  ASSERT_EQ(satisfied_by_second(t, c, b), WAIT_OBJECT_0 + 1);
  t.end();
  EXPECT_EQ(entries_in_use(b), in_use);
  CloseHandle(b);
  CloseHandle(c);
}

// An abandoned mutex is handed on by the waiter the kernel woke, at its
// leave: a wait satisfied by another object leaves a mutex's queue at once.
TEST(StaleEntries, AMutexsEntryLeavesAtOnce) {
  HANDLE m = CreateMutexA(nullptr, TRUE, nullptr), b = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, m, b), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(queue_length(m), 0u);
  ASSERT_TRUE(ReleaseMutex(m));
  CloseHandle(m);
  CloseHandle(b);
}

// The same for an event (the other type whose entries may be left).
TEST(StaleEntries, AnEventsEntryIsLeftAsASemaphoresIs) {
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr), b = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, e, b), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(queue_length(e), 1u);
  ASSERT_TRUE(SetEvent(e));
  EXPECT_EQ(queue_length(e), 0u);
  EXPECT_EQ(WaitForSingleObject(e, 0), WAIT_OBJECT_0);
  t.end();
  CloseHandle(e);
  CloseHandle(b);
}

// Revival (INV-REVIVE, shm/queue_entry.hpp): the next wait on the same
// object, at the same place, takes its stale entry back without the lock
// when nothing has been linked behind it and no release has passed it.
// The tests watch it through its fault points, whose actions run in the
// waiting thread.
namespace revival {

using ntsem::sys::fault_point;

std::atomic<int> revived{0};
void count_revival() { ++revived; }

// Arms `p` with `action` for the life of the guard.
class armed {
 public:
  armed(fault_point p, void (*action)()) { ntsem::sys::arm_fault_point(p, action); }
  ~armed() { ntsem::sys::arm_fault_point(fault_point::none); }
  armed(const armed&) = delete;
  armed& operator=(const armed&) = delete;
};

// What an action at entry_revive_checked works on.
HANDLE contested = nullptr;
std::optional<std::thread> latecomer;
std::atomic<bool> latecomer_started{false};  // publishes `latecomer`
std::atomic<DWORD> latecomer_result{WAIT_FAILED};

}  // namespace revival

TEST(StaleEntries, AWaitOnTheSameObjectsRevivesItsStaleEntry) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  const std::uint32_t in_use = entries_in_use(a);
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  revival::revived = 0;
  {
    revival::armed guard(ntsem::sys::fault_point::entry_revived, &revival::count_revival);
    for (int round = 0; round < 5; ++round) {
      SCOPED_TRACE(round);
      ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
      ASSERT_EQ(queue_length(a), 1u);
    }
  }
  // a's entry each round; b's was taken out by the release that satisfied
  // the wait through it, so b's is appended anew.
  EXPECT_EQ(revival::revived, 5);
  // A revived entry is claimed as an appended one is.
  t.start({a, b});
  ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  ASSERT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_EQ(t.result(), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(a), 0);
  t.end();
  EXPECT_EQ(entries_in_use(a), in_use);
  CloseHandle(a);
  CloseHandle(b);
}

// The entry says which index a release satisfies the wait at: one left at
// another place is taken out and a new one appended.
TEST(StaleEntries, AStaleEntryIsNotRevivedAtAnotherIndex) {
  HANDLE a = new_semaphore(), b = new_semaphore(), c = new_semaphore(), d = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  revival::revived = 0;
  revival::armed guard(ntsem::sys::fault_point::entry_revived, &revival::count_revival);
  t.start({c, a, d});
  // Queued on d: past a.
  ASSERT_TRUE(eventually([&] { return queue_length(d) == 1; }));
  EXPECT_EQ(queue_length(a), 1u);
  ASSERT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_EQ(t.result(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(revival::revived, 0);
  for (HANDLE h : {a, b, c, d}) CloseHandle(h);
}

// First come, first served: a thread that queues behind the stale entry
// (closing it) between the reviver's look and its compare-and-swap is
// ahead of the reviver, which then queues behind it under the lock.
TEST(StaleEntries, AThreadQueuedBehindAStaleEntryAsItIsRevivedKeepsItsPlace) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  revival::contested = a;
  revival::latecomer_result = WAIT_FAILED;
  revival::latecomer_started = false;
  {
    revival::armed guard(ntsem::sys::fault_point::entry_revive_checked, [] {
      ntsem::sys::arm_fault_point(ntsem::sys::fault_point::none);
      revival::latecomer.emplace([] {
        revival::latecomer_result =
            WaitForSingleObject(revival::contested, ntsem::test::deadlock_guard_ms);
      });
      revival::latecomer_started = true;
      // Behind the stale entry before the reviver goes on.
      eventually([] { return queue_length(revival::contested) == 2; });
    });
    t.start({a, b});
    ASSERT_TRUE(eventually([&] { return queue_length(b) == 1; }));
  }
  ASSERT_TRUE(eventually([] { return revival::latecomer_started.load(); }));
  EXPECT_EQ(queue_length(a), 2u);
  ASSERT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  revival::latecomer->join();
  revival::latecomer.reset();
  EXPECT_EQ(revival::latecomer_result, WAIT_OBJECT_0);
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(queue_length(a), 1u);  // the reviver's, still waiting
  ASSERT_TRUE(ReleaseSemaphore(a, 1, nullptr));
  EXPECT_EQ(t.result(), WAIT_OBJECT_0);
  for (HANDLE h : {a, b}) CloseHandle(h);
}

// A release that drops the stale entry (its wait is over) between the
// reviver's look and its compare-and-swap leaves its unit in the count:
// the reviver finds the object signaled under the lock and takes it.
TEST(StaleEntries, AStaleEntryDroppedAsItIsRevivedIsNotRevived) {
  HANDLE a = new_semaphore(), b = new_semaphore();
  wait_thread t;
  ASSERT_EQ(satisfied_by_second(t, a, b), WAIT_OBJECT_0 + 1);
  revival::contested = a;
  {
    revival::armed guard(ntsem::sys::fault_point::entry_revive_checked, [] {
      ntsem::sys::arm_fault_point(ntsem::sys::fault_point::none);
      ReleaseSemaphore(revival::contested, 1, nullptr);
    });
    t.start({a, b});
    EXPECT_EQ(t.result(), WAIT_OBJECT_0);
  }
  EXPECT_EQ(count_of(a), 0);
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(count_of(b), 0);
  for (HANDLE h : {a, b}) CloseHandle(h);
}

}  // namespace
