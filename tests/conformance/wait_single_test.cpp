// WaitForSingleObject[Ex] on semaphores.
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

TEST(WaitForSingleObject, TakesOneUnitAndLeavesLastError) {
  HANDLE h = CreateSemaphoreA(nullptr, 2, 2, nullptr);
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(count_of(h), 1);
  CHECK_EQ(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(count_of(h), 0);
  CloseHandle(h);
}

TEST(WaitForSingleObject, TimeoutOnUnsignaledLeavesLastErrorAndCount) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  for (DWORD ms : {DWORD{0}, DWORD{10}}) {
    NOTE(ms);
    SetLastError(untouched_error);
    CHECK_EQ(WaitForSingleObject(h, ms), WAIT_TIMEOUT);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(count_of(h), 0);
  }
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObjectEx(h, 0, TRUE), WAIT_TIMEOUT);
  CHECK_EQ(GetLastError(), untouched_error);
  CloseHandle(h);
}

TEST(WaitForSingleObject, BadHandlesFailWithInvalidHandle) {
  HANDLE closed = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  CloseHandle(closed);
  for (HANDLE h : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234),
                   reinterpret_cast<HANDLE>(0x12345678'00000040), reinterpret_cast<HANDLE>(-3)}) {
    NOTE(h);
    SetLastError(untouched_error);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

// A closed handle's value stays invalid even after its table entry is reused.
// (ntsem only: Windows reuses handle values.)
TEST(WaitForSingleObject, StaleHandleNeverReachesANewerObject) {
  HANDLE old = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  CloseHandle(old);
  std::vector<HANDLE> newer;
  for (int i = 0; i < 5000; ++i) newer.push_back(CreateSemaphoreA(nullptr, 1, 1, nullptr));
  for (HANDLE h : newer) CHECK_NE(h, old);
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(old, 0), WAIT_FAILED);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  for (HANDLE h : newer) {
    CHECK_EQ(count_of(h), 1);
    CloseHandle(h);
  }
}

// A handle truncated to 32 bits and sign-extended (HandleToLong/LongToHandle)
// loses ntsem's generation: refused, never taken for another object.  (ntsem
// only: on Windows the truncated value is the same handle.)
TEST(WaitForSingleObject, TruncatedHandleIsRefused) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  auto truncated = reinterpret_cast<HANDLE>(
      static_cast<std::intptr_t>(static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(h))));
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(truncated, 0), WAIT_FAILED);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(count_of(h), 1);
  CloseHandle(h);
}

// The current process and thread are waitable objects that are not signaled
// while the caller runs; INVALID_HANDLE_VALUE is the current process.
TEST(WaitForSingleObject, PseudoHandlesOfProcessAndThreadWaitUntilTheTimeout) {
  for (HANDLE h : {GetCurrentProcess(), GetCurrentThread(), INVALID_HANDLE_VALUE}) {
    NOTE(h);
    SetLastError(untouched_error);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(h, 5), WAIT_TIMEOUT);
    CHECK_EQ(GetLastError(), untouched_error);
  }
}

TEST(WaitForSingleObject, TheTwoLowBitsOfAHandleAreIgnored) {
  for (std::uintptr_t bits : {1u, 2u, 3u}) {
    NOTE(bits);
    HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
    CHECK_EQ(WaitForSingleObject(with_low_bits(h, bits), 0), WAIT_OBJECT_0);
    LONG previous = untouched_long;
    CHECK(ReleaseSemaphore(with_low_bits(h, bits), 1, &previous));
    CHECK_EQ(previous, 0);
    DWORD flags = untouched_error;
    CHECK(GetHandleInformation(with_low_bits(h, bits), &flags));
    CHECK_EQ(flags, 0u);
    CHECK(CloseHandle(with_low_bits(h, bits)));
    SetLastError(untouched_error);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

TEST(WaitForSingleObject, BlockedWaitIsSatisfiedByAReleaseFromAnotherThread) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  waiting_thread waiter([h] { return WaitForSingleObject(h, INFINITE); });
  waiter.wait_until_probably_blocked();
  CHECK_EQ(waiter.result(), untouched_error);  // still waiting, blocked or not
  CHECK(ReleaseSemaphore(h, 1, nullptr));
  CHECK_EQ(waiter.join(), WAIT_OBJECT_0);
  CHECK_EQ(count_of(h), 0);
  CloseHandle(h);
}

// A thread blocked on an object keeps it alive: closing the handle it waits
// through neither wakes nor fails the wait.  (Windows documents closing a
// handle during a wait as undefined; in practice its wait holds a reference to
// the object, as ntsem promises.  The case needs the waiter to be blocked
// before the close, which wait_until_probably_blocked gives with a wide
// margin.)
TEST(WaitForSingleObject, ClosingTheHandleDoesNotDisturbABlockedWait) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE other = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &other, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
  waiting_thread waiter([h] { return WaitForSingleObject(h, INFINITE); });
  waiter.wait_until_probably_blocked();
  CHECK(CloseHandle(h));
  let_others_run();
  CHECK_EQ(waiter.result(), untouched_error);
  CHECK(ReleaseSemaphore(other, 1, nullptr));
  CHECK_EQ(waiter.join(), WAIT_OBJECT_0);
  CHECK_EQ(count_of(other), 0);
  CloseHandle(other);
}

// ...and the object outlives its last handle while a thread still waits on it:
// the wait ends with its timeout, not with a failure.
TEST(WaitForSingleObject, ObjectOutlivesItsLastHandleWhileWaitedOn) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  waiting_thread waiter([h] { return WaitForSingleObject(h, 1000); });
  waiter.wait_until_probably_blocked();
  CHECK(CloseHandle(h));
  CHECK_EQ(waiter.join(), WAIT_TIMEOUT);
}

// A wait that succeeds synchronizes-with the release that made the unit
// available.
TEST(WaitForSingleObject, SuccessfulWaitSeesWritesMadeBeforeTheRelease) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  int payload = 0;
  std::thread producer([&] {
    payload = 42;
    ReleaseSemaphore(h, 1, nullptr);
  });
  CHECK_EQ(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
  CHECK_EQ(payload, 42);
  producer.join();
  CloseHandle(h);
}

}  // namespace
