// CreateSemaphore[Ex]A/W for unnamed semaphores.
#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

const WCHAR empty_wide_name[] = {0};

TEST(CreateSemaphore, BadCountsFailWithInvalidParameterInEveryForm) {
  struct counts {
    LONG initial, maximum;
  };
  for (counts c : {counts{0, 0}, counts{1, 0}, counts{0, -1}, counts{-1, 5}, counts{6, 5},
                   counts{-1, -1}, counts{0x7FFFFFFF, 0x7FFFFFFE}, counts{0, LONG(0x80000000)}}) {
    NOTE(c.initial);
    NOTE(c.maximum);
    SetLastError(untouched_error);
    CHECK_EQ(CreateSemaphoreA(nullptr, c.initial, c.maximum, nullptr), nullptr);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(untouched_error);
    CHECK_EQ(CreateSemaphoreW(nullptr, c.initial, c.maximum, nullptr), nullptr);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(untouched_error);
    CHECK_EQ(CreateSemaphoreExA(nullptr, c.initial, c.maximum, nullptr, 0, SEMAPHORE_ALL_ACCESS),
             nullptr);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(untouched_error);
    CHECK_EQ(CreateSemaphoreExW(nullptr, c.initial, c.maximum, nullptr, 0, SEMAPHORE_ALL_ACCESS),
             nullptr);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  }
}

// Creation sets the last error even on success (ERROR_ALREADY_EXISTS tells a
// named object that existed from a new one).
TEST(CreateSemaphore, NewObjectClearsLastErrorAndHasTheCounts) {
  SetLastError(untouched_error);
  HANDLE h = CreateSemaphoreA(nullptr, 2, 5, nullptr);
  REQUIRE(h != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK_EQ(count_of(h), 2);
  CHECK(maximum_is(h, 5));
  CHECK(CloseHandle(h));
}

TEST(CreateSemaphore, AcceptsTheExtremeCounts) {
  HANDLE a = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE b = CreateSemaphoreA(nullptr, 0x7FFFFFFF, 0x7FFFFFFF, nullptr);
  HANDLE c = CreateSemaphoreA(nullptr, 5, 5, nullptr);
  HANDLE d = CreateSemaphoreA(nullptr, 0, 0x7FFFFFFF, nullptr);
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  REQUIRE(c != nullptr);
  REQUIRE(d != nullptr);
  CHECK_EQ(count_of(a), 0);
  CHECK(maximum_is(a, 1));
  CHECK_EQ(count_of(b), 0x7FFFFFFF);
  CHECK(maximum_is(b, 0x7FFFFFFF));
  CHECK_EQ(count_of(c), 5);
  CHECK(maximum_is(c, 5));
  CHECK_EQ(count_of(d), 0);
  CloseHandle(a);
  CloseHandle(b);
  CloseHandle(c);
  CloseHandle(d);
}

TEST(CreateSemaphore, EmptyNameMakesAnUnnamedObject) {
  SetLastError(untouched_error);
  HANDLE a = CreateSemaphoreA(nullptr, 1, 1, "");
  REQUIRE(a != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  SetLastError(untouched_error);
  HANDLE b = CreateSemaphoreW(nullptr, 1, 1, empty_wide_name);
  REQUIRE(b != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  // Two unnamed objects are distinct: taking from one leaves the other.
  CHECK_EQ(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
  CHECK_EQ(count_of(b), 1);
  CloseHandle(a);
  CloseHandle(b);
}

TEST(CreateSemaphore, HandleIsANonZeroMultipleOfFour) {
  HANDLE h = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  REQUIRE(h != nullptr);
  CHECK_NE(h, INVALID_HANDLE_VALUE);
  CHECK_EQ(reinterpret_cast<std::uintptr_t>(h) % 4, 0u);
  CloseHandle(h);
}

TEST(CreateSemaphoreEx, ReservedFlagsAreNotRejected) {
  for (DWORD flags : {DWORD{1}, DWORD{0xFFFFFFFF}}) {
    NOTE(flags);
    HANDLE h = CreateSemaphoreExA(nullptr, 0, 1, nullptr, flags, SEMAPHORE_ALL_ACCESS);
    CHECK(h != nullptr);
    CloseHandle(h);
  }
}

TEST(CreateSemaphore, InheritFlagComesFromTheSecurityAttributes) {
  SECURITY_ATTRIBUTES sa{static_cast<DWORD>(sizeof(sa)), nullptr, TRUE};
  HANDLE inheritable = CreateSemaphoreA(&sa, 0, 1, nullptr);
  HANDLE plain = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  sa.bInheritHandle = FALSE;
  HANDLE explicit_no = CreateSemaphoreExW(&sa, 0, 1, nullptr, 0, SEMAPHORE_ALL_ACCESS);
  DWORD flags = untouched_error;
  REQUIRE(GetHandleInformation(inheritable, &flags));
  CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
  REQUIRE(GetHandleInformation(plain, &flags));
  CHECK_EQ(flags, 0u);
  REQUIRE(GetHandleInformation(explicit_no, &flags));
  CHECK_EQ(flags, 0u);
  CloseHandle(inheritable);
  CloseHandle(plain);
  CloseHandle(explicit_no);
}

}  // namespace
