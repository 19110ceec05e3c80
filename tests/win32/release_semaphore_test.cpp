// ReleaseSemaphore (SPEC.md section 4) and the access checks (sections 2, 4).
#include <gtest/gtest.h>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::state_of;
using ntsem::test::untouched_error;
using ntsem::test::untouched_long;

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

class ReleaseSemaphoreTest : public ::testing::Test {
 protected:
  HANDLE make(LONG initial, LONG maximum) {
    HANDLE h = CreateSemaphoreA(nullptr, initial, maximum, nullptr);
    EXPECT_NE(h, nullptr);
    handles_.push_back(h);
    return h;
  }
  void TearDown() override {
    for (HANDLE h : handles_) CloseHandle(h);
  }

 private:
  std::vector<HANDLE> handles_;
};

TEST_F(ReleaseSemaphoreTest, SuccessReportsThePreviousCountAndLeavesLastError) {
  HANDLE h = make(1, 10);
  release_outcome r = release(h, 3);
  EXPECT_EQ(r.result, TRUE);
  EXPECT_EQ(r.error, untouched_error);
  EXPECT_EQ(r.previous, 1);
  EXPECT_EQ(count_of(h), 4);
}

TEST_F(ReleaseSemaphoreTest, PreviousCountMayBeNull) {
  HANDLE h = make(0, 2);
  EXPECT_TRUE(ReleaseSemaphore(h, 2, nullptr));
  EXPECT_EQ(count_of(h), 2);
}

// Windows checks the count before the handle: STATUS_INVALID_PARAMETER from
// NtReleaseSemaphore.  (Wine 8 accepts 0 and calls -1 too many posts; Windows
// wins.)
TEST_F(ReleaseSemaphoreTest, ZeroOrNegativeCountIsInvalidParameterAndChangesNothing) {
  HANDLE h = make(2, 10);
  for (LONG n : {LONG{0}, LONG{-1}, LONG(0x80000000)}) {
    release_outcome r = release(h, n);
    EXPECT_EQ(r.result, FALSE) << n;
    EXPECT_EQ(r.error, DWORD(ERROR_INVALID_PARAMETER)) << n;
    EXPECT_EQ(r.previous, untouched_long) << n;
    EXPECT_EQ(state_of(h), (ntsem::test::semaphore_state{2, 10})) << n;
  }
  // Even on a bad handle, the count is checked first.
  EXPECT_EQ(release(nullptr, 0).error, DWORD(ERROR_INVALID_PARAMETER));
}

TEST_F(ReleaseSemaphoreTest, PastTheMaximumIsTooManyPostsAndChangesNothing) {
  struct step {
    LONG initial, maximum, n;
  };
  for (step s : {step{1, 1, 1}, step{0, 1, 2}, step{5, 10, 6},
                 step{0x7FFFFFFE, 0x7FFFFFFF, 2},  // the sum overflows a LONG
                 step{1, 0x7FFFFFFF, 0x7FFFFFFF}}) {
    HANDLE h = make(s.initial, s.maximum);
    release_outcome r = release(h, s.n);
    EXPECT_EQ(r.result, FALSE) << s.initial << "+" << s.n;
    EXPECT_EQ(r.error, DWORD(ERROR_TOO_MANY_POSTS));
    EXPECT_EQ(r.previous, untouched_long);
    EXPECT_EQ(state_of(h), (ntsem::test::semaphore_state{s.initial, s.maximum}));
  }
}

TEST_F(ReleaseSemaphoreTest, ExactlyUpToTheMaximumSucceeds) {
  HANDLE h = make(0x7FFFFFFE, 0x7FFFFFFF);
  release_outcome r = release(h, 1);
  EXPECT_EQ(r.result, TRUE);
  EXPECT_EQ(r.previous, 0x7FFFFFFE);
  EXPECT_EQ(count_of(h), 0x7FFFFFFF);
  HANDLE g = make(0, 0x7FFFFFFF);
  EXPECT_EQ(release(g, 0x7FFFFFFF).result, TRUE);
}

TEST_F(ReleaseSemaphoreTest, BadHandlesAreInvalidHandle) {
  HANDLE closed = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  CloseHandle(closed);
  for (HANDLE h : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234),
                   reinterpret_cast<HANDLE>(0x7FFF'FFFF'FFFF'FFF0), INVALID_HANDLE_VALUE,
                   GetCurrentThread()}) {
    release_outcome r = release(h, 1);
    EXPECT_EQ(r.result, FALSE) << h;
    EXPECT_EQ(r.error, DWORD(ERROR_INVALID_HANDLE)) << h;
    EXPECT_EQ(r.previous, untouched_long) << h;
  }
}

// The rights each access mask gives, as Windows maps them for semaphores.
struct access_case {
  const char* name;
  DWORD access;
  bool can_wait, can_release, can_query;
};

class SemaphoreAccess : public ::testing::TestWithParam<access_case> {};

TEST_P(SemaphoreAccess, EachCallChecksItsRight) {
  const access_case c = GetParam();
  HANDLE h = CreateSemaphoreExA(nullptr, 1, 2, nullptr, 0, c.access);
  ASSERT_NE(h, nullptr);
  // A second handle with every right, to restore and read the count.
  HANDLE full;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &full,
                              SEMAPHORE_ALL_ACCESS, FALSE, 0));

  SetLastError(untouched_error);
  DWORD waited = WaitForSingleObject(h, 0);
  if (c.can_wait) {
    EXPECT_EQ(waited, WAIT_OBJECT_0);
    EXPECT_EQ(GetLastError(), untouched_error);
    ReleaseSemaphore(full, 1, nullptr);
  } else {
    EXPECT_EQ(waited, WAIT_FAILED);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  }
  ASSERT_EQ(count_of(full), 1);

  release_outcome r = release(h, 1);
  if (c.can_release) {
    EXPECT_EQ(r.result, TRUE);
    EXPECT_EQ(r.previous, 1);
    EXPECT_EQ(count_of(full), 2);
  } else {
    EXPECT_EQ(r.result, FALSE);
    EXPECT_EQ(r.error, DWORD(ERROR_ACCESS_DENIED));
    EXPECT_EQ(r.previous, untouched_long);
    EXPECT_EQ(count_of(full), 1);
  }

  SEMAPHORE_BASIC_INFORMATION info{untouched_long, untouched_long};
  NTSTATUS status = NtQuerySemaphore(h, SemaphoreBasicInformation, &info, sizeof(info), nullptr);
  EXPECT_EQ(status, c.can_query ? STATUS_SUCCESS : STATUS_ACCESS_DENIED);
  if (!c.can_query) {
    EXPECT_EQ(info.CurrentCount, untouched_long);
  }
  CloseHandle(full);
  CloseHandle(h);
}

INSTANTIATE_TEST_SUITE_P(
    , SemaphoreAccess,
    ::testing::Values(access_case{"none", 0, false, false, false},
                      access_case{"modify", SEMAPHORE_MODIFY_STATE, false, true, false},
                      access_case{"query", SEMAPHORE_QUERY_STATE, false, false, true},
                      access_case{"synchronize", SYNCHRONIZE, true, false, false},
                      access_case{"generic_read", GENERIC_READ, false, false, true},
                      access_case{"generic_write", GENERIC_WRITE, false, true, false},
                      // Read and write together still cannot wait (no SYNCHRONIZE).
                      access_case{"generic_read_write", GENERIC_READ | GENERIC_WRITE, false, true,
                                  true},
                      access_case{"generic_execute", GENERIC_EXECUTE, true, false, false},
                      access_case{"generic_all", GENERIC_ALL, true, true, true},
                      access_case{"all_access", SEMAPHORE_ALL_ACCESS, true, true, true},
                      access_case{"maximum_allowed", MAXIMUM_ALLOWED, true, true, true}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

// Checks run in the order: bad handle, wrong type, missing right.
TEST(SemaphoreAccessOrder, BadHandleIsReportedBeforeMissingRight) {
  HANDLE h = CreateSemaphoreExA(nullptr, 1, 2, nullptr, 0, 0);
  CloseHandle(h);
  SetLastError(untouched_error);
  EXPECT_EQ(ReleaseSemaphore(h, 1, nullptr), FALSE);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
}

}  // namespace
