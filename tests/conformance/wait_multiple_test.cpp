// WaitForMultipleObjects[Ex]: wait-any and wait-all on semaphores.
#include <cstddef>
#include <initializer_list>
#include <vector>

#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

// Semaphores of maximum 1 with the given initial counts, closed at the end.
class semaphore_set {
 public:
  semaphore_set(std::initializer_list<LONG> counts) {
    for (LONG c : counts) handles_.push_back(CreateSemaphoreA(nullptr, c, 1, nullptr));
  }
  semaphore_set(std::size_t n, LONG count) {
    for (std::size_t i = 0; i < n; ++i)
      handles_.push_back(CreateSemaphoreA(nullptr, count, 1, nullptr));
  }
  ~semaphore_set() {
    for (HANDLE h : handles_) CloseHandle(h);
  }
  semaphore_set(const semaphore_set&) = delete;
  semaphore_set& operator=(const semaphore_set&) = delete;

  HANDLE operator[](std::size_t i) const { return handles_[i]; }
  const std::vector<HANDLE>& handles() const { return handles_; }
  const HANDLE* data() const { return handles_.data(); }
  DWORD size() const { return static_cast<DWORD>(handles_.size()); }
  std::vector<LONG> counts() const { return counts_of(handles_); }

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
    NOTE(all);
    for (DWORD n : {DWORD{0}, DWORD{MAXIMUM_WAIT_OBJECTS + 1}, DWORD{0xFFFFFFFF}}) {
      NOTE(n);
      SetLastError(untouched_error);
      CHECK_EQ(WaitForMultipleObjects(n, set.data(), all, 0), WAIT_FAILED);
      CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    }
  }
  CHECK_EQ(set.counts(), std::vector<LONG>(65, 1));
}

// Windows would fault on a NULL array; ntsem answers with the error the fault
// stands for.  (ntsem only.)
TEST(WaitForMultipleObjects, NullArrayIsNoAccess) {
  SetLastError(untouched_error);
  CHECK_EQ(WaitForMultipleObjects(1, nullptr, FALSE, 0), WAIT_FAILED);
  CHECK_EQ(GetLastError(), ERROR_NOACCESS);
}

TEST(WaitForMultipleObjects, SixtyFourObjectsAreAccepted) {
  semaphore_set set(MAXIMUM_WAIT_OBJECTS, 1);
  SetLastError(untouched_error);
  CHECK_EQ(WaitForMultipleObjects(set.size(), set.data(), FALSE, 0), WAIT_OBJECT_0);
  CHECK_EQ(WaitForMultipleObjects(set.size(), set.data(), TRUE, 0), WAIT_TIMEOUT);
  ReleaseSemaphore(set[0], 1, nullptr);
  CHECK_EQ(WaitForMultipleObjects(set.size(), set.data(), TRUE, 0), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(set.counts(), std::vector<LONG>(MAXIMUM_WAIT_OBJECTS, 0));
}

TEST(WaitAny, ReturnsTheLowestSignaledIndexAndChangesOnlyThatObject) {
  semaphore_set set{0, 1, 1, 0, 1};
  const std::vector<HANDLE>& h = set.handles();
  CHECK_EQ(wait_multiple(h, FALSE, 0), WAIT_OBJECT_0 + 1);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(set.counts(), (std::vector<LONG>{0, 0, 1, 0, 1}));
  CHECK_EQ(wait_multiple(h, FALSE, 0), WAIT_OBJECT_0 + 2);
  CHECK_EQ(set.counts(), (std::vector<LONG>{0, 0, 0, 0, 1}));
  CHECK_EQ(wait_multiple(h, FALSE, 0), WAIT_OBJECT_0 + 4);
  CHECK_EQ(wait_multiple(h, FALSE, 0), WAIT_TIMEOUT);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(wait_multiple(h, FALSE, 10), WAIT_TIMEOUT);
  CHECK_EQ(GetLastError(), untouched_error);
}

TEST(WaitAny, AcceptsTheSameObjectTwice) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE d = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), s, GetCurrentProcess(), &d, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
  CHECK_EQ(wait_multiple({s, s}, FALSE, 0), WAIT_OBJECT_0);
  CHECK_EQ(count_of(s), 0);
  ReleaseSemaphore(s, 1, nullptr);
  CHECK_EQ(wait_multiple({s, d}, FALSE, 0), WAIT_OBJECT_0);
  CHECK_EQ(count_of(s), 0);
  CHECK_EQ(wait_multiple({s, d}, FALSE, 0), WAIT_TIMEOUT);
  CloseHandle(d);
  CloseHandle(s);
}

TEST(WaitAll, TakesEveryObjectAtOnce) {
  semaphore_set set{1, 1, 1};
  CHECK_EQ(wait_multiple(set.handles(), TRUE, 0), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(set.counts(), (std::vector<LONG>{0, 0, 0}));
}

TEST(WaitAll, TakesNothingWhileAnyObjectIsUnsignaled) {
  semaphore_set set{1, 0, 1};
  for (DWORD ms : {DWORD{0}, DWORD{10}}) {
    NOTE(ms);
    CHECK_EQ(wait_multiple(set.handles(), TRUE, ms), WAIT_TIMEOUT);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(set.counts(), (std::vector<LONG>{1, 0, 1}));
  }
}

// The NT kernel refuses the same object twice in a wait-all
// (STATUS_INVALID_PARAMETER_MIX), through one handle or two.  (Wine differs,
// and must never run this: see known_differences.cpp.)
TEST(WaitAll, TheSameObjectTwiceIsInvalidParameter) {
  HANDLE s = CreateSemaphoreA(nullptr, 2, 2, nullptr);
  HANDLE d = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), s, GetCurrentProcess(), &d, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
  HANDLE other = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  for (const std::vector<HANDLE>& h :
       {std::vector<HANDLE>{s, s}, std::vector<HANDLE>{s, d}, std::vector<HANDLE>{other, d, s}}) {
    NOTE(h);
    CHECK_EQ(wait_multiple(h, TRUE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(count_of(s), 2);
    CHECK_EQ(count_of(other), 1);
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
    NOTE(all);
    for (HANDLE bad : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234)}) {
      NOTE(bad);
      CHECK_EQ(wait_multiple({s, bad}, all, 0), WAIT_FAILED);
      CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
      CHECK_EQ(wait_multiple({bad, s}, all, 0), WAIT_FAILED);
      CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    }
  }
  CHECK_EQ(count_of(s), 2);
  CloseHandle(s);
}

// WaitForMultipleObjects refuses the pseudo handles that WaitForSingleObject
// accepts.  (Wine differs: see known_differences.cpp.)
TEST(WaitForMultipleObjects, PseudoHandlesAreInvalidHandle) {
  HANDLE s = CreateSemaphoreA(nullptr, 2, 2, nullptr);
  for (BOOL all : {FALSE, TRUE}) {
    NOTE(all);
    for (HANDLE pseudo : {GetCurrentProcess(), GetCurrentThread()}) {
      NOTE(pseudo);
      CHECK_EQ(wait_multiple({s, pseudo}, all, 0), WAIT_FAILED);
      CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    }
  }
  CHECK_EQ(count_of(s), 2);
  CloseHandle(s);
}

TEST(WaitAny, BlockedWaitReturnsTheIndexOfTheReleasedObject) {
  semaphore_set set{0, 0, 0};
  waiting_thread waiter(
      [&set] { return WaitForMultipleObjects(set.size(), set.data(), FALSE, INFINITE); });
  waiter.wait_until_probably_blocked();
  CHECK_EQ(waiter.result(), untouched_error);
  ReleaseSemaphore(set[2], 1, nullptr);
  CHECK_EQ(waiter.join(), WAIT_OBJECT_0 + 2);
  CHECK_EQ(set.counts(), (std::vector<LONG>{0, 0, 0}));
}

// Correct whether or not the waiter is blocked yet at each step: a wait-all
// that arrives late finds the same counts.
TEST(WaitAll, BlockedWaitTakesNothingUntilItCanTakeEverything) {
  semaphore_set set{0, 0, 0};
  waiting_thread waiter(
      [&set] { return WaitForMultipleObjects(set.size(), set.data(), TRUE, INFINITE); });
  waiter.wait_until_probably_blocked();
  ReleaseSemaphore(set[0], 1, nullptr);
  ReleaseSemaphore(set[2], 1, nullptr);
  let_others_run();
  CHECK_EQ(waiter.result(), untouched_error);
  CHECK_EQ(set.counts(), (std::vector<LONG>{1, 0, 1}));
  // Another thread may still take what the wait-all has not taken.
  CHECK_EQ(WaitForSingleObject(set[0], 0), WAIT_OBJECT_0);
  ReleaseSemaphore(set[1], 1, nullptr);
  let_others_run();
  CHECK_EQ(waiter.result(), untouched_error);
  CHECK_EQ(set.counts(), (std::vector<LONG>{0, 1, 1}));
  ReleaseSemaphore(set[0], 1, nullptr);
  CHECK_EQ(waiter.join(), WAIT_OBJECT_0);
  CHECK_EQ(set.counts(), (std::vector<LONG>{0, 0, 0}));
}

}  // namespace
