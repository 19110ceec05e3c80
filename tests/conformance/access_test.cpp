// Per-handle access masks: what each mask lets a handle do to a semaphore.
#include <string>

#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

// The rights each mask gives, as Windows maps them for semaphores (GENERIC_READ
// is query only: without SYNCHRONIZE it cannot wait).
struct access_case {
  const char* name;
  DWORD access;
  bool can_wait, can_release;
};

constexpr access_case access_cases[] = {
    {"none", 0, false, false},
    {"modify", SEMAPHORE_MODIFY_STATE, false, true},
    {"query", SEMAPHORE_QUERY_STATE, false, false},
    {"synchronize", SYNCHRONIZE, true, false},
    {"generic_read", GENERIC_READ, false, false},
    {"generic_write", GENERIC_WRITE, false, true},
    {"generic_read_write", GENERIC_READ | GENERIC_WRITE, false, true},
    {"generic_execute", GENERIC_EXECUTE, true, false},
    {"generic_all", GENERIC_ALL, true, true},
    {"all_access", SEMAPHORE_ALL_ACCESS, true, true},
    {"maximum_allowed", MAXIMUM_ALLOWED, true, true},
};

void check_access(const access_case& c) {
  HANDLE h = CreateSemaphoreExA(nullptr, 1, 2, nullptr, 0, c.access);
  REQUIRE(h != nullptr);
  // A second handle with every right, to restore and read the count.
  HANDLE full = full_access_duplicate(h);
  REQUIRE(full != nullptr);

  SetLastError(untouched_error);
  const DWORD waited = WaitForSingleObject(h, 0);
  if (c.can_wait) {
    CHECK_EQ(waited, WAIT_OBJECT_0);
    CHECK_EQ(GetLastError(), untouched_error);
    ReleaseSemaphore(full, 1, nullptr);
  } else {
    CHECK_EQ(waited, WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  }
  REQUIRE_EQ(count_of(full), 1);

  SetLastError(untouched_error);
  LONG previous = untouched_long;
  const BOOL released = ReleaseSemaphore(h, 1, &previous);
  if (c.can_release) {
    CHECK_EQ(released, TRUE);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(previous, 1);
    CHECK_EQ(count_of(full), 2);
  } else {
    CHECK_EQ(released, FALSE);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    CHECK_EQ(previous, untouched_long);
    CHECK_EQ(count_of(full), 1);
  }
  CloseHandle(full);
  CloseHandle(h);
}

// One case per mask: SemaphoreAccess.none, SemaphoreAccess.modify, ...
const bool access_cases_registered = [] {
  for (const access_case& c : access_cases)
    add_case(std::string("SemaphoreAccess.") + c.name, [&c] { check_access(c); });
  return true;
}();

// Checks run in the order: bad handle, wrong type, missing right.
TEST(SemaphoreAccessOrder, BadHandleIsReportedBeforeMissingRight) {
  HANDLE h = CreateSemaphoreExA(nullptr, 1, 2, nullptr, 0, 0);
  CloseHandle(h);
  SetLastError(untouched_error);
  CHECK_EQ(ReleaseSemaphore(h, 1, nullptr), FALSE);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

TEST(WaitForMultipleObjects, AHandleWithoutSynchronizeIsAccessDenied) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE no_sync = CreateSemaphoreExA(nullptr, 1, 1, nullptr, 0, SEMAPHORE_MODIFY_STATE);
  for (BOOL all : {FALSE, TRUE}) {
    NOTE(all);
    const HANDLE pair[] = {s, no_sync};
    SetLastError(untouched_error);
    CHECK_EQ(WaitForMultipleObjects(2, pair, all, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  }
  CHECK_EQ(count_of(s), 1);
  CHECK_EQ(count_of(no_sync), 1);
  CloseHandle(no_sync);
  CloseHandle(s);
}

}  // namespace
