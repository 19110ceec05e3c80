// Alertable waits and user APCs (thread/alert.hpp): QueueUserAPC queues an
// APC to a thread, and the APC runs only when that thread waits alertably
// (WaitForSingleObjectEx, WaitForMultipleObjectsEx, SignalObjectAndWait with
// bAlertable TRUE, SleepEx(..., TRUE)): the wait runs every APC queued,
// oldest first, and returns WAIT_IO_COMPLETION.  A wait that can be
// satisfied when it starts is satisfied, and the APCs stay queued; an
// object that an APC signals is not taken by the wait that ran the APC.
//
// White-box where a case needs a thread to be in its alertable wait before
// the APC is queued (support/thread_state.hpp); every case also holds if
// the APC comes first.  The cases that hold on Windows alike and need no
// look inside are in tests/conformance/alertable_wait_test.cpp, which runs
// against ntsem as well as under Wine; a few run here too, with the state
// of the objects and queues checked.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <ntsem/winternl.h>

#include "support/event_state.hpp"
#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"
#include "support/thread_state.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::event_state_of;
using ntsem::test::eventually;
using ntsem::test::in_alertable_wait;
using ntsem::test::let_others_run;
using ntsem::test::queue_length;
using ntsem::test::untouched_error;

constexpr DWORD guard_ms = ntsem::test::deadlock_guard_ms;

// The APCs that ran: each one's value and the thread that ran it.
struct ran_apc {
  ULONG_PTR value;
  DWORD thread;
  friend bool operator==(const ran_apc&, const ran_apc&) = default;
};
std::mutex ran_mutex;
std::vector<ran_apc> ran;

void WINAPI record(ULONG_PTR value) {
  std::lock_guard lock(ran_mutex);
  ran.push_back({value, GetCurrentThreadId()});
}

std::vector<ULONG_PTR> values_ran() {
  std::lock_guard lock(ran_mutex);
  std::vector<ULONG_PTR> values;
  for (const ran_apc& r : ran) values.push_back(r.value);
  return values;
}

// An APC that releases the semaphore its argument names (and is recorded).
void WINAPI release_one(ULONG_PTR semaphore) {
  ReleaseSemaphore(reinterpret_cast<HANDLE>(semaphore), 1, nullptr);
  record(semaphore);
}

ULONG_PTR as_value(HANDLE h) { return reinterpret_cast<ULONG_PTR>(h); }

class AlertableWait : public ::testing::Test {
 protected:
  void SetUp() override {
    std::lock_guard lock(ran_mutex);
    ran.clear();
  }
  // No case leaves APCs queued to the test thread for the next one.
  void TearDown() override {
    while (SleepEx(0, TRUE) == WAIT_IO_COMPLETION) {
    }
  }
};

// A thread that makes one wait call (and, if given, a second one after it),
// with a handle through which APCs may be queued to it.
class waiter {
 public:
  explicit waiter(std::function<DWORD()> wait, std::function<DWORD()> then = nullptr) {
    thread_ = std::thread([this, wait = std::move(wait), then = std::move(then)] {
      id_ = GetCurrentThreadId();
      started_ = true;
      first_ = wait();
      if (then) second_ = then();
    });
    EXPECT_TRUE(eventually([&] { return started_.load(); }));
    handle_ = OpenThread(THREAD_SET_CONTEXT, FALSE, id_);
    EXPECT_NE(handle_, nullptr);
  }
  ~waiter() {
    join();
    CloseHandle(handle_);
  }
  DWORD id() const { return id_; }
  HANDLE handle() const { return handle_; }
  // Until the wait is armed: an APC queued from then on ends it.
  bool in_alertable_wait() const {
    return eventually([&] { return ntsem::test::in_alertable_wait(id_); });
  }
  DWORD join() {
    if (thread_.joinable()) thread_.join();
    return first_;
  }
  DWORD second() {
    join();
    return second_;
  }

 private:
  std::atomic<DWORD> id_{0};
  std::atomic<bool> started_{false};
  std::atomic<DWORD> first_{untouched_error};
  std::atomic<DWORD> second_{untouched_error};
  HANDLE handle_ = nullptr;
  std::thread thread_;
};

// ---- Running queued APCs ----

TEST_F(AlertableWait, AnApcQueuedToItselfRunsInSleepExAndReturnsIoCompletion) {
  ASSERT_NE(QueueUserAPC(record, GetCurrentThread(), 7), 0u);
  EXPECT_TRUE(values_ran().empty());  // not before an alertable wait
  EXPECT_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{7, GetCurrentThreadId()}}));
  // It ran once: the next alertable wait finds nothing queued.
  EXPECT_EQ(SleepEx(0, TRUE), 0u);
  EXPECT_EQ(values_ran().size(), 1u);
}

TEST_F(AlertableWait, EveryQueuedApcRunsInOneWaitOldestFirst) {
  for (ULONG_PTR v : {1, 2, 3}) ASSERT_NE(QueueUserAPC(record, GetCurrentThread(), v), 0u);
  EXPECT_EQ(SleepEx(INFINITE, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(values_ran(), (std::vector<ULONG_PTR>{1, 2, 3}));
  EXPECT_EQ(SleepEx(0, TRUE), 0u);
}

void WINAPI queue_another(ULONG_PTR value) {
  record(value);
  QueueUserAPC(record, GetCurrentThread(), value + 1);
}

// An APC that queues one more: the wait runs that one too before it returns.
TEST_F(AlertableWait, AnApcQueuedByAnApcRunsInTheSameWait) {
  ASSERT_NE(QueueUserAPC(queue_another, GetCurrentThread(), 10), 0u);
  EXPECT_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(values_ran(), (std::vector<ULONG_PTR>{10, 11}));
  EXPECT_EQ(SleepEx(0, TRUE), 0u);
}

TEST_F(AlertableWait, WaitsThatAreNotAlertableLeaveTheApcsQueued) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  ASSERT_NE(QueueUserAPC(record, GetCurrentThread(), 1), 0u);
  const HANDLE both[2] = {s, e};
  EXPECT_EQ(SleepEx(0, FALSE), 0u);
  EXPECT_EQ(SleepEx(10, FALSE), 0u);
  Sleep(10);
  EXPECT_EQ(WaitForSingleObject(s, 10), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(WaitForSingleObjectEx(s, 0, FALSE), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(WaitForMultipleObjectsEx(2, both, FALSE, 10, FALSE), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(WaitForMultipleObjectsEx(2, both, TRUE, 10, FALSE), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(SignalObjectAndWait(e, s, 10, FALSE), DWORD(WAIT_TIMEOUT));
  EXPECT_EQ(WaitForSingleObjectEx(GetCurrentThread(), 10, FALSE), DWORD(WAIT_TIMEOUT));
  EXPECT_TRUE(values_ran().empty());
  EXPECT_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(values_ran(), std::vector<ULONG_PTR>{1});
  CloseHandle(s);
  CloseHandle(e);
}

// A poll that finds nothing to take returns WAIT_IO_COMPLETION when APCs
// are queued, and takes nothing: a wait-all leaves the object it could
// have taken as it was.
TEST_F(AlertableWait, APollThatFindsNothingRunsTheQueuedApcs) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE full = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  const HANDLE any[2] = {s, s};
  const HANDLE all[2] = {full, s};
  ULONG_PTR v = 0;
  for (const std::function<DWORD()>& poll : std::vector<std::function<DWORD()>>{
           [&] { return WaitForSingleObjectEx(s, 0, TRUE); },
           [&] { return WaitForMultipleObjectsEx(2, any, FALSE, 0, TRUE); },
           [&] { return WaitForMultipleObjectsEx(2, all, TRUE, 0, TRUE); },
           [&] { return WaitForSingleObjectEx(GetCurrentThread(), 0, TRUE); },
           [&] { return SleepEx(0, TRUE); }}) {
    SCOPED_TRACE(v);
    ASSERT_NE(QueueUserAPC(record, GetCurrentThread(), ++v), 0u);
    EXPECT_EQ(poll(), WAIT_IO_COMPLETION);
    EXPECT_EQ(values_ran().size(), v);
    EXPECT_EQ(poll(), v == 5 ? 0u : DWORD(WAIT_TIMEOUT));
  }
  EXPECT_EQ(count_of(full), 1);
  EXPECT_EQ(count_of(s), 0);
  CloseHandle(s);
  CloseHandle(full);
}

// WAIT_IO_COMPLETION is not a failure: the last error is left alone.
TEST_F(AlertableWait, IoCompletionLeavesTheLastErrorUntouched) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  ASSERT_NE(QueueUserAPC(record, GetCurrentThread(), 1), 0u);
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForSingleObjectEx(s, INFINITE, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(GetLastError(), untouched_error);
  CloseHandle(s);
}

// ---- An APC ends a wait that sleeps ----

TEST_F(AlertableWait, AnApcEndsAThreadBlockedInWaitForSingleObjectEx) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  waiter w([&] { return WaitForSingleObjectEx(s, guard_ms, TRUE); });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_NE(QueueUserAPC(record, w.handle(), 5), 0u);
  EXPECT_EQ(w.join(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{5, w.id()}}));
  // Out of the queue, and nothing taken or given.
  EXPECT_EQ(queue_length(s), 0u);
  EXPECT_EQ(count_of(s), 0);
  CloseHandle(s);
}

TEST_F(AlertableWait, AnApcEndsAThreadBlockedInAWaitAny) {
  HANDLE h[3] = {CreateSemaphoreA(nullptr, 0, 1, nullptr),
                 CreateEventA(nullptr, FALSE, FALSE, nullptr),
                 CreateEventA(nullptr, TRUE, FALSE, nullptr)};
  waiter w([&] { return WaitForMultipleObjectsEx(3, h, FALSE, guard_ms, TRUE); });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_NE(QueueUserAPC(record, w.handle(), 5), 0u);
  EXPECT_EQ(w.join(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{5, w.id()}}));
  for (HANDLE x : h) EXPECT_EQ(queue_length(x), 0u);
  // A release now finds nobody waiting and stays in the object.
  ASSERT_TRUE(SetEvent(h[1]));
  EXPECT_EQ(event_state_of(h[1]), ntsem::test::auto_set);
  for (HANDLE x : h) CloseHandle(x);
}

// The signal is made (the semaphore released) and stays made; only the
// wait is ended.
TEST_F(AlertableWait, AnApcEndsAThreadBlockedInSignalObjectAndWait) {
  HANDLE to_signal = CreateSemaphoreA(nullptr, 0, 5, nullptr);
  HANDLE to_wait_on = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  waiter w([&] { return SignalObjectAndWait(to_signal, to_wait_on, guard_ms, TRUE); });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_NE(QueueUserAPC(record, w.handle(), 5), 0u);
  EXPECT_EQ(w.join(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{5, w.id()}}));
  EXPECT_EQ(count_of(to_signal), 1);
  EXPECT_EQ(queue_length(to_wait_on), 0u);
  CloseHandle(to_signal);
  CloseHandle(to_wait_on);
}

std::atomic<bool> all_queued{false};
void WINAPI record_and_hold(ULONG_PTR value) {
  record(value);
  EXPECT_TRUE(eventually([] { return all_queued.load(); }));
}

// The first APC ends the sleep and holds the thread in it until two more
// are queued: the same wait runs them, in order.
TEST_F(AlertableWait, AnApcEndsAThreadBlockedInSleepEx) {
  all_queued = false;
  waiter w([] { return SleepEx(INFINITE, TRUE); });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_NE(QueueUserAPC(record_and_hold, w.handle(), 1), 0u);
  for (ULONG_PTR v : {2, 3}) ASSERT_NE(QueueUserAPC(record, w.handle(), v), 0u);
  all_queued = true;
  EXPECT_EQ(w.join(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{1, w.id()}, {2, w.id()}, {3, w.id()}}));
}

// Waiting on the thread's own pseudo handle is a sleep, alertable here.
TEST_F(AlertableWait, AnApcEndsAThreadWaitingOnItsOwnPseudoHandle) {
  waiter w([] { return WaitForSingleObjectEx(GetCurrentThread(), INFINITE, TRUE); });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_NE(QueueUserAPC(record, w.handle(), 5), 0u);
  EXPECT_EQ(w.join(), WAIT_IO_COMPLETION);
  EXPECT_EQ(values_ran(), std::vector<ULONG_PTR>{5});
}

// A thread in a wait that is not alertable stays in it; the APC waits for
// the thread's next alertable wait.
TEST_F(AlertableWait, AnApcDoesNotEndAWaitThatIsNotAlertable) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  waiter w([&] { return WaitForSingleObjectEx(s, guard_ms, FALSE); },
           [] { return SleepEx(0, TRUE); });
  ASSERT_TRUE(eventually([&] { return queue_length(s) == 1; }));
  ASSERT_NE(QueueUserAPC(record, w.handle(), 5), 0u);
  let_others_run();
  EXPECT_TRUE(values_ran().empty());
  EXPECT_EQ(queue_length(s), 1u);
  ASSERT_TRUE(ReleaseSemaphore(s, 1, nullptr));
  EXPECT_EQ(w.join(), WAIT_OBJECT_0);
  EXPECT_EQ(w.second(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{5, w.id()}}));
  EXPECT_EQ(count_of(s), 0);
  CloseHandle(s);
}

// A release hands the unit to the sleeping waiter before it returns; an
// APC queued after that finds the wait satisfied, and stays queued.
TEST_F(AlertableWait, AWaitSatisfiedBeforeTheApcIsQueuedKeepsItsUnit) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<bool> queued{false};
  waiter w([&] { return WaitForSingleObjectEx(s, guard_ms, TRUE); },
           [&] {
             EXPECT_TRUE(eventually([&] { return queued.load(); }));
             return SleepEx(0, TRUE);
           });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_TRUE(ReleaseSemaphore(s, 1, nullptr));
  ASSERT_NE(QueueUserAPC(record, w.handle(), 5), 0u);
  queued = true;
  EXPECT_EQ(w.join(), WAIT_OBJECT_0);
  EXPECT_EQ(w.second(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{5, w.id()}}));
  EXPECT_EQ(count_of(s), 0);
  CloseHandle(s);
}

// ---- What the wait takes ----

// An object signaled when the wait starts is taken and the APCs stay
// queued: conformance case AlertableWait.AnObjectSignaledAtTheStartIsTaken-
// AndTheApcsStayQueued, which runs natively too.

// The APC runs after the wait has left the object's queue: the unit it
// releases stays in the object.  (An APC queued before the wait: conformance
// case AlertableWait.AnObjectAnApcSignalsIsNotTakenByTheWaitThatRanIt.)
TEST_F(AlertableWait, AnObjectAnApcSignalsIsNotTakenByTheSleepingWaitItEnded) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  waiter w([&] { return WaitForSingleObjectEx(s, guard_ms, TRUE); });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_NE(QueueUserAPC(release_one, w.handle(), as_value(s)), 0u);
  EXPECT_EQ(w.join(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{as_value(s), w.id()}}));
  EXPECT_EQ(count_of(s), 1);
  CloseHandle(s);
}

// A wait-all that cannot be satisfied and finds APCs queued ends at once
// and takes nothing.
TEST_F(AlertableWait, AWaitAllThatCannotBeSatisfiedRunsTheApcsQueuedBeforeIt) {
  HANDLE full = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE empty = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  const HANDLE all[2] = {full, empty};
  ASSERT_NE(QueueUserAPC(record, GetCurrentThread(), 1), 0u);
  EXPECT_EQ(WaitForMultipleObjectsEx(2, all, TRUE, INFINITE, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(values_ran(), std::vector<ULONG_PTR>{1});
  EXPECT_EQ(count_of(full), 1);
  EXPECT_EQ(count_of(empty), 0);
  CloseHandle(full);
  CloseHandle(empty);
}

// A wait-all asleep (queued on the object that blocks it) is ended too: it
// leaves that queue and takes nothing, not even the object it could take.
TEST_F(AlertableWait, AnApcEndsAThreadBlockedInAWaitAll) {
  HANDLE full = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE empty = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  const HANDLE all[2] = {full, empty};
  waiter w([&] { return WaitForMultipleObjectsEx(2, all, TRUE, guard_ms, TRUE); });
  ASSERT_TRUE(w.in_alertable_wait());
  ASSERT_TRUE(eventually([&] { return queue_length(empty) == 1; }));
  ASSERT_NE(QueueUserAPC(record, w.handle(), 7), 0u);
  EXPECT_EQ(w.join(), WAIT_IO_COMPLETION);
  EXPECT_EQ(ran, (std::vector<ran_apc>{{7, w.id()}}));
  EXPECT_EQ(queue_length(empty), 0u);
  EXPECT_EQ(count_of(full), 1);
  EXPECT_EQ(count_of(empty), 0);
  CloseHandle(full);
  CloseHandle(empty);
}

// ---- Sleeping ----

TEST_F(AlertableWait, SleepExWithoutApcsReturnsZeroOnceTheTimeHasPassed) {
  for (BOOL alertable : {FALSE, TRUE}) {
    SCOPED_TRACE(alertable);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(SleepEx(30, alertable), 0u);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
    EXPECT_EQ(SleepEx(0, alertable), 0u);
  }
  const auto start = std::chrono::steady_clock::now();
  Sleep(20);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
}

// ---- The native calls ----

void WINAPI record_three(ULONG_PTR a, ULONG_PTR b, ULONG_PTR c) { record(a * 100 + b * 10 + c); }

TEST_F(AlertableWait, TheNativeCallsReturnStatusUserApc) {
  HANDLE s = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  LARGE_INTEGER zero{}, later{};
  later.QuadPart = -10'000'000LL * 60;  // a minute, relative
  ASSERT_EQ(NtQueueApcThread(GetCurrentThread(), record_three, 1, 2, 3), STATUS_SUCCESS);
  EXPECT_EQ(NtWaitForSingleObject(s, TRUE, &zero), STATUS_USER_APC);
  EXPECT_EQ(values_ran(), std::vector<ULONG_PTR>{123});
  EXPECT_EQ(NtWaitForSingleObject(s, TRUE, &zero), STATUS_TIMEOUT);
  ASSERT_EQ(NtQueueApcThread(GetCurrentThread(), record_three, 4, 5, 6), STATUS_SUCCESS);
  EXPECT_EQ(NtWaitForMultipleObjects(1, &s, WaitAny, TRUE, &later), STATUS_USER_APC);
  ASSERT_EQ(NtQueueApcThread(GetCurrentThread(), record_three, 7, 8, 9), STATUS_SUCCESS);
  EXPECT_EQ(NtDelayExecution(TRUE, &later), STATUS_USER_APC);
  EXPECT_EQ(values_ran(), (std::vector<ULONG_PTR>{123, 456, 789}));
  EXPECT_EQ(NtDelayExecution(TRUE, &zero), STATUS_SUCCESS);
  EXPECT_EQ(NtDelayExecution(FALSE, &zero), STATUS_SUCCESS);
  // No interval to read: Windows would fault.
  EXPECT_EQ(NtDelayExecution(TRUE, nullptr), STATUS_ACCESS_VIOLATION);
  CloseHandle(s);
}

// ---- Errors ----

TEST(QueueUserAPC, ABadHandleIsInvalidHandle) {
  HANDLE closed = nullptr;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(),
                              &closed, 0, FALSE, DUPLICATE_SAME_ACCESS));
  ASSERT_TRUE(CloseHandle(closed));
  HANDLE e = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  for (HANDLE bad : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234), e,
                     GetCurrentProcess()}) {
    SCOPED_TRACE(bad);
    SetLastError(untouched_error);
    EXPECT_EQ(QueueUserAPC(record, bad, 1), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  }
  EXPECT_EQ(NtQueueApcThread(e, record_three, 0, 0, 0), STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(SleepEx(0, TRUE), 0u);  // nothing was queued
  CloseHandle(e);
}

// QueueUserAPC needs THREAD_SET_CONTEXT.
TEST(QueueUserAPC, AHandleWithoutThreadSetContextIsAccessDenied) {
  for (DWORD access : {DWORD{SYNCHRONIZE}, DWORD{THREAD_ALL_ACCESS & ~THREAD_SET_CONTEXT},
                       DWORD{GENERIC_READ}, DWORD{GENERIC_EXECUTE}}) {
    SCOPED_TRACE(access);
    HANDLE h = OpenThread(access, FALSE, GetCurrentThreadId());
    ASSERT_NE(h, nullptr);
    SetLastError(untouched_error);
    EXPECT_EQ(QueueUserAPC(record, h, 1), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
    CloseHandle(h);
  }
  EXPECT_EQ(SleepEx(0, TRUE), 0u);
  for (DWORD access : {DWORD{THREAD_SET_CONTEXT}, DWORD{GENERIC_WRITE}}) {
    SCOPED_TRACE(access);
    HANDLE h = OpenThread(access, FALSE, GetCurrentThreadId());
    ASSERT_NE(h, nullptr);
    EXPECT_NE(QueueUserAPC(record, h, 1), 0u);
    EXPECT_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CloseHandle(h);
  }
}

// Windows queues a null routine, and the thread faults when it runs it;
// ntsem refuses it, after the handle's checks.
TEST(QueueUserAPC, ANullRoutineIsInvalidParameter) {
  SetLastError(untouched_error);
  EXPECT_EQ(QueueUserAPC(nullptr, GetCurrentThread(), 1), 0u);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(QueueUserAPC(nullptr, nullptr, 1), 0u);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(SleepEx(0, TRUE), 0u);
}

}  // namespace
