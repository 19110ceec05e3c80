// CloseHandle, Get/SetHandleInformation and DuplicateHandle within the
// process.
#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

BOOL close_handle(HANDLE h) {
  SetLastError(untouched_error);
  return CloseHandle(h);
}

TEST(CloseHandle, BadOrClosedHandleIsInvalidHandle) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  CHECK_EQ(close_handle(h), TRUE);
  CHECK_EQ(GetLastError(), untouched_error);
  for (HANDLE bad : {h, HANDLE{nullptr}, reinterpret_cast<HANDLE>(0x1234),
                     reinterpret_cast<HANDLE>(-7)}) {
    NOTE(bad);
    CHECK_EQ(close_handle(bad), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

// -1 and -2 are the current process and thread; -3 to -6 are the other
// pseudo handles Windows reserves (GetCurrentProcessToken() is -4), which
// CloseHandle also accepts and ignores.
TEST(CloseHandle, PseudoHandlesCloseAsANoOp) {
  for (intptr_t pseudo = -1; pseudo >= -6; --pseudo) {
    NOTE(pseudo);
    CHECK_EQ(close_handle(reinterpret_cast<HANDLE>(pseudo)), TRUE);
    CHECK_EQ(GetLastError(), untouched_error);
  }
  CHECK_EQ(WaitForSingleObject(GetCurrentProcess(), 0), WAIT_TIMEOUT);
  CHECK_EQ(WaitForSingleObject(GetCurrentThread(), 0), WAIT_TIMEOUT);
}

// The object lives while any handle to it does.
TEST(CloseHandle, ClosingOneHandleLeavesTheObjectToTheOthers) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE d = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
  CHECK(CloseHandle(h));
  CHECK(ReleaseSemaphore(d, 1, nullptr));
  CHECK_EQ(count_of(d), 1);
  CHECK(maximum_is(d, 1));
  CHECK(CloseHandle(d));
}

TEST(HandleInformation, FreshHandleHasNoFlags) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  DWORD flags = untouched_error;
  SetLastError(untouched_error);
  CHECK(GetHandleInformation(h, &flags));
  CHECK_EQ(flags, 0u);
  CHECK_EQ(GetLastError(), untouched_error);
  CloseHandle(h);
}

TEST(HandleInformation, BadHandleIsInvalidHandleAndFlagsUntouched) {
  for (HANDLE bad : {HANDLE{nullptr}, reinterpret_cast<HANDLE>(0x1234)}) {
    NOTE(bad);
    DWORD flags = untouched_error;
    SetLastError(untouched_error);
    CHECK(!GetHandleInformation(bad, &flags));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(flags, untouched_error);
    SetLastError(untouched_error);
    CHECK(!SetHandleInformation(bad, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

TEST(HandleInformation, SetChangesOnlyTheMaskedKnownFlags) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  DWORD flags = untouched_error;
  CHECK(SetHandleInformation(h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
  CHECK(GetHandleInformation(h, &flags));
  CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
  CHECK(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE));
  CHECK(GetHandleInformation(h, &flags));
  CHECK_EQ(flags, HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
  // Unknown bits are accepted and ignored.
  CHECK(SetHandleInformation(h, 0x4, 0x4));
  CHECK(GetHandleInformation(h, &flags));
  CHECK_EQ(flags, HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
  // Bits of dwFlags outside the mask are ignored.
  CHECK(SetHandleInformation(h, HANDLE_FLAG_INHERIT, 0));
  CHECK(GetHandleInformation(h, &flags));
  CHECK_EQ(flags, HANDLE_FLAG_PROTECT_FROM_CLOSE);
  CHECK(SetHandleInformation(h, HANDLE_FLAG_INHERIT, 0x3));
  CHECK(GetHandleInformation(h, &flags));
  CHECK_EQ(flags, HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
  CHECK(SetHandleInformation(h, 0xFFFFFFFF, 0));
  CHECK(GetHandleInformation(h, &flags));
  CHECK_EQ(flags, 0u);
  CHECK(SetHandleInformation(h, 0, 0));
  CloseHandle(h);
}

TEST(HandleInformation, ProtectedHandleRefusesToCloseAndStaysUsable) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  REQUIRE(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE));
  CHECK_EQ(close_handle(h), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK(ReleaseSemaphore(h, 1, nullptr));
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  REQUIRE(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0));
  CHECK_EQ(close_handle(h), TRUE);
}

TEST(HandleInformation, PseudoHandlesHaveNoFlagsToChange) {
  for (HANDLE pseudo : {GetCurrentProcess(), GetCurrentThread()}) {
    NOTE(pseudo);
    DWORD flags = untouched_error;
    CHECK(GetHandleInformation(pseudo, &flags));
    CHECK_EQ(flags, 0u);
  }
  SetLastError(untouched_error);
  CHECK(!SetHandleInformation(GetCurrentProcess(), HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
}

TEST(DuplicateHandle, SameAccessAndReducedAccess) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE same = nullptr, reduced = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &same, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
  REQUIRE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &reduced, SYNCHRONIZE,
                          TRUE, 0));
  CHECK_NE(same, h);
  CHECK_NE(reduced, h);
  CHECK(ReleaseSemaphore(same, 1, nullptr));
  CHECK_EQ(count_of(h), 2);
  SetLastError(untouched_error);
  CHECK(!ReleaseSemaphore(reduced, 1, nullptr));
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CHECK_EQ(WaitForSingleObject(reduced, 0), WAIT_OBJECT_0);
  CHECK_EQ(count_of(h), 1);
  DWORD flags = untouched_error;
  CHECK(GetHandleInformation(reduced, &flags));
  CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
  CHECK(GetHandleInformation(same, &flags));
  CHECK_EQ(flags, 0u);
  CloseHandle(same);
  CloseHandle(reduced);
  CloseHandle(h);
}

// The source's value may come back as the new handle (Wine closes the source
// first and reuses its entry; ntsem never reuses a value).  Either way one
// handle is left: closing it leaves none.
TEST(DuplicateHandle, CloseSourceClosesTheSource) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE moved = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &moved, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
  if (moved != h) {
    SetLastError(untouched_error);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
  CHECK_EQ(WaitForSingleObject(moved, 0), WAIT_OBJECT_0);
  CHECK(CloseHandle(moved));
  for (HANDLE gone : {h, moved}) {
    NOTE(gone);
    CHECK_EQ(close_handle(gone), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

TEST(DuplicateHandle, CloseSourceClosesTheSourceEvenWhenTheDuplicationFails) {
  HANDLE h = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE target = nullptr;
  SetLastError(untouched_error);
  CHECK(!DuplicateHandle(GetCurrentProcess(), h, reinterpret_cast<HANDLE>(0x1234), &target, 0,
                         FALSE, DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(target, nullptr);
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

TEST(DuplicateHandle, BadSourceIsInvalidHandle) {
  HANDLE target = nullptr;
  SetLastError(untouched_error);
  CHECK(!DuplicateHandle(GetCurrentProcess(), reinterpret_cast<HANDLE>(0x1234),
                         GetCurrentProcess(), &target, 0, FALSE, DUPLICATE_SAME_ACCESS));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(target, nullptr);
}

}  // namespace
