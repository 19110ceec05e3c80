// Events: CreateEvent[Ex]A/W, OpenEventA/W, SetEvent, ResetEvent, and the
// waits on them, alone and mixed with semaphores.
#include <memory>
#include <string>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "owned_objects.h"

namespace {

using namespace conformance;

BOOL set_event(HANDLE h) {
  SetLastError(untouched_error);
  return SetEvent(h);
}

BOOL reset_event(HANDLE h) {
  SetLastError(untouched_error);
  return ResetEvent(h);
}

DWORD wait_one(HANDLE h, DWORD ms = 0) {
  SetLastError(untouched_error);
  return WaitForSingleObject(h, ms);
}

DWORD wait_multiple(const std::vector<HANDLE>& handles, BOOL all, DWORD ms = 0) {
  SetLastError(untouched_error);
  return WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(), all, ms);
}

// ---- Creating ----

// Every form makes an event of the reset mode and initial state asked for,
// and clears the last error.
TEST(CreateEvent, EveryFormMakesTheEventAskedFor) {
  for (int form = 0; form < 4; ++form) {
    for (BOOL manual : {FALSE, TRUE}) {
      for (BOOL initial : {FALSE, TRUE}) {
        NOTE(form);
        NOTE(manual);
        NOTE(initial);
        const DWORD flags = (manual ? CREATE_EVENT_MANUAL_RESET : 0u) |
                            (initial ? CREATE_EVENT_INITIAL_SET : 0u);
        SetLastError(untouched_error);
        HANDLE h = nullptr;
        switch (form) {
          case 0: h = CreateEventA(nullptr, manual, initial, nullptr); break;
          case 1: h = CreateEventW(nullptr, manual, initial, nullptr); break;
          case 2: h = CreateEventExA(nullptr, nullptr, flags, EVENT_ALL_ACCESS); break;
          default: h = CreateEventExW(nullptr, nullptr, flags, EVENT_ALL_ACCESS); break;
        }
        REQUIRE(h != nullptr);
        CHECK_EQ(GetLastError(), ERROR_SUCCESS);
        CHECK_EQ(signaled_of(h), initial ? 1 : 0);
        // The reset mode shows in a second wait on a set event.
        CHECK(SetEvent(h));
        CHECK_EQ(wait_one(h), WAIT_OBJECT_0);
        CHECK_EQ(wait_one(h), manual ? WAIT_OBJECT_0 : WAIT_TIMEOUT);
        CloseHandle(h);
      }
    }
  }
}

// Any non-zero BOOL asks for manual reset and the signaled state.
TEST(CreateEvent, AnyNonZeroBoolIsTrue) {
  HANDLE h = CreateEventA(nullptr, 2, -1, nullptr);
  REQUIRE(h != nullptr);
  CHECK_EQ(wait_one(h), WAIT_OBJECT_0);
  CHECK_EQ(wait_one(h), WAIT_OBJECT_0);
  CloseHandle(h);
}

// Windows' CreateEventEx refuses flag bits other than
// CREATE_EVENT_MANUAL_RESET and CREATE_EVENT_INITIAL_SET, before it looks at
// the name.
TEST(CreateEventEx, UnknownFlagsAreInvalidParameter) {
  for (DWORD flags : {DWORD{4}, DWORD{0x80000000}, DWORD{0xFFFFFFFF}}) {
    NOTE(flags);
    for (int form = 0; form < 3; ++form) {
      NOTE(form);
      SetLastError(untouched_error);
      HANDLE h = form == 0   ? CreateEventExA(nullptr, nullptr, flags, EVENT_ALL_ACCESS)
                 : form == 1 ? CreateEventExW(nullptr, nullptr, flags, EVENT_ALL_ACCESS)
                             : CreateEventExA(nullptr, "a\\b", flags, EVENT_ALL_ACCESS);
      CHECK_EQ(h, nullptr);
      CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
      if (h) CloseHandle(h);
    }
  }
}

// kernel32 converts an A name before anything else.
TEST(CreateEventEx, ATooLongANameIsReportedFirst) {
  const std::string name(MAX_PATH, 'n');
  SetLastError(untouched_error);
  CHECK_EQ(CreateEventExA(nullptr, name.c_str(), 4, EVENT_ALL_ACCESS), nullptr);
  CHECK_EQ(GetLastError(), ERROR_FILENAME_EXCED_RANGE);
}

TEST(CreateEvent, EmptyNameMakesAnUnnamedObject) {
  SetLastError(untouched_error);
  HANDLE a = CreateEventA(nullptr, TRUE, FALSE, "");
  REQUIRE(a != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  HANDLE b = CreateEventA(nullptr, TRUE, FALSE, "");
  REQUIRE(b != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK(SetEvent(a));
  CHECK_EQ(signaled_of(b), 0);
  CloseHandle(a);
  CloseHandle(b);
}

TEST(CreateEvent, InheritFlagComesFromTheSecurityAttributes) {
  SECURITY_ATTRIBUTES sa{static_cast<DWORD>(sizeof(sa)), nullptr, TRUE};
  struct made {
    HANDLE h;
    DWORD flags;
  };
  for (made m : {made{CreateEventA(&sa, FALSE, FALSE, nullptr), HANDLE_FLAG_INHERIT},
                 made{CreateEventExW(nullptr, nullptr, 0, EVENT_ALL_ACCESS), 0}}) {
    NOTE(m.flags);
    DWORD flags = untouched_error;
    CHECK(GetHandleInformation(m.h, &flags));
    CHECK_EQ(flags, m.flags);
    CloseHandle(m.h);
  }
}

// ---- SetEvent and ResetEvent ----

// Both succeed whatever the state, leave the last error untouched, and
// leave the event in the state they name.
TEST(SetEvent, SetAndResetSucceedInEveryState) {
  for (bool manual : {false, true}) {
    NOTE(manual);
    event e(manual, false);
    CHECK_EQ(reset_event(e), TRUE);  // already reset
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(signaled_of(e), 0);
    CHECK_EQ(set_event(e), TRUE);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(signaled_of(e), 1);
    CHECK_EQ(set_event(e), TRUE);  // already set
    CHECK_EQ(signaled_of(e), 1);
    CHECK_EQ(reset_event(e), TRUE);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(signaled_of(e), 0);
  }
}

TEST(SetEvent, BadOrClosedHandleIsInvalidHandle) {
  HANDLE closed = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  CloseHandle(closed);
  for (HANDLE bad : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234)}) {
    NOTE(bad);
    CHECK_EQ(set_event(bad), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(reset_event(bad), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

// A semaphore is not an event, nor an event a semaphore; the type is checked
// before the rights (a handle with none still reports the wrong type).
TEST(SetEvent, AnotherTypeIsInvalidHandle) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE s_no_rights = CreateSemaphoreExA(nullptr, 0, 1, nullptr, 0, 0);
  for (HANDLE h : {s, s_no_rights}) {
    NOTE(h);
    CHECK_EQ(set_event(h), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(reset_event(h), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
  CHECK_EQ(count_of(s), 0);
  HANDLE e = CreateEventA(nullptr, FALSE, TRUE, nullptr);
  HANDLE e_no_rights = CreateEventExA(nullptr, nullptr, CREATE_EVENT_INITIAL_SET, 0);
  for (HANDLE h : {e, e_no_rights}) {
    NOTE(h);
    SetLastError(untouched_error);
    LONG previous = untouched_long;
    CHECK_EQ(ReleaseSemaphore(h, 1, &previous), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(previous, untouched_long);
  }
  CHECK_EQ(signaled_of(e), 1);
  for (HANDLE h : {s, s_no_rights, e, e_no_rights}) CloseHandle(h);
}

// DuplicateHandle maps generic rights as Windows maps them for events.
TEST(DuplicateHandle, GenericRightsMapAsAnEventsRights) {
  event manual(true, false);
  HANDLE writer = nullptr, runner = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), manual, GetCurrentProcess(), &writer,
                          GENERIC_WRITE, FALSE, 0));
  REQUIRE(DuplicateHandle(GetCurrentProcess(), manual, GetCurrentProcess(), &runner,
                          GENERIC_EXECUTE, FALSE, 0));
  CHECK_EQ(set_event(writer), TRUE);
  CHECK_EQ(wait_one(writer), WAIT_FAILED);
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CHECK_EQ(wait_one(runner), WAIT_OBJECT_0);
  CHECK_EQ(reset_event(runner), FALSE);
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CHECK_EQ(signaled_of(manual), 1);
  CloseHandle(writer);
  CloseHandle(runner);
}

// ---- Names ----

TEST(NamedEvent, AnExistingNameOpensTheObjectAndIgnoresTheArguments) {
  const std::string name = fresh_name("event-exists");
  SetLastError(untouched_error);
  HANDLE first = CreateEventA(nullptr, TRUE, TRUE, name.c_str());
  REQUIRE(first != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  // Auto reset and not signaled, asked for in vain: the object stays a
  // signaled manual-reset event.
  SetLastError(untouched_error);
  HANDLE second = CreateEventA(nullptr, FALSE, FALSE, name.c_str());
  REQUIRE(second != nullptr);
  CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
  CHECK_NE(second, first);
  CHECK_EQ(wait_one(second), WAIT_OBJECT_0);
  CHECK_EQ(wait_one(second), WAIT_OBJECT_0);
  // One object: a reset through one handle shows through the other.
  CHECK(ResetEvent(second));
  CHECK_EQ(signaled_of(first), 0);
  CloseHandle(first);
  CloseHandle(second);
}

TEST(OpenEvent, FindsTheObjectAndChecksNameAndAccess) {
  const std::string name = fresh_name("event-open");
  HANDLE h = CreateEventA(nullptr, FALSE, FALSE, name.c_str());
  REQUIRE(h != nullptr);
  SetLastError(untouched_error);
  HANDLE opened = OpenEventA(EVENT_MODIFY_STATE, FALSE, name.c_str());
  REQUIRE(opened != nullptr);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(set_event(opened), TRUE);
  CHECK_EQ(signaled_of(h), 1);
  CHECK_EQ(wait_one(opened), WAIT_FAILED);  // no SYNCHRONIZE
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CloseHandle(opened);

  const std::string missing = fresh_name("event-missing");
  SetLastError(untouched_error);
  CHECK_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, missing.c_str()), nullptr);
  CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
  SetLastError(untouched_error);
  CHECK_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, nullptr), nullptr);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(untouched_error);
  CHECK_EQ(OpenEventW(EVENT_ALL_ACCESS, FALSE, nullptr), nullptr);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(untouched_error);
  CHECK_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, ""), nullptr);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CloseHandle(h);
}

// The access check refuses a request for no rights at all on an existing
// object; a new object's creator may ask for none.
TEST(OpenEvent, NoRightsAtAllIsAccessDenied) {
  const std::string name = fresh_name("event-no-rights");
  SetLastError(untouched_error);
  HANDLE h = CreateEventExA(nullptr, name.c_str(), 0, 0);
  REQUIRE(h != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  SetLastError(untouched_error);
  HANDLE opened = OpenEventA(0, FALSE, name.c_str());
  CHECK_EQ(opened, nullptr);
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  SetLastError(untouched_error);
  HANDLE created = CreateEventExA(nullptr, name.c_str(), 0, 0);
  CHECK_EQ(created, nullptr);
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  for (HANDLE x : {h, opened, created})
    if (x) CloseHandle(x);
}

TEST(NamedEvent, AAndWNamesAndLocalPrefixReachTheSameObject) {
  const std::string name = fresh_name("event-scopes");
  HANDLE plain = CreateEventA(nullptr, TRUE, FALSE, name.c_str());
  REQUIRE(plain != nullptr);
  SetLastError(untouched_error);
  HANDLE local = CreateEventA(nullptr, TRUE, FALSE, ("Local\\" + name).c_str());
  CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
  std::vector<WCHAR> wide_name;
  for (char c : name) wide_name.push_back(static_cast<WCHAR>(c));
  wide_name.push_back(0);
  HANDLE by_w = OpenEventW(SYNCHRONIZE, FALSE, wide_name.data());
  REQUIRE(by_w != nullptr);
  SetLastError(untouched_error);
  HANDLE global = CreateEventA(nullptr, TRUE, FALSE, ("Global\\" + name).c_str());
  REQUIRE(global != nullptr);
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);
  CHECK(SetEvent(local));
  CHECK_EQ(wait_one(by_w), WAIT_OBJECT_0);
  CHECK_EQ(signaled_of(plain), 1);
  CHECK_EQ(signaled_of(global), 0);
  for (HANDLE h : {plain, local, by_w, global}) CloseHandle(h);
}

TEST(NamedEvent, BadNamesFailWithTheWindowsError) {
  struct bad_name {
    const char* name;
    DWORD error;
  };
  for (bad_name b : {bad_name{"a\\b", ERROR_PATH_NOT_FOUND}, bad_name{"Global\\", ERROR_INVALID_NAME},
                     bad_name{"Local\\", ERROR_INVALID_NAME}}) {
    NOTE(b.name);
    SetLastError(untouched_error);
    CHECK_EQ(CreateEventA(nullptr, FALSE, FALSE, b.name), nullptr);
    CHECK_EQ(GetLastError(), b.error);
    SetLastError(untouched_error);
    CHECK_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, b.name), nullptr);
    CHECK_EQ(GetLastError(), b.error);
  }
}

// Semaphores and events share the namespace: a name held by one type is
// ERROR_INVALID_HANDLE for the other, whatever access is asked for.
TEST(NamedEvent, ANameOfAnotherTypeIsInvalidHandleBothWays) {
  const std::string sem_name = fresh_name("held-by-semaphore");
  const std::string event_name = fresh_name("held-by-event");
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, sem_name.c_str());
  HANDLE e = CreateEventA(nullptr, FALSE, TRUE, event_name.c_str());
  REQUIRE(s != nullptr);
  REQUIRE(e != nullptr);
  const auto check_refused = [](HANDLE h) {
    CHECK_EQ(h, nullptr);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    if (h) CloseHandle(h);
  };
  SetLastError(untouched_error);
  check_refused(CreateEventA(nullptr, FALSE, FALSE, sem_name.c_str()));
  SetLastError(untouched_error);
  check_refused(CreateEventExA(nullptr, sem_name.c_str(), 0, 0));
  SetLastError(untouched_error);
  check_refused(OpenEventA(EVENT_ALL_ACCESS, FALSE, sem_name.c_str()));
  SetLastError(untouched_error);
  check_refused(CreateSemaphoreA(nullptr, 0, 1, event_name.c_str()));
  SetLastError(untouched_error);
  check_refused(CreateSemaphoreExA(nullptr, 0, 1, event_name.c_str(), 0, 0));
  SetLastError(untouched_error);
  check_refused(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, event_name.c_str()));
  CHECK_EQ(count_of(s), 1);
  CHECK_EQ(signaled_of(e), 1);
  CloseHandle(s);
  CloseHandle(e);
}

// ---- Waiting ----

TEST(WaitForSingleObject, AnAutoResetEventSatisfiesOneWaitAManualOneEvery) {
  event automatic(false, true), manual(true, true), unset(false, false);
  CHECK_EQ(wait_one(automatic), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(wait_one(automatic), WAIT_TIMEOUT);
  CHECK_EQ(GetLastError(), untouched_error);
  for (int i = 0; i < 3; ++i) CHECK_EQ(wait_one(manual), WAIT_OBJECT_0);
  CHECK_EQ(wait_one(unset, 10), WAIT_TIMEOUT);
  CHECK_EQ(signaled_of({automatic, manual, unset}), (std::vector<int>{0, 1, 0}));
}

// Wait-any takes the lowest index that can be satisfied, whatever its type,
// and changes only that object.
TEST(WaitAny, MixedObjectsGiveTheLowestSignaledIndex) {
  HANDLE empty_sem = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE full_sem = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  event unset(false, false), manual(true, true), automatic(false, true);
  const std::vector<HANDLE> h{empty_sem, unset, manual, full_sem, automatic};
  CHECK_EQ(wait_multiple(h, FALSE), WAIT_OBJECT_0 + 2);
  CHECK_EQ(wait_multiple(h, FALSE), WAIT_OBJECT_0 + 2);  // manual reset: still set
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(count_of(full_sem), 1);
  CHECK_EQ(signaled_of(automatic), 1);
  CHECK(ResetEvent(manual));
  CHECK_EQ(wait_multiple(h, FALSE), WAIT_OBJECT_0 + 3);
  CHECK_EQ(signaled_of(automatic), 1);
  CHECK_EQ(wait_multiple(h, FALSE), WAIT_OBJECT_0 + 4);
  CHECK_EQ(signaled_of(automatic), 0);
  CHECK_EQ(wait_multiple(h, FALSE), WAIT_TIMEOUT);
  CHECK(SetEvent(unset));
  CHECK_EQ(wait_multiple(h, FALSE), WAIT_OBJECT_0 + 1);
  CHECK_EQ(signaled_of(unset), 0);
  CHECK_EQ(counts_of({empty_sem, full_sem}), (std::vector<LONG>{0, 0}));
  CloseHandle(empty_sem);
  CloseHandle(full_sem);
}

// Wait-all takes a semaphore unit and an auto-reset event's signal together,
// or neither.
TEST(WaitAll, ASemaphoreAndAnAutoResetEventAreTakenTogether) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  event automatic(false, false), manual(true, true);
  const std::vector<HANDLE> pair{s, automatic};
  CHECK_EQ(wait_multiple(pair, TRUE), WAIT_TIMEOUT);
  CHECK_EQ(count_of(s), 1);
  CHECK(SetEvent(automatic));
  CHECK_EQ(wait_multiple(pair, TRUE), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(count_of(s), 0);
  CHECK_EQ(signaled_of(automatic), 0);
  // A manual-reset event stays set through a wait-all.
  CHECK(ReleaseSemaphore(s, 1, nullptr));
  const std::vector<HANDLE> with_manual{manual, s};
  CHECK_EQ(wait_multiple(with_manual, TRUE), WAIT_OBJECT_0);
  CHECK_EQ(count_of(s), 0);
  CHECK_EQ(signaled_of(manual), 1);
  CHECK_EQ(wait_multiple(with_manual, TRUE), WAIT_TIMEOUT);
  CHECK_EQ(signaled_of(manual), 1);
  CloseHandle(s);
}

// ---- Threads ----

// SetEvent on an auto-reset event satisfies one blocked thread; the event is
// reset by that wait, and the other thread stays blocked until the next set.
TEST(EventThreads, AnAutoResetEventReleasesOneWaiterAtATime) {
  event automatic(false, false);
  waiting_thread a([&] { return WaitForSingleObject(automatic, INFINITE); });
  waiting_thread b([&] { return WaitForSingleObject(automatic, INFINITE); });
  a.wait_until_probably_blocked();
  b.wait_until_probably_blocked();
  CHECK(SetEvent(automatic));
  REQUIRE(eventually([&] { return a.result() != untouched_error || b.result() != untouched_error; }));
  let_others_run();
  const bool a_first = a.result() != untouched_error;
  waiting_thread& first = a_first ? a : b;
  waiting_thread& second = a_first ? b : a;
  CHECK_EQ(first.result(), WAIT_OBJECT_0);
  CHECK_EQ(second.result(), untouched_error);  // still blocked
  CHECK_EQ(signaled_of(automatic), 0);
  CHECK(SetEvent(automatic));
  CHECK_EQ(second.join(), WAIT_OBJECT_0);
  CHECK_EQ(signaled_of(automatic), 0);
}

TEST(EventThreads, AManualResetEventReleasesEveryWaiterAndStaysSet) {
  event manual(true, false);
  std::vector<std::unique_ptr<waiting_thread>> waiters;
  for (int i = 0; i < 3; ++i)
    waiters.push_back(std::make_unique<waiting_thread>(
        [&] { return WaitForSingleObject(manual, INFINITE); }));
  for (auto& w : waiters) w->wait_until_probably_blocked();
  CHECK(SetEvent(manual));
  for (auto& w : waiters) CHECK_EQ(w->join(), WAIT_OBJECT_0);
  CHECK_EQ(signaled_of(manual), 1);
}

// A thread blocked in a wait-any or a wait-all is satisfied by SetEvent, and
// takes the signal of an auto-reset event.
TEST(EventThreads, SetEventSatisfiesBlockedMultipleObjectWaits) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE empty = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  event for_any(false, false), for_all(false, false);
  const HANDLE any_set[] = {empty, for_any};
  const HANDLE all_set[] = {s, for_all};
  waiting_thread any([&] { return WaitForMultipleObjects(2, any_set, FALSE, INFINITE); });
  waiting_thread all([&] { return WaitForMultipleObjects(2, all_set, TRUE, INFINITE); });
  any.wait_until_probably_blocked();
  all.wait_until_probably_blocked();
  CHECK_EQ(count_of(s), 1);  // a blocked wait-all takes nothing
  CHECK(SetEvent(for_any));
  CHECK_EQ(any.join(), WAIT_OBJECT_0 + 1);
  CHECK(SetEvent(for_all));
  CHECK_EQ(all.join(), WAIT_OBJECT_0);
  CHECK_EQ(signaled_of({for_any, for_all}), (std::vector<int>{0, 0}));
  CHECK_EQ(counts_of({s, empty}), (std::vector<LONG>{0, 0}));
  CloseHandle(s);
  CloseHandle(empty);
}

}  // namespace
