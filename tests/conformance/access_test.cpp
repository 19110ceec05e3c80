// Per-handle access masks: what each mask lets a handle do to a semaphore
// or an event.
#include <string>

#include "harness.h"
#include "observe.h"

namespace {

using namespace conformance;

// The rights each mask gives, as Windows maps them for semaphores and for
// events, which map alike: their specific rights have the same values
// (QUERY_STATE 0x1, MODIFY_STATE 0x2, ALL_ACCESS 0x1F0003).  GENERIC_READ
// is query only: without SYNCHRONIZE it cannot wait.  can_change:
// ReleaseSemaphore, or SetEvent and ResetEvent.
struct access_case {
  const char* name;
  DWORD access;
  bool can_wait, can_change;
};

static_assert(SEMAPHORE_MODIFY_STATE == EVENT_MODIFY_STATE &&
              SEMAPHORE_QUERY_STATE == EVENT_QUERY_STATE &&
              SEMAPHORE_ALL_ACCESS == EVENT_ALL_ACCESS);

constexpr access_case access_cases[] = {
    {"none", 0, false, false},
    {"modify", SEMAPHORE_MODIFY_STATE, false, true},
    {"query", SEMAPHORE_QUERY_STATE, false, false},
    {"synchronize", SYNCHRONIZE, true, false},
    {"generic_read", GENERIC_READ, false, false},
    {"generic_write", GENERIC_WRITE, false, true},
    {"generic_read_write", GENERIC_READ | GENERIC_WRITE, false, true},
    {"generic_execute", GENERIC_EXECUTE, true, false},
    {"generic_read_execute", GENERIC_READ | GENERIC_EXECUTE, true, false},
    {"generic_all", GENERIC_ALL, true, true},
    {"all_access", SEMAPHORE_ALL_ACCESS, true, true},
    {"maximum_allowed", MAXIMUM_ALLOWED, true, true},
};

// The last error a call with `allowed` rights leaves: untouched when it
// succeeds, ERROR_ACCESS_DENIED when the handle lacks the right.
DWORD error_after(bool allowed) { return allowed ? untouched_error : DWORD{ERROR_ACCESS_DENIED}; }

void check_semaphore_access(const access_case& c) {
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
  if (c.can_change) {
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

// A manual-reset event, set: a wait that succeeds changes nothing.
void check_event_access(const access_case& c) {
  HANDLE h = CreateEventExA(nullptr, nullptr, CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET,
                            c.access);
  REQUIRE(h != nullptr);
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(h, 0), c.can_wait ? WAIT_OBJECT_0 : WAIT_FAILED);
  CHECK_EQ(GetLastError(), error_after(c.can_wait));
  SetLastError(untouched_error);
  CHECK_EQ(ResetEvent(h), c.can_change ? TRUE : FALSE);
  CHECK_EQ(GetLastError(), error_after(c.can_change));
  CHECK_EQ(signaled_of(h), c.can_change ? 0 : 1);
  SetLastError(untouched_error);
  CHECK_EQ(SetEvent(h), c.can_change ? TRUE : FALSE);
  CHECK_EQ(GetLastError(), error_after(c.can_change));
  CHECK_EQ(signaled_of(h), 1);
  CloseHandle(h);
}

// One case per type and mask: SemaphoreAccess.none, ..., EventAccess.none, ...
const bool access_cases_registered = [] {
  for (const access_case& c : access_cases) {
    add_case(std::string("SemaphoreAccess.") + c.name, [&c] { check_semaphore_access(c); });
    add_case(std::string("EventAccess.") + c.name, [&c] { check_event_access(c); });
  }
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
