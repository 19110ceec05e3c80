// WaitForMultipleObjects[Ex] (SPEC.md section 4).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::untouched_error;

// A set of semaphores of maximum 1 with the given initial counts.
class semaphore_set {
 public:
  explicit semaphore_set(std::initializer_list<LONG> counts) {
    for (LONG c : counts) handles_.push_back(CreateSemaphoreA(nullptr, c, 1, nullptr));
  }
  explicit semaphore_set(std::size_t n, LONG count) {
    for (std::size_t i = 0; i < n; ++i)
      handles_.push_back(CreateSemaphoreA(nullptr, count, 1, nullptr));
  }
  ~semaphore_set() {
    for (HANDLE h : handles_) CloseHandle(h);
  }
  HANDLE operator[](std::size_t i) const { return handles_[i]; }
  const HANDLE* data() const { return handles_.data(); }
  DWORD size() const { return static_cast<DWORD>(handles_.size()); }
  std::vector<LONG> counts() const {
    std::vector<LONG> out;
    for (HANDLE h : handles_) out.push_back(count_of(h));
    return out;
  }

 private:
  std::vector<HANDLE> handles_;
};

DWORD wait_multiple(const std::vector<HANDLE>& handles, BOOL all, DWORD ms) {
  SetLastError(untouched_error);
  return WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(), all, ms);
}

TEST(WaitForMultipleObjects, CountOfZeroOrAboveTheMaximumIsInvalidParameter) {
  semaphore_set set(65, 1);
  for (BOOL all : {FALSE, TRUE}) {
    for (DWORD n : {DWORD{0}, DWORD{MAXIMUM_WAIT_OBJECTS + 1}, DWORD{0xFFFFFFFF}}) {
      SetLastError(untouched_error);
      EXPECT_EQ(WaitForMultipleObjects(n, set.data(), all, 0), WAIT_FAILED) << n;
      EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER)) << n;
    }
  }
  EXPECT_EQ(set.counts(), std::vector<LONG>(65, 1));
}

// Windows would fault on a NULL array; ntsem answers with the error the fault
// stands for.
TEST(WaitForMultipleObjects, NullArrayIsNoAccess) {
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForMultipleObjects(1, nullptr, FALSE, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_NOACCESS));
}

TEST(WaitForMultipleObjects, SixtyFourObjectsAreAccepted) {
  semaphore_set set(MAXIMUM_WAIT_OBJECTS, 1);
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForMultipleObjects(set.size(), set.data(), FALSE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForMultipleObjects(set.size(), set.data(), TRUE, 0), WAIT_TIMEOUT);
  ReleaseSemaphore(set[0], 1, nullptr);
  EXPECT_EQ(WaitForMultipleObjects(set.size(), set.data(), TRUE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(GetLastError(), untouched_error);
  EXPECT_EQ(set.counts(), std::vector<LONG>(MAXIMUM_WAIT_OBJECTS, 0));
}

TEST(WaitAny, ReturnsTheLowestSignaledIndexAndChangesOnlyThatObject) {
  semaphore_set set{0, 1, 1, 0, 1};
  std::vector<HANDLE> h(set.data(), set.data() + set.size());
  EXPECT_EQ(wait_multiple(h, FALSE, 0), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(GetLastError(), untouched_error);
  EXPECT_EQ(set.counts(), (std::vector<LONG>{0, 0, 1, 0, 1}));
  EXPECT_EQ(wait_multiple(h, FALSE, 0), WAIT_OBJECT_0 + 2);
  EXPECT_EQ(set.counts(), (std::vector<LONG>{0, 0, 0, 0, 1}));
  EXPECT_EQ(wait_multiple(h, FALSE, 0), WAIT_OBJECT_0 + 4);
  EXPECT_EQ(wait_multiple(h, FALSE, 0), WAIT_TIMEOUT);
  EXPECT_EQ(GetLastError(), untouched_error);
  EXPECT_EQ(wait_multiple(h, FALSE, 10), WAIT_TIMEOUT);
}

TEST(WaitAny, AcceptsTheSameObjectTwice) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE d;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), s, GetCurrentProcess(), &d, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  EXPECT_EQ(wait_multiple({s, s}, FALSE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(s), 0);
  ReleaseSemaphore(s, 1, nullptr);
  EXPECT_EQ(wait_multiple({s, d}, FALSE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(s), 0);
  EXPECT_EQ(wait_multiple({s, d}, FALSE, 0), WAIT_TIMEOUT);
  CloseHandle(d);
  CloseHandle(s);
}

TEST(WaitAll, TakesEveryObjectAtOnce) {
  semaphore_set set{1, 1, 1};
  std::vector<HANDLE> h(set.data(), set.data() + set.size());
  EXPECT_EQ(wait_multiple(h, TRUE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(GetLastError(), untouched_error);
  EXPECT_EQ(set.counts(), (std::vector<LONG>{0, 0, 0}));
}

TEST(WaitAll, TakesNothingWhileAnyObjectIsUnsignaled) {
  semaphore_set set{1, 0, 1};
  std::vector<HANDLE> h(set.data(), set.data() + set.size());
  for (DWORD ms : {DWORD{0}, DWORD{10}}) {
    EXPECT_EQ(wait_multiple(h, TRUE, ms), WAIT_TIMEOUT);
    EXPECT_EQ(GetLastError(), untouched_error);
    EXPECT_EQ(set.counts(), (std::vector<LONG>{1, 0, 1}));
  }
}

// The NT kernel refuses the same object twice in a wait-all
// (STATUS_INVALID_PARAMETER_MIX), through one handle or two.  Wine accepts it;
// Windows wins.
TEST(WaitAll, TheSameObjectTwiceIsInvalidParameter) {
  HANDLE s = CreateSemaphoreA(nullptr, 2, 2, nullptr);
  HANDLE d;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), s, GetCurrentProcess(), &d, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  HANDLE other = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  for (const std::vector<HANDLE>& h : {std::vector<HANDLE>{s, s}, std::vector<HANDLE>{s, d},
                                       std::vector<HANDLE>{other, d, s}}) {
    EXPECT_EQ(wait_multiple(h, TRUE, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(count_of(s), 2);
    EXPECT_EQ(count_of(other), 1);
  }
  CloseHandle(other);
  CloseHandle(d);
  CloseHandle(s);
}

TEST(WaitForMultipleObjects, ABadHandleAnywhereFailsTheWholeWaitAndTakesNothing) {
  HANDLE s = CreateSemaphoreA(nullptr, 2, 2, nullptr);
  HANDLE closed = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  CloseHandle(closed);
  for (BOOL all : {FALSE, TRUE}) {
    for (HANDLE bad : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234)}) {
      EXPECT_EQ(wait_multiple({s, bad}, all, 0), WAIT_FAILED);
      EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
      EXPECT_EQ(wait_multiple({bad, s}, all, 0), WAIT_FAILED);
      EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
    }
  }
  EXPECT_EQ(count_of(s), 2);
  CloseHandle(s);
}

// WaitForMultipleObjects refuses the pseudo handles that WaitForSingleObject
// accepts.  Wine waits on them; Windows wins.
TEST(WaitForMultipleObjects, PseudoHandlesAreInvalidHandle) {
  HANDLE s = CreateSemaphoreA(nullptr, 2, 2, nullptr);
  for (BOOL all : {FALSE, TRUE}) {
    for (HANDLE pseudo : {GetCurrentProcess(), GetCurrentThread()}) {
      EXPECT_EQ(wait_multiple({s, pseudo}, all, 0), WAIT_FAILED);
      EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
    }
  }
  EXPECT_EQ(count_of(s), 2);
  CloseHandle(s);
}

TEST(WaitForMultipleObjects, AHandleWithoutSynchronizeIsAccessDenied) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE no_sync = CreateSemaphoreExA(nullptr, 1, 1, nullptr, 0, SEMAPHORE_MODIFY_STATE);
  for (BOOL all : {FALSE, TRUE}) {
    EXPECT_EQ(wait_multiple({s, no_sync}, all, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  }
  EXPECT_EQ(count_of(s), 1);
  CloseHandle(no_sync);
  CloseHandle(s);
}

TEST(WaitAny, BlockedWaitReturnsTheIndexOfTheReleasedObject) {
  semaphore_set set{0, 0, 0};
  std::atomic<DWORD> result{untouched_error};
  std::thread waiter(
      [&] { result = WaitForMultipleObjects(set.size(), set.data(), FALSE, INFINITE); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::multi_waiters(set[2]) == 1; }));
  ntsem::test::let_others_run();
  EXPECT_EQ(result.load(), untouched_error);
  ReleaseSemaphore(set[2], 1, nullptr);
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0 + 2);
  EXPECT_EQ(set.counts(), (std::vector<LONG>{0, 0, 0}));
}

TEST(WaitAll, BlockedWaitTakesNothingUntilItCanTakeEverything) {
  semaphore_set set{0, 0, 0};
  std::atomic<DWORD> result{untouched_error};
  std::thread waiter(
      [&] { result = WaitForMultipleObjects(set.size(), set.data(), TRUE, INFINITE); });
  ASSERT_TRUE(ntsem::test::eventually([&] { return ntsem::test::multi_waiters(set[0]) == 1; }));
  ReleaseSemaphore(set[0], 1, nullptr);
  ReleaseSemaphore(set[2], 1, nullptr);
  ntsem::test::let_others_run();
  EXPECT_EQ(result.load(), untouched_error);
  EXPECT_EQ(set.counts(), (std::vector<LONG>{1, 0, 1}));
  // Another thread may still take what the wait-all has not reserved.
  EXPECT_EQ(WaitForSingleObject(set[0], 0), WAIT_OBJECT_0);
  ReleaseSemaphore(set[1], 1, nullptr);
  ntsem::test::let_others_run();
  EXPECT_EQ(result.load(), untouched_error);
  EXPECT_EQ(set.counts(), (std::vector<LONG>{0, 1, 1}));
  ReleaseSemaphore(set[0], 1, nullptr);
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0);
  EXPECT_EQ(set.counts(), (std::vector<LONG>{0, 0, 0}));
}

}  // namespace
