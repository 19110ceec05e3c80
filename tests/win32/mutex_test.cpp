// Mutexes (object/mutex.hpp): ownership by a thread, recursion,
// ERROR_NOT_OWNER, hand-off of ownership to the oldest waiter on release,
// and abandonment when the owning thread ends, reported once.
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include <ntsem/windows.h>
#include <ntsem/winternl.h>

#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::eventually;
using ntsem::test::queue_length;

constexpr DWORD guard_ms = 60'000;  // a deadlock guard, never a bound

// Runs `body` on a thread of its own and joins it (the thread ends there,
// abandoning whatever mutex it still owns).
DWORD on_other_thread(const std::function<DWORD()>& body) {
  DWORD result = 0;
  std::thread([&] { result = body(); }).join();
  return result;
}

MUTANT_BASIC_INFORMATION query(HANDLE h) {
  MUTANT_BASIC_INFORMATION info{};
  EXPECT_EQ(NtQueryMutant(h, MutantBasicInformation, &info, sizeof info, nullptr), STATUS_SUCCESS);
  return info;
}

// A thread that waits on handles (wait-any or wait-all), keeps what it took
// until told to go on, releases the mutexes it was given to release, and
// ends.
class holder {
 public:
  holder(std::vector<HANDLE> handles, bool wait_all, std::vector<HANDLE> release_after = {})
      : handles_(std::move(handles)), release_(std::move(release_after)) {
    thread_ = std::thread([this, wait_all] {
      tid_ = static_cast<std::uint32_t>(::gettid());
      result_ = WaitForMultipleObjects(static_cast<DWORD>(handles_.size()), handles_.data(),
                                       wait_all, guard_ms);
      done_waiting_ = true;
      while (!go_on_) std::this_thread::yield();
      for (HANDLE h : release_) released_ = ReleaseMutex(h) && released_;
    });
  }
  ~holder() { finish(); }
  bool waited() const { return done_waiting_; }
  // Whether the thread is asleep in the kernel, in its wait's futex call
  // (futex or futex_waitv): then a waiter covers its mutex (INV-COVER).
  bool asleep() const {
    if (tid_ == 0) return false;
    std::ifstream in("/proc/self/task/" + std::to_string(tid_) + "/syscall");
    long number = -1;
    in >> number;
    return number == SYS_futex || number == SYS_futex_waitv;
  }
  DWORD result() const { return result_; }
  // Lets the thread release and end; returns whether every release worked.
  bool finish() {
    go_on_ = true;
    if (thread_.joinable()) thread_.join();
    return released_;
  }

 private:
  std::vector<HANDLE> handles_, release_;
  std::atomic<DWORD> result_{0xFFFF'FFFF};
  std::atomic<bool> done_waiting_{false}, go_on_{false}, released_{true};
  std::atomic<std::uint32_t> tid_{0};
  std::thread thread_;
};

TEST(Mutex, TheCreatorOwnsAnInitiallyOwnedMutexAndTakesItAgainRecursively) {
  HANDLE m = CreateMutexA(nullptr, TRUE, nullptr);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(query(m).CurrentCount, 0);
  EXPECT_EQ(query(m).OwnedByCaller, 1);
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(query(m).CurrentCount, -1);
  // Another thread cannot take it, nor release it.
  EXPECT_EQ(on_other_thread([&] { return WaitForSingleObject(m, 0); }),
            static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(on_other_thread([&] {
              SetLastError(0);
              return ReleaseMutex(m) ? DWORD{0} : GetLastError();
            }),
            static_cast<DWORD>(ERROR_NOT_OWNER));
  LONG previous = 7;
  EXPECT_EQ(NtReleaseMutant(m, &previous), STATUS_SUCCESS);
  EXPECT_EQ(previous, -1);
  EXPECT_EQ(on_other_thread([&] { return WaitForSingleObject(m, 0); }),
            static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(NtReleaseMutant(m, &previous), STATUS_SUCCESS);
  EXPECT_EQ(previous, 0);
  EXPECT_EQ(query(m).CurrentCount, 1);
  EXPECT_EQ(query(m).OwnedByCaller, 0);
  // Released for good: one more release fails.
  SetLastError(0);
  EXPECT_FALSE(ReleaseMutex(m));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_OWNER));
  EXPECT_EQ(NtReleaseMutant(m, nullptr), STATUS_MUTANT_NOT_OWNED);
  EXPECT_TRUE(CloseHandle(m));
}

TEST(Mutex, AnUnownedMutexIsTakenByTheFirstWait) {
  HANDLE m = CreateMutexExW(nullptr, nullptr, 0, MUTEX_ALL_ACCESS);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(query(m).CurrentCount, 1);
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(query(m).OwnedByCaller, 1);
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(m));
}

// Windows' behaviour for other bits is not known; ReactOS's kernel32 and
// Wine ignore them, and so does ntsem.
TEST(Mutex, CreateMutexExTakesTheInitialOwnerFlagAndIgnoresOtherBits) {
  HANDLE m = CreateMutexExA(nullptr, nullptr, CREATE_MUTEX_INITIAL_OWNER, MUTEX_ALL_ACCESS);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(query(m).OwnedByCaller, 1);
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(m));
  HANDLE n = CreateMutexExA(nullptr, nullptr, 2, MUTEX_ALL_ACCESS);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(query(n).OwnedByCaller, 0);
  EXPECT_TRUE(CloseHandle(n));
}

TEST(Mutex, ReleasingOnAnotherTypeOfHandleIsRefused) {
  HANDLE e = CreateEventA(nullptr, TRUE, TRUE, nullptr);
  SetLastError(0);
  EXPECT_FALSE(ReleaseMutex(e));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_TRUE(CloseHandle(e));
}

// The release hands ownership to the thread that waited, before it
// returns: a thread that was not waiting cannot take it in between.
TEST(Mutex, ReleaseHandsOwnershipToTheOldestWaiter) {
  HANDLE m = CreateMutexA(nullptr, TRUE, nullptr);
  holder first({m}, false, {m});
  ASSERT_TRUE(eventually([&] { return queue_length(m) == 1 && first.asleep(); }));
  holder second({m}, false, {m});
  ASSERT_TRUE(eventually([&] { return queue_length(m) == 2 && second.asleep(); }));
  EXPECT_TRUE(ReleaseMutex(m));
  // Already the first waiter's, whether or not it has run yet.
  EXPECT_EQ(on_other_thread([&] { return WaitForSingleObject(m, 0); }),
            static_cast<DWORD>(WAIT_TIMEOUT));
  ASSERT_TRUE(eventually([&] { return first.waited(); }));
  EXPECT_EQ(first.result(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_FALSE(second.waited());
  EXPECT_TRUE(first.finish());
  ASSERT_TRUE(eventually([&] { return second.waited(); }));
  EXPECT_EQ(second.result(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(second.finish());
  EXPECT_EQ(query(m).CurrentCount, 1);
  EXPECT_EQ(queue_length(m), 0u);
  EXPECT_TRUE(CloseHandle(m));
}

TEST(Mutex, AThreadThatEndsOwningItAbandonsItAndTheNextTakerIsToldOnce) {
  HANDLE m = CreateMutexA(nullptr, FALSE, nullptr);
  EXPECT_EQ(on_other_thread([&] { return WaitForSingleObject(m, 0); }),
            static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(query(m).AbandonedState, 1);
  EXPECT_EQ(query(m).CurrentCount, 1);
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_EQ(query(m).AbandonedState, 0);
  EXPECT_EQ(query(m).OwnedByCaller, 1);
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(m));
}

// The owner ends while another thread sleeps on the mutex: the sleeper is
// handed the abandoned mutex.
TEST(Mutex, AWaiterAsleepIsHandedTheMutexItsOwnerAbandons) {
  HANDLE m = CreateMutexA(nullptr, FALSE, nullptr);
  std::atomic<bool> end_owner{false};
  std::thread owner([&] {
    EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_OBJECT_0));
    while (!end_owner) std::this_thread::yield();
  });
  ASSERT_TRUE(eventually([&] { return query(m).CurrentCount == 0; }));
  holder waiter({m}, false, {m});
  ASSERT_TRUE(eventually([&] { return queue_length(m) == 1; }));
  end_owner = true;
  owner.join();
  ASSERT_TRUE(eventually([&] { return waiter.waited(); }));
  EXPECT_EQ(waiter.result(), static_cast<DWORD>(WAIT_ABANDONED));
  EXPECT_TRUE(waiter.finish());
  EXPECT_EQ(WaitForSingleObject(m, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(m));
}

TEST(Mutex, WaitAnyReportsTheAbandonedMutexByItsIndex) {
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  HANDLE m = CreateMutexA(nullptr, FALSE, nullptr);
  on_other_thread([&] { return WaitForSingleObject(m, 0); });
  HANDLE both[] = {e, m};
  EXPECT_EQ(WaitForMultipleObjects(2, both, FALSE, 0), static_cast<DWORD>(WAIT_ABANDONED_0 + 1));
  EXPECT_EQ(WaitForMultipleObjects(2, both, FALSE, 0), static_cast<DWORD>(WAIT_OBJECT_0 + 1));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(e));
  EXPECT_TRUE(CloseHandle(m));
}

// Wait-all takes every object, the mutex as an owner; an abandoned one is
// reported as WAIT_ABANDONED_0 without its index (Windows, Wine and ReactOS
// agree).
TEST(Mutex, WaitAllTakesOwnershipAndReportsAnAbandonedMutex) {
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  HANDLE m = CreateMutexA(nullptr, FALSE, nullptr);
  on_other_thread([&] { return WaitForSingleObject(m, 0); });
  HANDLE both[] = {e, m};
  holder all({e, m}, true, {m});
  ASSERT_TRUE(eventually([&] { return queue_length(e) == 1; }));
  EXPECT_TRUE(SetEvent(e));
  ASSERT_TRUE(eventually([&] { return all.waited(); }));
  EXPECT_EQ(all.result(), static_cast<DWORD>(WAIT_ABANDONED_0));
  // Owned by the waiter now.
  EXPECT_EQ(WaitForMultipleObjects(2, both, TRUE, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_TRUE(all.finish());
  EXPECT_EQ(WaitForMultipleObjects(2, both, TRUE, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(query(m).OwnedByCaller, 1);
  EXPECT_TRUE(ReleaseMutex(m));
  EXPECT_TRUE(CloseHandle(e));
  EXPECT_TRUE(CloseHandle(m));
}

// A wait-all blocked by a mutex wakes when its owner releases it.
TEST(Mutex, AWaitAllBlockedByAMutexCompletesWhenItIsReleased) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE m = CreateMutexA(nullptr, TRUE, nullptr);
  holder all({s, m}, true, {m});
  ASSERT_TRUE(eventually([&] { return queue_length(m) == 1; }));
  EXPECT_TRUE(ReleaseMutex(m));
  ASSERT_TRUE(eventually([&] { return all.waited(); }));
  EXPECT_EQ(all.result(), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_TRUE(all.finish());
  EXPECT_EQ(WaitForSingleObject(s, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(query(m).CurrentCount, 1);
  EXPECT_TRUE(CloseHandle(s));
  EXPECT_TRUE(CloseHandle(m));
}

TEST(Mutex, SignalObjectAndWaitReleasesTheMutexAndWaits) {
  HANDLE m = CreateMutexA(nullptr, TRUE, nullptr);
  HANDLE e = CreateEventA(nullptr, TRUE, TRUE, nullptr);
  EXPECT_EQ(SignalObjectAndWait(m, e, 0, FALSE), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(query(m).CurrentCount, 1);
  // Not the owner any more: the signal fails, and the wait is not made.
  SetLastError(0);
  EXPECT_EQ(SignalObjectAndWait(m, e, 0, FALSE), static_cast<DWORD>(WAIT_FAILED));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_OWNER));
  EXPECT_TRUE(CloseHandle(m));
  EXPECT_TRUE(CloseHandle(e));
}

TEST(Mutex, NamedMutexesShareTheNamespaceWithTheOtherTypes) {
  const char* name = "ntsem-test-mutex-namespace";
  HANDLE m = CreateMutexA(nullptr, TRUE, name);
  ASSERT_NE(m, nullptr);
  // Opened, not taken, by a second create.
  const DWORD second = on_other_thread([&] {
    HANDLE again = CreateMutexA(nullptr, TRUE, name);
    const DWORD error = GetLastError();
    const DWORD waited = WaitForSingleObject(again, 0);
    CloseHandle(again);
    return error == ERROR_ALREADY_EXISTS && waited == WAIT_TIMEOUT ? DWORD{1} : DWORD{0};
  });
  EXPECT_EQ(second, 1u);
  SetLastError(0);
  EXPECT_EQ(CreateEventA(nullptr, TRUE, FALSE, name), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_EQ(OpenSemaphoreA(SYNCHRONIZE, FALSE, name), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  HANDLE opened = OpenMutexA(SYNCHRONIZE, FALSE, name);
  ASSERT_NE(opened, nullptr);
  EXPECT_TRUE(ReleaseMutex(opened));  // no right needed for a release
  EXPECT_TRUE(CloseHandle(opened));
  EXPECT_TRUE(CloseHandle(m));
}

}  // namespace
