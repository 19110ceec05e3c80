// WaitForSingleObject[Ex] (SPEC.md sections 4, 5).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::untouched_error;

HANDLE with_low_bits(HANDLE h, std::uintptr_t bits) {
  return reinterpret_cast<HANDLE>(reinterpret_cast<std::uintptr_t>(h) | bits);
}

TEST(WaitForSingleObject, TakesOneUnitAndLeavesLastError) {
  HANDLE h = CreateSemaphoreA(nullptr, 2, 2, nullptr);
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  EXPECT_EQ(GetLastError(), untouched_error);
  EXPECT_EQ(count_of(h), 1);
  EXPECT_EQ(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(h), 0);
  CloseHandle(h);
}

TEST(WaitForSingleObject, TimeoutOnUnsignaledLeavesLastErrorAndCount) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  for (DWORD ms : {DWORD{0}, DWORD{10}}) {
    SetLastError(untouched_error);
    EXPECT_EQ(WaitForSingleObject(h, ms), WAIT_TIMEOUT);
    EXPECT_EQ(GetLastError(), untouched_error);
    EXPECT_EQ(count_of(h), 0);
  }
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForSingleObjectEx(h, 0, TRUE), WAIT_TIMEOUT);
  EXPECT_EQ(GetLastError(), untouched_error);
  CloseHandle(h);
}

TEST(WaitForSingleObject, BadHandlesFailWithInvalidHandle) {
  HANDLE closed = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  CloseHandle(closed);
  for (HANDLE h : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234),
                   reinterpret_cast<HANDLE>(0x12345678'00000040), reinterpret_cast<HANDLE>(-3)}) {
    SetLastError(untouched_error);
    EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_FAILED) << h;
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE)) << h;
  }
}

// A closed handle's value stays invalid even after its table entry is reused
// (Windows reuses values; ntsem does not: the generation differs).
TEST(WaitForSingleObject, StaleHandleNeverReachesANewerObject) {
  HANDLE old = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  CloseHandle(old);
  std::vector<HANDLE> newer;
  for (int i = 0; i < 5000; ++i) newer.push_back(CreateSemaphoreA(nullptr, 1, 1, nullptr));
  for (HANDLE h : newer) ASSERT_NE(h, old);
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForSingleObject(old, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  for (HANDLE h : newer) {
    EXPECT_EQ(count_of(h), 1);
    CloseHandle(h);
  }
}

// A handle truncated to 32 bits and sign-extended (HandleToLong/LongToHandle)
// loses its generation: refused, never taken for another object.
TEST(WaitForSingleObject, TruncatedHandleIsRefused) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  auto truncated = reinterpret_cast<HANDLE>(
      static_cast<std::intptr_t>(static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(h))));
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForSingleObject(truncated, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(count_of(h), 1);
  CloseHandle(h);
}

TEST(WaitForSingleObject, PseudoHandlesOfProcessAndThreadWaitUntilTheTimeout) {
  for (HANDLE h : {GetCurrentProcess(), GetCurrentThread(), INVALID_HANDLE_VALUE}) {
    SetLastError(untouched_error);
    EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_TIMEOUT) << h;
    EXPECT_EQ(WaitForSingleObject(h, 5), WAIT_TIMEOUT) << h;
    EXPECT_EQ(GetLastError(), untouched_error);
  }
}

TEST(WaitForSingleObject, TheTwoLowBitsOfAHandleAreIgnored) {
  for (std::uintptr_t bits : {1u, 2u, 3u}) {
    HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
    EXPECT_EQ(WaitForSingleObject(with_low_bits(h, bits), 0), WAIT_OBJECT_0);
    LONG previous = -1;
    EXPECT_TRUE(ReleaseSemaphore(with_low_bits(h, bits), 1, &previous));
    EXPECT_EQ(previous, 0);
    DWORD flags = 0;
    EXPECT_TRUE(GetHandleInformation(with_low_bits(h, bits), &flags));
    EXPECT_TRUE(CloseHandle(with_low_bits(h, bits)));
    EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  }
}

TEST(WaitForSingleObject, BlockedWaitIsSatisfiedByAReleaseFromAnotherThread) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<DWORD> result{untouched_error};
  std::thread waiter([&] { result = WaitForSingleObject(h, INFINITE); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::single_waiters(h) == 1; }));
  EXPECT_EQ(result.load(), untouched_error);
  EXPECT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(h), 0);
  CloseHandle(h);
}

// A thread blocked on an object keeps it alive: closing the handle it waits
// through neither wakes nor fails the wait.
TEST(WaitForSingleObject, ClosingTheHandleDoesNotDisturbABlockedWait) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE other;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &other, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  std::atomic<DWORD> result{untouched_error};
  std::thread waiter([&] { result = WaitForSingleObject(h, INFINITE); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::single_waiters(h) == 1; }));
  EXPECT_TRUE(CloseHandle(h));
  ntsem::test::let_others_run();
  EXPECT_EQ(result.load(), untouched_error);
  EXPECT_TRUE(ReleaseSemaphore(other, 1, nullptr));
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0);
  CloseHandle(other);
}

// ...and the object outlives every handle while a thread still waits on it.
TEST(WaitForSingleObject, ObjectOutlivesItsLastHandleWhileWaitedOn) {
  const std::size_t objects_before = ntsem::test::live_objects();
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<DWORD> result{untouched_error};
  std::thread waiter([&] { result = WaitForSingleObject(h, 300); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::single_waiters(h) == 1; }));
  EXPECT_TRUE(CloseHandle(h));
  EXPECT_EQ(ntsem::test::live_objects(), objects_before + 1);
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_TIMEOUT);
  EXPECT_EQ(ntsem::test::live_objects(), objects_before);
}

// A wait that succeeds synchronizes-with the release that made the unit
// available (the header's memory-ordering promise; ThreadSanitizer checks the
// plain variable).
TEST(WaitForSingleObject, SuccessfulWaitSeesWritesMadeBeforeTheRelease) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  int payload = 0;
  std::thread producer([&] {
    payload = 42;
    ReleaseSemaphore(h, 1, nullptr);
  });
  ASSERT_EQ(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
  EXPECT_EQ(payload, 42);
  producer.join();
  CloseHandle(h);
}

}  // namespace
