// Object lifetime seen from inside: the arena's count of live objects.  (What
// a program can observe of the same rules is in tests/conformance.)
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <ntsem/windows.h>

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

}  // namespace
