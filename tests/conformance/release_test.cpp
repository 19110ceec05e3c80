// ReleaseSemaphore: the count, the previous count, the errors.
#include <vector>

#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

// Calls ReleaseSemaphore with sentinels in place and reports everything.
struct release_outcome {
  BOOL result;
  DWORD error;
  LONG previous;
};

release_outcome release(HANDLE h, LONG n) {
  SetLastError(untouched_error);
  LONG previous = untouched_long;
  BOOL result = ReleaseSemaphore(h, n, &previous);
  return {result, GetLastError(), previous};
}

TEST(ReleaseSemaphore, SuccessReportsThePreviousCountAndLeavesLastError) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 10, nullptr);
  release_outcome r = release(h, 3);
  CHECK_EQ(r.result, TRUE);
  CHECK_EQ(r.error, untouched_error);
  CHECK_EQ(r.previous, 1);
  CHECK_EQ(count_of(h), 4);
  CloseHandle(h);
}

TEST(ReleaseSemaphore, PreviousCountMayBeNull) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 2, nullptr);
  CHECK(ReleaseSemaphore(h, 2, nullptr));
  CHECK_EQ(count_of(h), 2);
  CloseHandle(h);
}

// A count of zero or below is refused before anything else is looked at.
// (Wine differs: see known_differences.cpp.)
void check_count_refused(LONG n) {
  HANDLE h = CreateSemaphoreA(nullptr, 2, 10, nullptr);
  release_outcome r = release(h, n);
  CHECK_EQ(r.result, FALSE);
  CHECK_EQ(r.error, ERROR_INVALID_PARAMETER);
  CHECK_EQ(r.previous, untouched_long);
  CHECK_EQ(count_of(h), 2);
  CHECK(maximum_is(h, 10));
  CloseHandle(h);
}

TEST(ReleaseSemaphore, ZeroCountIsInvalidParameter) { check_count_refused(0); }

TEST(ReleaseSemaphore, NegativeCountIsInvalidParameter) {
  for (LONG n : {LONG{-1}, LONG(0x80000000)}) {
    NOTE(n);
    check_count_refused(n);
  }
}

TEST(ReleaseSemaphore, CountIsCheckedBeforeTheHandle) {
  release_outcome r = release(nullptr, 0);
  CHECK_EQ(r.result, FALSE);
  CHECK_EQ(r.error, ERROR_INVALID_PARAMETER);
}

TEST(ReleaseSemaphore, PastTheMaximumIsTooManyPostsAndChangesNothing) {
  struct step {
    LONG initial, maximum, n;
  };
  for (step s : {step{1, 1, 1}, step{0, 1, 2}, step{5, 10, 6},
                 step{0x7FFFFFFE, 0x7FFFFFFF, 2},  // the sum overflows a LONG
                 step{1, 0x7FFFFFFF, 0x7FFFFFFF}}) {
    NOTE(s.initial);
    NOTE(s.maximum);
    NOTE(s.n);
    HANDLE h = CreateSemaphoreA(nullptr, s.initial, s.maximum, nullptr);
    release_outcome r = release(h, s.n);
    CHECK_EQ(r.result, FALSE);
    CHECK_EQ(r.error, ERROR_TOO_MANY_POSTS);
    CHECK_EQ(r.previous, untouched_long);
    CHECK_EQ(count_of(h), s.initial);
    CloseHandle(h);
  }
}

TEST(ReleaseSemaphore, ExactlyUpToTheMaximumSucceeds) {
  HANDLE h = CreateSemaphoreA(nullptr, 0x7FFFFFFE, 0x7FFFFFFF, nullptr);
  release_outcome r = release(h, 1);
  CHECK_EQ(r.result, TRUE);
  CHECK_EQ(r.previous, 0x7FFFFFFE);
  CHECK_EQ(count_of(h), 0x7FFFFFFF);
  HANDLE g = CreateSemaphoreA(nullptr, 0, 0x7FFFFFFF, nullptr);
  r = release(g, 0x7FFFFFFF);
  CHECK_EQ(r.result, TRUE);
  CHECK_EQ(r.previous, 0);
  CHECK_EQ(count_of(g), 0x7FFFFFFF);
  CloseHandle(h);
  CloseHandle(g);
}

// Not a handle, a closed one, and handles of objects that are not semaphores
// (the current process and thread).
TEST(ReleaseSemaphore, BadHandlesAreInvalidHandle) {
  HANDLE closed = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  CloseHandle(closed);
  for (HANDLE h : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234),
                   reinterpret_cast<HANDLE>(0x7FFF'FFFF'FFFF'FFF0), INVALID_HANDLE_VALUE,
                   GetCurrentProcess(), GetCurrentThread()}) {
    NOTE(h);
    release_outcome r = release(h, 1);
    CHECK_EQ(r.result, FALSE);
    CHECK_EQ(r.error, ERROR_INVALID_HANDLE);
    CHECK_EQ(r.previous, untouched_long);
  }
}

}  // namespace
