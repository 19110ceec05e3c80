// Mutexes: CreateMutex[Ex]A/W, OpenMutexA, ReleaseMutex, ownership,
// recursion, abandonment and the waits on them, alone and mixed with events.
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "owned_objects.h"

namespace {

using namespace conformance;

// Runs `body` on a thread of its own that then ends (abandoning what it
// still owns); returns what body returned.
template <class Body>
DWORD on_other_thread(Body body) {
  DWORD result = 0;
  std::thread([&] { result = body(); }).join();
  return result;
}

DWORD release_error(HANDLE h) {
  SetLastError(untouched_error);
  return ReleaseMutex(h) ? DWORD{0} : GetLastError();
}

TEST(Mutex, TheOwnerTakesItAgainAndReleasesEachHold) {
  owned_handle m(CreateMutexA(nullptr, TRUE, nullptr));
  CHECK_EQ(WaitForSingleObject(m, 0), DWORD{WAIT_OBJECT_0});
  CHECK_EQ(on_other_thread([&] { return WaitForSingleObject(m, 0); }), DWORD{WAIT_TIMEOUT});
  CHECK_EQ(on_other_thread([&] { return release_error(m); }), DWORD{ERROR_NOT_OWNER});
  CHECK_EQ(release_error(m), DWORD{0});
  CHECK_EQ(on_other_thread([&] { return WaitForSingleObject(m, 0); }), DWORD{WAIT_TIMEOUT});
  CHECK_EQ(release_error(m), DWORD{0});
  CHECK_EQ(release_error(m), DWORD{ERROR_NOT_OWNER});
}

TEST(Mutex, ReleaseMutexOnAnotherTypeIsAnInvalidHandle) {
  event e(true, true);
  CHECK_EQ(release_error(e), DWORD{ERROR_INVALID_HANDLE});
}

TEST(Mutex, AThreadThatEndsOwningItAbandonsItOnce) {
  owned_handle m(CreateMutexA(nullptr, FALSE, nullptr));
  CHECK_EQ(on_other_thread([&] { return WaitForSingleObject(m, 0); }), DWORD{WAIT_OBJECT_0});
  CHECK_EQ(WaitForSingleObject(m, 0), DWORD{WAIT_ABANDONED});
  CHECK_EQ(release_error(m), DWORD{0});
  CHECK_EQ(WaitForSingleObject(m, 0), DWORD{WAIT_OBJECT_0});
  CHECK_EQ(release_error(m), DWORD{0});
}

TEST(Mutex, WaitAnyGivesTheAbandonedIndexAndWaitAllNone) {
  event e(true, false);
  owned_handle m(CreateMutexA(nullptr, FALSE, nullptr));
  std::vector<HANDLE> both{e, m};
  on_other_thread([&] { return WaitForSingleObject(m, 0); });
  CHECK_EQ(WaitForMultipleObjects(2, both.data(), FALSE, 0), DWORD{WAIT_ABANDONED_0 + 1});
  CHECK_EQ(release_error(m), DWORD{0});
  on_other_thread([&] { return WaitForSingleObject(m, 0); });
  CHECK(SetEvent(e));
  CHECK_EQ(WaitForMultipleObjects(2, both.data(), TRUE, 0), DWORD{WAIT_ABANDONED_0});
  CHECK_EQ(release_error(m), DWORD{0});
  CHECK_EQ(release_error(m), DWORD{ERROR_NOT_OWNER});
}

// A mutex the caller owns counts as signaled in a wait-all, and is taken
// once more.
TEST(Mutex, WaitAllTakesAMutexTheCallerOwnsRecursively) {
  owned_handle m(CreateMutexA(nullptr, TRUE, nullptr));
  event e(true, true);
  std::vector<HANDLE> both{m, e};
  CHECK_EQ(WaitForMultipleObjects(2, both.data(), TRUE, 0), DWORD{WAIT_OBJECT_0});
  CHECK_EQ(release_error(m), DWORD{0});
  CHECK_EQ(release_error(m), DWORD{0});
  CHECK_EQ(release_error(m), DWORD{ERROR_NOT_OWNER});
}

TEST(Mutex, CreatingAnExistingNameOpensItWithoutTakingIt) {
  const std::string name = fresh_name("mutex-existing");
  owned_handle first(CreateMutexA(nullptr, FALSE, name.c_str()));
  const DWORD taken_elsewhere = on_other_thread([&] {
    SetLastError(untouched_error);
    HANDLE again = CreateMutexA(nullptr, TRUE, name.c_str());
    const DWORD error = GetLastError();
    const bool owns = again && release_error(again) == 0;
    if (again) CloseHandle(again);
    return error == ERROR_ALREADY_EXISTS && !owns ? DWORD{1} : DWORD{0};
  });
  CHECK_EQ(taken_elsewhere, DWORD{1});
  CHECK_EQ(WaitForSingleObject(first, 0), DWORD{WAIT_OBJECT_0});
  CHECK_EQ(release_error(first), DWORD{0});
}

TEST(Mutex, ANameHeldByAnotherTypeIsAnInvalidHandle) {
  const std::string name = fresh_name("mutex-collision");
  owned_handle m(CreateMutexA(nullptr, FALSE, name.c_str()));
  SetLastError(untouched_error);
  CHECK(CreateEventA(nullptr, TRUE, FALSE, name.c_str()) == nullptr);
  CHECK_EQ(GetLastError(), DWORD{ERROR_INVALID_HANDLE});
  SetLastError(untouched_error);
  CHECK(OpenSemaphoreA(SYNCHRONIZE, FALSE, name.c_str()) == nullptr);
  CHECK_EQ(GetLastError(), DWORD{ERROR_INVALID_HANDLE});
  event e(true, false);
  const std::string event_name = fresh_name("event-collision");
  owned_handle named_event(CreateEventA(nullptr, TRUE, FALSE, event_name.c_str()));
  SetLastError(untouched_error);
  CHECK(CreateMutexA(nullptr, FALSE, event_name.c_str()) == nullptr);
  CHECK_EQ(GetLastError(), DWORD{ERROR_INVALID_HANDLE});
  SetLastError(untouched_error);
  CHECK(OpenMutexA(SYNCHRONIZE, FALSE, event_name.c_str()) == nullptr);
  CHECK_EQ(GetLastError(), DWORD{ERROR_INVALID_HANDLE});
}

// ReleaseMutex needs no right of the handle; a wait needs SYNCHRONIZE.
TEST(Mutex, ReleaseNeedsNoRightAndWaitNeedsSynchronize) {
  const std::string name = fresh_name("mutex-rights");
  owned_handle m(CreateMutexA(nullptr, FALSE, name.c_str()));
  owned_handle sync_only(OpenMutexA(SYNCHRONIZE, FALSE, name.c_str()));
  CHECK_EQ(WaitForSingleObject(sync_only, 0), DWORD{WAIT_OBJECT_0});
  CHECK_EQ(release_error(sync_only), DWORD{0});
  owned_handle query_only(OpenMutexA(MUTEX_MODIFY_STATE, FALSE, name.c_str()));
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(query_only, 0), DWORD{WAIT_FAILED});
  CHECK_EQ(GetLastError(), DWORD{ERROR_ACCESS_DENIED});
}

// Not the owner: the signal fails and the wait is not performed.
TEST(Mutex, SignalObjectAndWaitByANonOwnerFailsWithoutWaiting) {
  owned_handle m(CreateMutexA(nullptr, FALSE, nullptr));
  event e(false, true);
  SetLastError(untouched_error);
  CHECK_EQ(SignalObjectAndWait(m, e, 0, FALSE), DWORD{WAIT_FAILED});
  CHECK_EQ(GetLastError(), DWORD{ERROR_NOT_OWNER});
  CHECK_EQ(WaitForSingleObject(e, 0), DWORD{WAIT_OBJECT_0});
  // The owner's signal releases one hold, then the wait is made.
  CHECK_EQ(WaitForSingleObject(m, 0), DWORD{WAIT_OBJECT_0});
  CHECK(SetEvent(e));
  CHECK_EQ(SignalObjectAndWait(m, e, 0, FALSE), DWORD{WAIT_OBJECT_0});
  CHECK_EQ(release_error(m), DWORD{ERROR_NOT_OWNER});
}

}  // namespace
