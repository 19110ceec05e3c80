// CreateSemaphore[Ex]A/W for unnamed semaphores (SPEC.md section 2).
#include <gtest/gtest.h>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::state_of;
using ntsem::test::untouched_error;

struct bad_counts {
  LONG initial, maximum;
};

class CreateSemaphoreBadCounts : public ::testing::TestWithParam<bad_counts> {};

TEST_P(CreateSemaphoreBadCounts, FailsWithInvalidParameterInEveryForm) {
  const auto [initial, maximum] = GetParam();
  SetLastError(untouched_error);
  EXPECT_EQ(CreateSemaphoreA(nullptr, initial, maximum, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(untouched_error);
  EXPECT_EQ(CreateSemaphoreW(nullptr, initial, maximum, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(untouched_error);
  EXPECT_EQ(CreateSemaphoreExA(nullptr, initial, maximum, nullptr, 0, SEMAPHORE_ALL_ACCESS),
            nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(untouched_error);
  EXPECT_EQ(CreateSemaphoreExW(nullptr, initial, maximum, nullptr, 0, SEMAPHORE_ALL_ACCESS),
            nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

INSTANTIATE_TEST_SUITE_P(
    , CreateSemaphoreBadCounts,
    ::testing::Values(bad_counts{0, 0}, bad_counts{1, 0}, bad_counts{0, -1}, bad_counts{-1, 5},
                      bad_counts{6, 5}, bad_counts{-1, -1}, bad_counts{0x7FFFFFFF, 0x7FFFFFFE},
                      bad_counts{0, LONG(0x80000000)}));

TEST(CreateSemaphore, NewObjectClearsLastErrorAndHasTheCounts) {
  SetLastError(untouched_error);
  HANDLE h = CreateSemaphoreA(nullptr, 2, 5, nullptr);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_SUCCESS);
  EXPECT_EQ(state_of(h), (ntsem::test::semaphore_state{2, 5}));
  EXPECT_TRUE(CloseHandle(h));
}

TEST(CreateSemaphore, AcceptsTheExtremeCounts) {
  HANDLE a = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 0x7FFFFFFF, 0x7FFFFFFF, nullptr);
  HANDLE c = CreateSemaphoreA(nullptr, 5, 5, nullptr);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(state_of(a), (ntsem::test::semaphore_state{0, 1}));
  EXPECT_EQ(state_of(b), (ntsem::test::semaphore_state{0x7FFFFFFF, 0x7FFFFFFF}));
  EXPECT_EQ(state_of(c), (ntsem::test::semaphore_state{5, 5}));
  CloseHandle(a);
  CloseHandle(b);
  CloseHandle(c);
}

TEST(CreateSemaphore, EmptyNameMakesAnUnnamedObject) {
  SetLastError(untouched_error);
  HANDLE a = CreateSemaphoreA(nullptr, 1, 1, "");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_SUCCESS);
  HANDLE b = CreateSemaphoreW(nullptr, 1, 1, u"");
  ASSERT_NE(b, nullptr);
  // Two unnamed objects are distinct: taking from one leaves the other.
  EXPECT_EQ(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
  EXPECT_EQ(state_of(b).count, 1);
  CloseHandle(a);
  CloseHandle(b);
}

TEST(CreateSemaphore, HandleIsANonZeroMultipleOfFour) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  ASSERT_NE(h, nullptr);
  EXPECT_NE(h, INVALID_HANDLE_VALUE);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(h) % 4, 0u);
  CloseHandle(h);
}

TEST(CreateSemaphoreEx, ReservedFlagsAreNotRejected) {
  for (DWORD flags : {DWORD{1}, DWORD{0xFFFFFFFF}}) {
    HANDLE h = CreateSemaphoreExA(nullptr, 0, 1, nullptr, flags, SEMAPHORE_ALL_ACCESS);
    EXPECT_NE(h, nullptr) << flags;
    CloseHandle(h);
  }
}

TEST(CreateSemaphore, InheritFlagComesFromTheSecurityAttributes) {
  SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, TRUE};
  HANDLE inheritable = CreateSemaphoreA(&sa, 0, 1, nullptr);
  HANDLE plain = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  DWORD flags = untouched_error;
  ASSERT_TRUE(GetHandleInformation(inheritable, &flags));
  EXPECT_EQ(flags, HANDLE_FLAG_INHERIT);
  ASSERT_TRUE(GetHandleInformation(plain, &flags));
  EXPECT_EQ(flags, 0u);
  sa.bInheritHandle = FALSE;
  HANDLE explicit_no = CreateSemaphoreExW(&sa, 0, 1, nullptr, 0, SEMAPHORE_ALL_ACCESS);
  ASSERT_TRUE(GetHandleInformation(explicit_no, &flags));
  EXPECT_EQ(flags, 0u);
  CloseHandle(inheritable);
  CloseHandle(plain);
  CloseHandle(explicit_no);
}

}  // namespace
