// Events, white-box: the native calls' NTSTATUS results, the whole state read
// through NtQueryEvent after every call, waiter counts, and the files of
// named events.  (The Win32 behaviour as Windows shows it, also run under
// Wine: tests/conformance/event_test.cpp.)
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <ntsem/sddl.h>
#include <ntsem/winternl.h>

#include "shm/named_file.hpp"
#include "support/event_state.hpp"
#include "support/named_objects.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::auto_reset;
using ntsem::test::auto_set;
using ntsem::test::event_state_of;
using ntsem::test::eventually;
using ntsem::test::file_of;
using ntsem::test::let_others_run;
using ntsem::test::manual_reset;
using ntsem::test::manual_set;
using ntsem::test::queue_length;
using ntsem::test::unique_name;
using ntsem::test::untouched_error;
using ntsem::test::untouched_long;

// An EVENT_TYPE of any value, as a C caller may pass it (the enum's range
// is 0..1, so a cast would be unspecified).
EVENT_TYPE raw_event_type(int value) {
  EVENT_TYPE type;
  static_assert(sizeof type == sizeof value);
  std::memcpy(&type, &value, sizeof type);
  return type;
}

// Filled with a byte no call writes, so "not written" shows.
EVENT_BASIC_INFORMATION untouched_info() {
  EVENT_BASIC_INFORMATION info;
  std::memset(&info, 0x5E, sizeof info);
  return info;
}
constexpr LONG untouched_state = 0x5E5E5E5E;

HANDLE nt_event(EVENT_TYPE type, bool initial, ACCESS_MASK access = EVENT_ALL_ACCESS) {
  HANDLE h = nullptr;
  EXPECT_EQ(NtCreateEvent(&h, access, nullptr, type, initial ? TRUE : FALSE), STATUS_SUCCESS);
  return h;
}

// OBJECT_ATTRIBUTES for a name, as kernel32 passes it.
class object_name {
 public:
  explicit object_name(const std::string& name, ULONG attributes = 0)
      : wide_(name.begin(), name.end()),
        string_{static_cast<WORD>(wide_.size() * 2), static_cast<WORD>(wide_.size() * 2),
                wide_.data()},
        attributes_{sizeof(OBJECT_ATTRIBUTES), nullptr, &string_, attributes, nullptr, nullptr} {}
  object_name(const object_name&) = delete;
  object_name& operator=(const object_name&) = delete;
  POBJECT_ATTRIBUTES get() { return &attributes_; }
  void set_attributes(ULONG attributes) { attributes_.Attributes = attributes; }

 private:
  std::u16string wide_;
  UNICODE_STRING string_;
  OBJECT_ATTRIBUTES attributes_;
};

// ---- NtCreateEvent ----

TEST(NtCreateEvent, MakesTheEventAskedFor) {
  for (EVENT_TYPE type : {NotificationEvent, SynchronizationEvent}) {
    for (BOOLEAN initial : {BOOLEAN{0}, BOOLEAN{1}, BOOLEAN{0x80}}) {
      HANDLE h = nullptr;
      ASSERT_EQ(NtCreateEvent(&h, EVENT_ALL_ACCESS, nullptr, type, initial), STATUS_SUCCESS);
      EXPECT_EQ(event_state_of(h), (ntsem::test::event_state{type, initial ? 1 : 0}));
      EXPECT_EQ(NtClose(h), STATUS_SUCCESS);
    }
  }
}

// The event type is checked first: before the out pointer's use, the
// descriptor and the name.
TEST(NtCreateEvent, AnotherEventTypeIsInvalidParameter) {
  HANDLE h = reinterpret_cast<HANDLE>(0x77);
  for (int type : {2, -1, 0x100}) {
    EXPECT_EQ(NtCreateEvent(&h, EVENT_ALL_ACCESS, nullptr, raw_event_type(type), 0),
              STATUS_INVALID_PARAMETER)
        << type;
  }
  SECURITY_DESCRIPTOR sd;
  ASSERT_TRUE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  sd.Revision = 2;
  object_name bad("a\\b");
  bad.get()->SecurityDescriptor = &sd;
  EXPECT_EQ(NtCreateEvent(&h, EVENT_ALL_ACCESS, bad.get(), raw_event_type(2), 0),
            STATUS_INVALID_PARAMETER);
  EXPECT_EQ(NtCreateEvent(&h, EVENT_ALL_ACCESS, bad.get(), NotificationEvent, 0),
            STATUS_UNKNOWN_REVISION);
  EXPECT_EQ(h, reinterpret_cast<HANDLE>(0x77));
  EXPECT_EQ(NtCreateEvent(nullptr, EVENT_ALL_ACCESS, nullptr, NotificationEvent, 0),
            STATUS_ACCESS_VIOLATION);
}

TEST(NtCreateEvent, AnExistingNameNeedsOpenIfAndAnotherTypeIsAMismatch) {
  const std::string name = unique_name("nt-event-openif");
  object_name attributes(name);
  HANDLE first = nullptr, second = reinterpret_cast<HANDLE>(0x77);
  ASSERT_EQ(NtCreateEvent(&first, EVENT_ALL_ACCESS, attributes.get(), NotificationEvent, 1),
            STATUS_SUCCESS);
  EXPECT_EQ(NtCreateEvent(&second, EVENT_ALL_ACCESS, attributes.get(), SynchronizationEvent, 0),
            STATUS_OBJECT_NAME_COLLISION);
  EXPECT_EQ(second, reinterpret_cast<HANDLE>(0x77));
  attributes.set_attributes(OBJ_OPENIF);
  EXPECT_EQ(NtCreateEvent(&second, EVENT_ALL_ACCESS, attributes.get(), SynchronizationEvent, 0),
            STATUS_OBJECT_NAME_EXISTS);
  EXPECT_EQ(event_state_of(second), manual_set);  // the existing object's
  HANDLE opened = nullptr;
  EXPECT_EQ(NtOpenEvent(&opened, SYNCHRONIZE, attributes.get()), STATUS_SUCCESS);
  EXPECT_EQ(NtWaitForSingleObject(opened, FALSE, nullptr), STATUS_WAIT_0);

  // The semaphore calls on the event's name, and the event calls on a
  // semaphore's, meet a name of another type.
  HANDLE other = reinterpret_cast<HANDLE>(0x77);
  EXPECT_EQ(NtCreateSemaphore(&other, SEMAPHORE_ALL_ACCESS, attributes.get(), 0, 1),
            STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(NtOpenSemaphore(&other, SEMAPHORE_ALL_ACCESS, attributes.get()),
            STATUS_OBJECT_TYPE_MISMATCH);
  object_name semaphore_name(unique_name("nt-semaphore-not-event"), OBJ_OPENIF);
  HANDLE s = nullptr;
  ASSERT_EQ(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, semaphore_name.get(), 1, 1),
            STATUS_SUCCESS);
  EXPECT_EQ(NtCreateEvent(&other, EVENT_ALL_ACCESS, semaphore_name.get(), NotificationEvent, 0),
            STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(NtOpenEvent(&other, EVENT_ALL_ACCESS, semaphore_name.get()),
            STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(other, reinterpret_cast<HANDLE>(0x77));
  for (HANDLE h : {first, second, opened, s}) NtClose(h);
}

TEST(NtOpenEvent, ChecksItsArguments) {
  HANDLE h = reinterpret_cast<HANDLE>(0x77);
  object_name missing(unique_name("nt-event-missing"));
  EXPECT_EQ(NtOpenEvent(&h, EVENT_ALL_ACCESS, missing.get()), STATUS_OBJECT_NAME_NOT_FOUND);
  EXPECT_EQ(NtOpenEvent(&h, EVENT_ALL_ACCESS, nullptr), STATUS_ACCESS_VIOLATION);
  EXPECT_EQ(NtOpenEvent(nullptr, EVENT_ALL_ACCESS, missing.get()), STATUS_ACCESS_VIOLATION);
  EXPECT_EQ(h, reinterpret_cast<HANDLE>(0x77));
}

// ---- NtSetEvent, NtResetEvent, NtClearEvent, NtPulseEvent ----

// The previous state is 1 if the event was signaled before the call, else 0,
// for either reset mode.
TEST(NtSetEvent, ReportThePreviousState) {
  for (EVENT_TYPE type : {NotificationEvent, SynchronizationEvent}) {
    SCOPED_TRACE(type);
    HANDLE h = nt_event(type, false);
    LONG previous = untouched_long;
    EXPECT_EQ(NtResetEvent(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 0);
    EXPECT_EQ(NtSetEvent(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 0);
    EXPECT_EQ(NtSetEvent(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    EXPECT_EQ(event_state_of(h), (ntsem::test::event_state{type, 1}));
    EXPECT_EQ(NtResetEvent(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    EXPECT_EQ(NtSetEvent(h, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(NtClearEvent(h), STATUS_SUCCESS);
    EXPECT_EQ(event_state_of(h), (ntsem::test::event_state{type, 0}));
    EXPECT_EQ(NtResetEvent(h, nullptr), STATUS_SUCCESS);
    // A pulse reports the state before it and leaves the event reset.
    EXPECT_EQ(NtPulseEvent(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 0);
    EXPECT_EQ(NtSetEvent(h, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(NtPulseEvent(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    EXPECT_EQ(event_state_of(h), (ntsem::test::event_state{type, 0}));
    EXPECT_EQ(NtPulseEvent(h, nullptr), STATUS_SUCCESS);
    NtClose(h);
  }
}

// Bad handle, then wrong type, then missing right; the previous state is
// written only on success.
TEST(NtSetEvent, ChecksHandleTypeAndRightInThatOrder) {
  HANDLE closed = nt_event(NotificationEvent, false);
  NtClose(closed);
  HANDLE s = nullptr;
  ASSERT_EQ(NtCreateSemaphore(&s, 0, nullptr, 1, 1), STATUS_SUCCESS);  // no rights at all
  HANDLE sync_only = nt_event(NotificationEvent, false, SYNCHRONIZE);
  struct bad_case {
    HANDLE h;
    NTSTATUS expected;
  };
  for (bad_case c : {bad_case{nullptr, STATUS_INVALID_HANDLE},
                     bad_case{closed, STATUS_INVALID_HANDLE},
                     bad_case{s, STATUS_OBJECT_TYPE_MISMATCH},
                     bad_case{sync_only, STATUS_ACCESS_DENIED}}) {
    LONG previous = untouched_long;
    EXPECT_EQ(NtSetEvent(c.h, &previous), c.expected);
    EXPECT_EQ(NtResetEvent(c.h, &previous), c.expected);
    EXPECT_EQ(NtClearEvent(c.h), c.expected);
    EXPECT_EQ(NtPulseEvent(c.h, &previous), c.expected);
    EXPECT_EQ(previous, untouched_long);
  }
  EXPECT_EQ(event_state_of(sync_only), manual_reset);
  EXPECT_EQ(ntsem::test::count_of(s), 1);
  // The semaphore calls refuse an event the same way.
  EXPECT_EQ(NtReleaseSemaphore(sync_only, 1, nullptr), STATUS_OBJECT_TYPE_MISMATCH);
  SEMAPHORE_BASIC_INFORMATION info{};
  EXPECT_EQ(NtQuerySemaphore(sync_only, SemaphoreBasicInformation, &info, sizeof(info), nullptr),
            STATUS_OBJECT_TYPE_MISMATCH);
  NtClose(s);
  NtClose(sync_only);
}

// ---- NtQueryEvent ----

TEST(NtQueryEvent, BasicInformation) {
  HANDLE h = nt_event(SynchronizationEvent, true);
  EVENT_BASIC_INFORMATION info = untouched_info();
  ULONG length = 12345;
  EXPECT_EQ(NtQueryEvent(h, EventBasicInformation, &info, sizeof(info), &length), STATUS_SUCCESS);
  EXPECT_EQ(info.EventType, SynchronizationEvent);
  EXPECT_EQ(info.EventState, 1);
  EXPECT_EQ(length, sizeof(info));
  NtClose(h);
}

TEST(NtQueryEvent, WrongClassLengthHandleOrType) {
  HANDLE h = nt_event(NotificationEvent, true);
  struct {
    EVENT_BASIC_INFORMATION info;
    LONG extra;
  } buffer{untouched_info(), untouched_long};
  ULONG length = 12345;
  for (ULONG size : {ULONG{0}, ULONG{4}, ULONG{12}}) {
    EXPECT_EQ(NtQueryEvent(h, EventBasicInformation, &buffer, size, &length),
              STATUS_INFO_LENGTH_MISMATCH)
        << size;
  }
  EXPECT_EQ(NtQueryEvent(h, static_cast<EVENT_INFORMATION_CLASS>(1), &buffer,
                         sizeof(buffer.info), &length),
            STATUS_INVALID_INFO_CLASS);
  EXPECT_EQ(NtQueryEvent(nullptr, EventBasicInformation, &buffer, sizeof(buffer.info), &length),
            STATUS_INVALID_HANDLE);
  HANDLE s = nullptr;
  ASSERT_EQ(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, nullptr, 1, 1), STATUS_SUCCESS);
  EXPECT_EQ(NtQueryEvent(s, EventBasicInformation, &buffer, sizeof(buffer.info), &length),
            STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(length, 12345u);
  EXPECT_EQ(buffer.info.EventState, untouched_state);
  NtClose(s);
  NtClose(h);
}

// Which handles may query: EVENT_QUERY_STATE, and the generic rights that map
// to it.
TEST(NtQueryEvent, NeedsTheQueryRight) {
  struct access_case {
    ACCESS_MASK access;
    NTSTATUS expected;
  };
  for (access_case c : {access_case{0, STATUS_ACCESS_DENIED},
                        access_case{EVENT_MODIFY_STATE, STATUS_ACCESS_DENIED},
                        access_case{SYNCHRONIZE, STATUS_ACCESS_DENIED},
                        access_case{GENERIC_WRITE, STATUS_ACCESS_DENIED},
                        access_case{GENERIC_EXECUTE, STATUS_ACCESS_DENIED},
                        access_case{EVENT_QUERY_STATE, STATUS_SUCCESS},
                        access_case{GENERIC_READ, STATUS_SUCCESS},
                        access_case{GENERIC_ALL, STATUS_SUCCESS},
                        access_case{MAXIMUM_ALLOWED, STATUS_SUCCESS}}) {
    HANDLE h = nt_event(NotificationEvent, true, c.access);
    EVENT_BASIC_INFORMATION info = untouched_info();
    EXPECT_EQ(NtQueryEvent(h, EventBasicInformation, &info, sizeof(info), nullptr), c.expected)
        << std::hex << c.access;
    EXPECT_EQ(info.EventState, c.expected == STATUS_SUCCESS ? 1 : untouched_state);
    NtClose(h);
  }
}

// ---- Win32 calls, with the whole state read after each ----

TEST(EventState, EveryCallLeavesTheStateItNames) {
  HANDLE a = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  HANDLE m = CreateEventW(nullptr, TRUE, TRUE, nullptr);
  EXPECT_EQ(event_state_of(a), auto_reset);
  EXPECT_EQ(event_state_of(m), manual_set);
  EXPECT_TRUE(SetEvent(a));
  EXPECT_EQ(event_state_of(a), auto_set);
  EXPECT_EQ(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
  EXPECT_EQ(event_state_of(a), auto_reset);
  EXPECT_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
  EXPECT_EQ(event_state_of(m), manual_set);
  EXPECT_TRUE(ResetEvent(m));
  EXPECT_EQ(event_state_of(m), manual_reset);
  EXPECT_TRUE(ResetEvent(m));
  EXPECT_EQ(event_state_of(m), manual_reset);
  EXPECT_EQ(WaitForSingleObject(m, 0), WAIT_TIMEOUT);
  // A failed call changes nothing.
  HANDLE no_modify = CreateEventExA(nullptr, nullptr, CREATE_EVENT_INITIAL_SET, SYNCHRONIZE);
  SetLastError(untouched_error);
  EXPECT_FALSE(ResetEvent(no_modify));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  EXPECT_EQ(event_state_of(no_modify), auto_set);
  for (HANDLE h : {a, m, no_modify}) CloseHandle(h);
}

TEST(EventState, WaitAnyAndWaitAllChangeOnlyWhatTheyTake) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE a = CreateEventA(nullptr, FALSE, TRUE, nullptr);
  HANDLE m = CreateEventA(nullptr, TRUE, TRUE, nullptr);
  const HANDLE any[] = {m, a, s};
  EXPECT_EQ(WaitForMultipleObjects(3, any, FALSE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(event_state_of(m), manual_set);
  EXPECT_EQ(event_state_of(a), auto_set);
  EXPECT_EQ(ntsem::test::count_of(s), 1);
  EXPECT_EQ(WaitForMultipleObjects(3, any, TRUE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(event_state_of(m), manual_set);
  EXPECT_EQ(event_state_of(a), auto_reset);
  EXPECT_EQ(ntsem::test::count_of(s), 0);
  EXPECT_EQ(WaitForMultipleObjects(3, any, TRUE, 0), WAIT_TIMEOUT);
  // The same event twice in a wait-all is refused, as for any object.
  const HANDLE twice[] = {m, m};
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForMultipleObjects(2, twice, TRUE, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(WaitForMultipleObjects(2, twice, FALSE, 0), WAIT_OBJECT_0);
  for (HANDLE h : {s, a, m}) CloseHandle(h);
}

// ---- Blocked threads, counted in the object's waiter counts ----

// Two threads blocked on an auto-reset event: one SetEvent releases exactly
// one of them, and the other is still counted as a sleeper.
TEST(EventWaiters, SetOnAnAutoResetEventReleasesExactlyOneSleeper) {
  HANDLE a = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  std::atomic<int> released{0};
  auto waiter = [&] {
    EXPECT_EQ(WaitForSingleObject(a, INFINITE), WAIT_OBJECT_0);
    ++released;
  };
  std::thread first(waiter), second(waiter);
  ASSERT_TRUE(eventually([&] { return queue_length(a) == 2; }));
  EXPECT_TRUE(SetEvent(a));
  ASSERT_TRUE(eventually([&] { return released == 1; }));
  ASSERT_TRUE(eventually([&] { return queue_length(a) == 1; }));
  let_others_run();
  EXPECT_EQ(released, 1);
  EXPECT_EQ(event_state_of(a), auto_reset);
  EXPECT_TRUE(SetEvent(a));
  first.join();
  second.join();
  EXPECT_EQ(released, 2);
  EXPECT_EQ(queue_length(a), 0u);
  EXPECT_EQ(event_state_of(a), auto_reset);
  CloseHandle(a);
}

TEST(EventWaiters, SetOnAManualResetEventReleasesEverySleeper) {
  HANDLE m = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  HANDLE never = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::thread singles[2], multi([&] {
    const HANDLE set[] = {never, m};
    EXPECT_EQ(WaitForMultipleObjects(2, set, FALSE, INFINITE), WAIT_OBJECT_0 + 1);
  });
  for (std::thread& t : singles)
    t = std::thread([&] { EXPECT_EQ(WaitForSingleObject(m, INFINITE), WAIT_OBJECT_0); });
  ASSERT_TRUE(eventually([&] {
    // A wait-any queues on each of its objects like a single wait.
    return queue_length(m) == 3 && queue_length(never) == 1;
  }));
  EXPECT_TRUE(SetEvent(m));
  for (std::thread& t : singles) t.join();
  multi.join();
  EXPECT_EQ(event_state_of(m), manual_set);
  EXPECT_EQ(queue_length(m), 0u);
  EXPECT_EQ(queue_length(never), 0u);
  CloseHandle(m);
  CloseHandle(never);
}

// ---- PulseEvent ----
// One step under the event's queue lock: the waits queued at that moment are
// satisfied (all, or the oldest for an auto-reset event) and the event is
// stored reset, so no thread ever sees it signaled.

TEST(PulseEvent, ReleasesEveryQueuedWaiterOfAManualResetEventAndLeavesItReset) {
  HANDLE m = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  std::atomic<int> released{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i)
    waiters.emplace_back([&] {
      EXPECT_EQ(WaitForSingleObject(m, 60000), WAIT_OBJECT_0);
      released.fetch_add(1);
    });
  ASSERT_TRUE(eventually([&] { return queue_length(m) == 3; }));
  SetLastError(untouched_error);
  EXPECT_TRUE(PulseEvent(m));
  EXPECT_EQ(GetLastError(), untouched_error);
  // Reset already, and nobody queued: the three waits were satisfied by the
  // pulse itself, whether or not their threads have run.
  EXPECT_EQ(event_state_of(m), manual_reset);
  EXPECT_EQ(queue_length(m), 0u);
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(released.load(), 3);
  EXPECT_EQ(WaitForSingleObject(m, 0), DWORD(WAIT_TIMEOUT));
  CloseHandle(m);
}

TEST(PulseEvent, ReleasesTheOldestWaiterOfAnAutoResetEvent) {
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  std::atomic<int> order[2] = {-1, -1};
  std::atomic<int> finished{0};
  std::thread waiters[2];
  for (int i = 0; i < 2; ++i) {
    waiters[i] = std::thread([&, i] {
      EXPECT_EQ(WaitForSingleObject(e, 60000), WAIT_OBJECT_0);
      order[finished.fetch_add(1)] = i;
    });
    ASSERT_TRUE(eventually([&] { return queue_length(e) == static_cast<std::uint32_t>(i + 1); }));
  }
  EXPECT_TRUE(PulseEvent(e));
  EXPECT_EQ(event_state_of(e), auto_reset);
  EXPECT_EQ(queue_length(e), 1u);
  ASSERT_TRUE(eventually([&] { return finished.load() == 1; }));
  EXPECT_EQ(order[0].load(), 0);
  // The pulse is spent: the second waiter needs a signal of its own.
  let_others_run();
  EXPECT_EQ(finished.load(), 1);
  EXPECT_TRUE(SetEvent(e));
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(order[1].load(), 1);
  EXPECT_EQ(event_state_of(e), auto_reset);
  CloseHandle(e);
}

// With nobody waiting a pulse is a reset, also of a signaled event.
TEST(PulseEvent, WithNobodyWaitingLeavesTheEventReset) {
  for (BOOL manual : {TRUE, FALSE}) {
    SCOPED_TRACE(manual);
    HANDLE e = CreateEventA(nullptr, manual, TRUE, nullptr);
    EXPECT_TRUE(PulseEvent(e));
    EXPECT_EQ(event_state_of(e), manual ? manual_reset : auto_reset);
    EXPECT_TRUE(PulseEvent(e));
    EXPECT_EQ(event_state_of(e), manual ? manual_reset : auto_reset);
    EXPECT_EQ(WaitForSingleObject(e, 0), DWORD(WAIT_TIMEOUT));
    CloseHandle(e);
  }
}

TEST(PulseEvent, ReleasesAWaitAnyWaiterThroughTheEvent) {
  HANDLE never = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE e = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  std::atomic<DWORD> result{0xFFFF'FFFF};
  std::thread waiter([&] {
    const HANDLE both[] = {never, e};
    result = WaitForMultipleObjects(2, both, FALSE, 60000);
  });
  ASSERT_TRUE(eventually([&] { return queue_length(e) == 1; }));
  EXPECT_TRUE(PulseEvent(e));
  waiter.join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(event_state_of(e), manual_reset);
  EXPECT_EQ(queue_length(never), 0u);
  CloseHandle(never);
  CloseHandle(e);
}

TEST(PulseEvent, FailsLikeSetEventOnABadHandleTypeOrRight) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE e = CreateEventA(nullptr, TRUE, TRUE, nullptr);
  HANDLE sync_only = nullptr;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), e, GetCurrentProcess(), &sync_only,
                              SYNCHRONIZE, FALSE, 0));
  SetLastError(0);
  EXPECT_FALSE(PulseEvent(nullptr));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  SetLastError(0);
  EXPECT_FALSE(PulseEvent(s));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  SetLastError(0);
  EXPECT_FALSE(PulseEvent(sync_only));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  EXPECT_EQ(event_state_of(e), manual_set);
  CloseHandle(sync_only);
  CloseHandle(e);
  CloseHandle(s);
}

// ---- Named events' files ----

TEST(NamedEventFile, RecordsTheEventTypeAndGoesWithTheLastHandle) {
  const std::string name = unique_name("event-file");
  HANDLE h = CreateEventA(nullptr, TRUE, FALSE, name.c_str());
  ASSERT_NE(h, nullptr);
  std::ifstream in(file_of(name), std::ios::binary);
  ntsem::shm::named_file_header header{};
  ASSERT_TRUE(in.read(reinterpret_cast<char*>(&header), sizeof header));
  EXPECT_EQ(header.type, 2u);
  CloseHandle(h);
  EXPECT_FALSE(ntsem::test::file_exists(file_of(name)));
}

// The descriptor's rights are an event's: EVENT_MODIFY_STATE and SYNCHRONIZE
// change the object (rw-), EVENT_QUERY_STATE and READ_CONTROL only read it.
int mode_of_new_event(const char* sddl) {
  return ntsem::test::mode_of_new_object(sddl, [](SECURITY_ATTRIBUTES* sa, const char* name) {
    return CreateEventA(sa, FALSE, FALSE, name);
  });
}

TEST(NamedEventFile, TheDescriptorsEventRightsDecideTheMode) {
  EXPECT_EQ(mode_of_new_event("D:(A;;GA;;;WD)"), 0666);
  EXPECT_EQ(mode_of_new_event("D:(A;;GR;;;WD)"), 0644);
  EXPECT_EQ(mode_of_new_event("D:(A;;GW;;;WD)"), 0666);
  EXPECT_EQ(mode_of_new_event("D:(A;;GX;;;WD)"), 0666);
  EXPECT_EQ(mode_of_new_event("D:(A;;0x00000002;;;WD)"), 0666);  // EVENT_MODIFY_STATE
  EXPECT_EQ(mode_of_new_event("D:(A;;0x00000001;;;WD)"), 0644);  // EVENT_QUERY_STATE
  EXPECT_EQ(mode_of_new_event("D:(D;;0x00100002;;;WD)(A;;GA;;;WD)"), 0644);
}

// A named event's descriptor grants through the event's mapping: an open
// for EVENT_MODIFY_STATE is refused when only GENERIC_READ was granted.
TEST(NamedEventFile, OpensAreCheckedAgainstTheEventRightsGranted) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  ASSERT_TRUE(ConvertStringSecurityDescriptorToSecurityDescriptorA(
      "D:(A;;GR;;;OW)(A;;GX;;;OW)", SDDL_REVISION_1, &sd, nullptr));
  SECURITY_ATTRIBUTES sa{sizeof(sa), sd, FALSE};
  const std::string name = unique_name("event-granted");
  HANDLE h = CreateEventA(&sa, FALSE, FALSE, name.c_str());
  LocalFree(sd);
  ASSERT_NE(h, nullptr);
  SetLastError(untouched_error);
  EXPECT_EQ(OpenEventA(EVENT_MODIFY_STATE, FALSE, name.c_str()), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  HANDLE granted = OpenEventA(SYNCHRONIZE | EVENT_QUERY_STATE, FALSE, name.c_str());
  EXPECT_NE(granted, nullptr);
  HANDLE everything = OpenEventA(MAXIMUM_ALLOWED, FALSE, name.c_str());
  ASSERT_NE(everything, nullptr);
  SetLastError(untouched_error);
  EXPECT_FALSE(SetEvent(everything));  // granted: read, execute; not write
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  for (HANDLE x : {h, granted, everything}) CloseHandle(x);
}

}  // namespace
