// CloseHandle, Get/SetHandleInformation, DuplicateHandle within the process,
// object lifetime (SPEC.md section 5).
#include <gtest/gtest.h>

#include <ntsem/windows.h>

#include "support/semaphore_state.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::untouched_error;

BOOL close(HANDLE h) {
  SetLastError(untouched_error);
  return CloseHandle(h);
}

TEST(CloseHandle, BadOrClosedHandleIsInvalidHandle) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  EXPECT_EQ(close(h), TRUE);
  EXPECT_EQ(GetLastError(), untouched_error);
  for (HANDLE bad : {h, HANDLE{nullptr}, reinterpret_cast<HANDLE>(0x1234),
                     reinterpret_cast<HANDLE>(-3)}) {
    EXPECT_EQ(close(bad), FALSE) << bad;
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE)) << bad;
  }
}

TEST(CloseHandle, PseudoHandlesCloseAsANoOp) {
  EXPECT_EQ(close(GetCurrentProcess()), TRUE);
  EXPECT_EQ(close(GetCurrentThread()), TRUE);
  EXPECT_EQ(GetLastError(), untouched_error);
  EXPECT_EQ(WaitForSingleObject(GetCurrentProcess(), 0), WAIT_TIMEOUT);
}

TEST(CloseHandle, TheLastHandleDestroysTheObject) {
  const std::size_t before = ntsem::test::live_objects();
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE d;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  EXPECT_EQ(ntsem::test::live_objects(), before + 1);
  CloseHandle(h);
  EXPECT_EQ(ntsem::test::live_objects(), before + 1);
  EXPECT_TRUE(ReleaseSemaphore(d, 1, nullptr));
  CloseHandle(d);
  EXPECT_EQ(ntsem::test::live_objects(), before);
}

TEST(HandleInformation, FreshHandleHasNoFlags) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  DWORD flags = untouched_error;
  SetLastError(untouched_error);
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ(GetLastError(), untouched_error);
  CloseHandle(h);
}

TEST(HandleInformation, BadHandleIsInvalidHandleAndFlagsUntouched) {
  for (HANDLE bad : {HANDLE{nullptr}, reinterpret_cast<HANDLE>(0x1234)}) {
    DWORD flags = untouched_error;
    SetLastError(untouched_error);
    EXPECT_FALSE(GetHandleInformation(bad, &flags));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
    EXPECT_EQ(flags, untouched_error);
    SetLastError(untouched_error);
    EXPECT_FALSE(SetHandleInformation(bad, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  }
}

TEST(HandleInformation, SetChangesOnlyTheMaskedKnownFlags) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  DWORD flags = 0;
  EXPECT_TRUE(SetHandleInformation(h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, HANDLE_FLAG_INHERIT);
  // Bits outside the mask are ignored.
  EXPECT_TRUE(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE,
                                   HANDLE_FLAG_PROTECT_FROM_CLOSE | 0));
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
  // Unknown bits are accepted and ignored.
  EXPECT_TRUE(SetHandleInformation(h, 0x4, 0x4));
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
  EXPECT_TRUE(SetHandleInformation(h, HANDLE_FLAG_INHERIT, 0x3));
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
  EXPECT_TRUE(SetHandleInformation(h, 0xFFFFFFFF, 0));
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, 0u);
  EXPECT_TRUE(SetHandleInformation(h, 0, 0));
  CloseHandle(h);
}

TEST(HandleInformation, ProtectedHandleRefusesToCloseAndStaysUsable) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  ASSERT_TRUE(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE,
                                   HANDLE_FLAG_PROTECT_FROM_CLOSE));
  EXPECT_EQ(close(h), FALSE);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_TRUE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  ASSERT_TRUE(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0));
  EXPECT_EQ(close(h), TRUE);
}

TEST(HandleInformation, PseudoHandlesHaveNoFlagsToChange) {
  DWORD flags = untouched_error;
  EXPECT_TRUE(GetHandleInformation(GetCurrentProcess(), &flags));
  EXPECT_EQ(flags, 0u);
  SetLastError(untouched_error);
  EXPECT_FALSE(SetHandleInformation(GetCurrentProcess(), HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
}

TEST(DuplicateHandle, SameAccessAndReducedAccess) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE same, reduced;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &same, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &reduced, SYNCHRONIZE,
                              TRUE, 0));
  EXPECT_NE(same, h);
  EXPECT_NE(reduced, h);
  EXPECT_TRUE(ReleaseSemaphore(same, 1, nullptr));
  EXPECT_EQ(count_of(h), 2);
  SetLastError(untouched_error);
  EXPECT_FALSE(ReleaseSemaphore(reduced, 1, nullptr));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  EXPECT_EQ(WaitForSingleObject(reduced, 0), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(h), 1);
  DWORD flags = 0;
  EXPECT_TRUE(GetHandleInformation(reduced, &flags));
  EXPECT_EQ(flags, HANDLE_FLAG_INHERIT);
  CloseHandle(same);
  CloseHandle(reduced);
  CloseHandle(h);
}

TEST(DuplicateHandle, CloseSourceClosesTheSource) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE moved;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &moved, 0, FALSE,
                              DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(WaitForSingleObject(moved, 0), WAIT_OBJECT_0);
  CloseHandle(moved);
}

TEST(DuplicateHandle, CloseSourceClosesTheSourceEvenWhenTheDuplicationFails) {
  const std::size_t before = ntsem::test::live_objects();
  HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE target = nullptr;
  SetLastError(untouched_error);
  EXPECT_FALSE(DuplicateHandle(GetCurrentProcess(), h, reinterpret_cast<HANDLE>(0x1234), &target,
                               0, FALSE, DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
  EXPECT_EQ(ntsem::test::live_objects(), before);
}

TEST(DuplicateHandle, BadSourceIsInvalidHandle) {
  HANDLE target = nullptr;
  SetLastError(untouched_error);
  EXPECT_FALSE(DuplicateHandle(GetCurrentProcess(), reinterpret_cast<HANDLE>(0x1234),
                               GetCurrentProcess(), &target, 0, FALSE, DUPLICATE_SAME_ACCESS));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(target, nullptr);
}

}  // namespace
