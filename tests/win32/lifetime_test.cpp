// Object lifetime seen from inside: the arena's count of live objects.  (What
// a program can observe of the same rules is in tests/conformance.)
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include <ntsem/windows.h>

#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

TEST(Lifetime, TheLastHandleDestroysTheObject) {
  const std::size_t before = ntsem::test::live_objects();
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE d;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  EXPECT_EQ(ntsem::test::live_objects(), before + 1);
  CloseHandle(h);
  EXPECT_EQ(ntsem::test::live_objects(), before + 1);
  CloseHandle(d);
  EXPECT_EQ(ntsem::test::live_objects(), before);
}

// A thread blocked on an object holds a reference: the object outlives its
// last handle until the wait ends.
TEST(Lifetime, ABlockedWaitKeepsTheObjectAlive) {
  const std::size_t before = ntsem::test::live_objects();
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<DWORD> result{0xDEADBEEF};
  std::thread waiter([&] { result = WaitForSingleObject(h, 300); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(h) == 1; }));
  EXPECT_TRUE(CloseHandle(h));
  EXPECT_EQ(ntsem::test::live_objects(), before + 1);
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_TIMEOUT);
  EXPECT_EQ(ntsem::test::live_objects(), before);
}

// A wait-any keeps its objects alive without a reference each: it pins
// them (object/wait_pins.hpp), and the close of their last handles leaves
// their release to the wait, which runs it as the wait ends.  Before the
// pins it held references; without INV-PIN's check of the pins the objects
// died under the wait.
TEST(Lifetime, ABlockedWaitAnyKeepsItsObjectsAlive) {
  const std::size_t before = ntsem::test::live_objects();
  HANDLE a = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_NE(e, nullptr);
  std::atomic<DWORD> result{0xDEADBEEF};
  std::thread waiter([&] {
    const HANDLE all[] = {a, b, e};
    result = WaitForMultipleObjects(3, all, FALSE, INFINITE);
  });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(e) == 1; }));
  EXPECT_TRUE(CloseHandle(a));
  EXPECT_TRUE(CloseHandle(b));
  EXPECT_EQ(ntsem::test::live_objects(), before + 3);
  EXPECT_TRUE(SetEvent(e));
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0 + 2);
  EXPECT_EQ(ntsem::test::live_objects(), before + 1);
  EXPECT_TRUE(CloseHandle(e));
  EXPECT_EQ(ntsem::test::live_objects(), before);
}

// The same for a named object: while the wait pins it, its name still
// opens it; once the wait has ended, the name is free.
TEST(Lifetime, ABlockedWaitAnyKeepsANamedObjectAndItsName) {
  const std::string name = "Global\\" + ntsem::test::unique_name("pinned");
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, name.c_str());
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  ASSERT_NE(s, nullptr);
  ASSERT_NE(e, nullptr);
  std::atomic<DWORD> result{0xDEADBEEF};
  std::thread waiter([&] {
    const HANDLE both[] = {s, e};
    result = WaitForMultipleObjects(2, both, FALSE, INFINITE);
  });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::queue_length(e) == 1; }));
  EXPECT_TRUE(CloseHandle(s));
  HANDLE again = OpenSemaphoreA(SYNCHRONIZE, FALSE, name.c_str());
  EXPECT_NE(again, nullptr) << GetLastError();
  if (again) {
    EXPECT_TRUE(CloseHandle(again));
  }
  EXPECT_TRUE(SetEvent(e));
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0 + 1);
  SetLastError(0);
  EXPECT_EQ(OpenSemaphoreA(SYNCHRONIZE, FALSE, name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
  EXPECT_TRUE(CloseHandle(e));
}

// The last close racing the start of a wait-any on the same objects, many
// times: the wait either finds a handle closed (WAIT_FAILED,
// ERROR_INVALID_HANDLE) or runs to its timeout, and every object is
// released once in the end (INV-PIN; run under the sanitizers too).
TEST(Lifetime, ALastCloseRacingAWaitAnyReleasesEachObjectOnce) {
  const std::size_t before = ntsem::test::live_objects();
  for (int round = 0; round < 2000; ++round) {
    HANDLE a = CreateSemaphoreA(nullptr, 0, 1, nullptr);
    HANDLE b = CreateSemaphoreA(nullptr, 0, 1, nullptr);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    DWORD result = 0xDEADBEEF;
    DWORD error = 0;
    std::thread waiter([&] {
      const HANDLE both[] = {a, b};
      result = WaitForMultipleObjects(2, both, FALSE, 1);
      error = GetLastError();
    });
    // The close lands at a different point of the wait's start each round.
    for (std::atomic<int> spin{0};
         spin.fetch_add(1, std::memory_order_relaxed) < (round % 50) * 2000;) {
    }
    CloseHandle(a);
    CloseHandle(b);
    waiter.join();
    if (result == WAIT_FAILED)
      ASSERT_EQ(error, static_cast<DWORD>(ERROR_INVALID_HANDLE)) << "round " << round;
    else
      ASSERT_EQ(result, static_cast<DWORD>(WAIT_TIMEOUT)) << "round " << round;
    ASSERT_EQ(ntsem::test::live_objects(), before) << "round " << round;
  }
}

}  // namespace
