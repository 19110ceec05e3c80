// Alertable waits and user APCs: QueueUserAPC queues an APC to a thread, and
// the APC runs only in an alertable wait of that thread (the Ex waits and
// SignalObjectAndWait with bAlertable TRUE, SleepEx(..., TRUE)), which runs
// every APC queued, oldest first, and returns WAIT_IO_COMPLETION.  A wait
// that can be satisfied when it starts is satisfied and leaves the APCs
// queued; an object that an APC signals is not taken by the wait that ran
// the APC.
//
// A thread blocked in an alertable wait is ended by an APC queued from
// another thread.  The Win32 API cannot tell whether that thread is blocked
// yet (observe.h, waiting_thread); those cases hold either way, since an
// APC queued before the wait begins ends it too.
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "owned_objects.h"

namespace {

using namespace conformance;

// The values of the APCs that ran, in order, and the threads that ran them.
std::mutex ran_mutex;
std::vector<ULONG_PTR> ran_values;
std::vector<DWORD> ran_threads;

void WINAPI record(ULONG_PTR value) {
  std::lock_guard<std::mutex> lock(ran_mutex);
  ran_values.push_back(value);
  ran_threads.push_back(GetCurrentThreadId());
}

std::vector<ULONG_PTR> values_ran() {
  std::lock_guard<std::mutex> lock(ran_mutex);
  return ran_values;
}

// Forgets what ran before, and runs what an earlier case left queued.
void start_recording() {
  while (SleepEx(0, TRUE) == WAIT_IO_COMPLETION) {
  }
  std::lock_guard<std::mutex> lock(ran_mutex);
  ran_values.clear();
  ran_threads.clear();
}

void WINAPI release_one(ULONG_PTR semaphore) {
  ReleaseSemaphore(reinterpret_cast<HANDLE>(semaphore), 1, nullptr);
  record(semaphore);
}
void WINAPI set_event(ULONG_PTR event) {
  SetEvent(reinterpret_cast<HANDLE>(event));
  record(event);
}
void WINAPI queue_another(ULONG_PTR value) {
  record(value);
  QueueUserAPC(record, GetCurrentThread(), value + 1);
}

ULONG_PTR as_value(HANDLE h) { return reinterpret_cast<ULONG_PTR>(h); }

DWORD queue_to_self(PAPCFUNC routine, ULONG_PTR value) {
  return QueueUserAPC(routine, GetCurrentThread(), value);
}

// A thread that makes one wait call, with a handle (THREAD_SET_CONTEXT)
// through which APCs are queued to it.
class apc_target {
 public:
  explicit apc_target(std::function<DWORD()> wait) {
    thread_ = std::thread([this, wait] {
      id_ = GetCurrentThreadId();
      result_ = wait();
    });
    REQUIRE(eventually([&] { return id_.load() != 0; }));
    handle_ = OpenThread(THREAD_SET_CONTEXT, FALSE, id_);
    REQUIRE(handle_ != nullptr);
  }
  ~apc_target() {
    join();
    CloseHandle(handle_);
  }
  DWORD id() const { return id_; }
  HANDLE handle() const { return handle_; }
  DWORD join() {
    if (thread_.joinable()) thread_.join();
    return result_;
  }

 private:
  std::atomic<DWORD> id_{0};
  std::atomic<DWORD> result_{untouched_error};
  HANDLE handle_ = nullptr;
  std::thread thread_;
};

// ---- Running queued APCs ----

TEST(AlertableWait, AnApcQueuedToItselfRunsInSleepEx) {
  start_recording();
  REQUIRE(queue_to_self(record, 7) != 0);
  CHECK(values_ran().empty());
  CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(values_ran(), std::vector<ULONG_PTR>{7});
  CHECK_EQ(SleepEx(0, TRUE), 0);
}

// One wait runs every APC queued, oldest first; an APC queued by one of
// them runs in the same wait.
TEST(AlertableWait, OneWaitRunsEveryQueuedApcOldestFirst) {
  start_recording();
  for (ULONG_PTR v : {1, 2, 3}) REQUIRE(queue_to_self(record, v) != 0);
  REQUIRE(queue_to_self(queue_another, 10) != 0);
  CHECK_EQ(SleepEx(INFINITE, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(values_ran(), (std::vector<ULONG_PTR>{1, 2, 3, 10, 11}));
  CHECK_EQ(SleepEx(0, TRUE), 0);
}

TEST(AlertableWait, WaitsThatAreNotAlertableLeaveTheApcsQueued) {
  start_recording();
  semaphore s(0, 1);
  event e(false, false);
  const HANDLE both[2] = {s, e};
  REQUIRE(queue_to_self(record, 1) != 0);
  CHECK_EQ(SleepEx(0, FALSE), 0);
  CHECK_EQ(SleepEx(10, FALSE), 0);
  CHECK_EQ(WaitForSingleObjectEx(s, 10, FALSE), WAIT_TIMEOUT);
  CHECK_EQ(WaitForMultipleObjectsEx(2, both, FALSE, 10, FALSE), WAIT_TIMEOUT);
  CHECK_EQ(WaitForMultipleObjectsEx(2, both, TRUE, 10, FALSE), WAIT_TIMEOUT);
  CHECK_EQ(SignalObjectAndWait(e, s, 10, FALSE), WAIT_TIMEOUT);
  CHECK(values_ran().empty());
  CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(values_ran(), std::vector<ULONG_PTR>{1});
}

// A wait that finds nothing to take and APCs queued returns
// WAIT_IO_COMPLETION at once, whatever its timeout, and takes nothing; the
// last error stays untouched.
TEST(AlertableWait, AWaitThatFindsNothingToTakeRunsTheQueuedApcs) {
  start_recording();
  semaphore empty(0, 1);
  semaphore full(1, 1);
  const HANDLE any[2] = {empty, empty};
  const HANDLE all[2] = {full, empty};
  for (DWORD ms : {DWORD{0}, DWORD{INFINITE}}) {
    NOTE(ms);
    std::vector<std::function<DWORD()>> waits = {
        [&] { return WaitForSingleObjectEx(empty, ms, TRUE); },
        [&] { return WaitForMultipleObjectsEx(2, any, FALSE, ms, TRUE); },
        [&] { return WaitForMultipleObjectsEx(2, all, TRUE, ms, TRUE); },
        [&] { return SleepEx(ms, TRUE); }};
    for (std::size_t i = 0; i < waits.size(); ++i) {
      NOTE(i);
      REQUIRE(queue_to_self(record, i) != 0);
      SetLastError(untouched_error);
      CHECK_EQ(waits[i](), WAIT_IO_COMPLETION);
      CHECK_EQ(GetLastError(), untouched_error);
      CHECK_EQ(values_ran(), std::vector<ULONG_PTR>{i});
      start_recording();
    }
  }
  CHECK_EQ(count_of(full), 1);
  CHECK_EQ(count_of(empty), 0);
}

// ---- What the wait takes ----

// Signaled when the wait starts: it is taken as without APCs, and the APCs
// stay queued for the next alertable wait.
TEST(AlertableWait, AnObjectSignaledAtTheStartIsTakenAndTheApcsStayQueued) {
  start_recording();
  semaphore s(0, 10);
  semaphore none(0, 1);
  event manual(true, true);
  const HANDLE any[2] = {none, s};
  const HANDLE all[2] = {s, manual};
  REQUIRE(queue_to_self(record, 1) != 0);
  for (DWORD ms : {DWORD{0}, DWORD{INFINITE}}) {
    NOTE(ms);
    REQUIRE(ReleaseSemaphore(s, 3, nullptr));
    CHECK_EQ(WaitForSingleObjectEx(s, ms, TRUE), WAIT_OBJECT_0);
    CHECK_EQ(WaitForMultipleObjectsEx(2, any, FALSE, ms, TRUE), WAIT_OBJECT_0 + 1);
    CHECK_EQ(WaitForMultipleObjectsEx(2, all, TRUE, ms, TRUE), WAIT_OBJECT_0);
    CHECK_EQ(SignalObjectAndWait(s, s, ms, TRUE), WAIT_OBJECT_0);
    CHECK_EQ(count_of(s), 0);
    CHECK(values_ran().empty());
  }
  CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(values_ran(), std::vector<ULONG_PTR>{1});
}

// The APC runs once the wait has ended: the unit it releases, the signal it
// sets, stays in the object.
TEST(AlertableWait, AnObjectAnApcSignalsIsNotTakenByTheWaitThatRanIt) {
  start_recording();
  semaphore s(0, 1);
  event automatic(false, false);
  REQUIRE(queue_to_self(release_one, as_value(s)) != 0);
  CHECK_EQ(WaitForSingleObjectEx(s, INFINITE, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(count_of(s), 1);
  REQUIRE(queue_to_self(set_event, as_value(automatic)) != 0);
  const HANDLE any[1] = {automatic};
  CHECK_EQ(WaitForMultipleObjectsEx(1, any, FALSE, INFINITE, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(signaled_of(automatic), 1);
  CHECK_EQ(values_ran(), (std::vector<ULONG_PTR>{as_value(s), as_value(automatic)}));
}

// ---- An APC from another thread ----

// Queues an APC to a thread that is (probably) blocked in `wait`, which
// must end with WAIT_IO_COMPLETION after the thread ran the APC itself.
void check_an_apc_ends(const std::function<DWORD()>& wait) {
  start_recording();
  apc_target target(wait);
  let_others_run(std::chrono::milliseconds(200));
  REQUIRE(QueueUserAPC(record, target.handle(), 5) != 0);
  CHECK_EQ(target.join(), WAIT_IO_COMPLETION);
  CHECK_EQ(values_ran(), std::vector<ULONG_PTR>{5});
  std::lock_guard<std::mutex> lock(ran_mutex);
  CHECK_EQ(ran_threads, std::vector<DWORD>{target.id()});
}

// A thread blocked in an alertable wait is ended by an APC queued to it.
TEST(AlertableWait, AnApcEndsABlockedAlertableWait) {
  semaphore never(0, 1);
  const HANDLE any[2] = {never, never};
  std::vector<std::function<DWORD()>> waits = {
      [&] { return WaitForSingleObjectEx(never, guard_ms, TRUE); },
      [&] { return WaitForMultipleObjectsEx(2, any, FALSE, guard_ms, TRUE); },
      [&] { return SleepEx(guard_ms, TRUE); }};
  for (std::size_t i = 0; i < waits.size(); ++i) {
    NOTE(i);
    check_an_apc_ends(waits[i]);
  }
  CHECK_EQ(count_of(never), 0);
}

// SignalObjectAndWait too; its signal was made once, and stays made.
TEST(AlertableWait, AnApcEndsABlockedSignalObjectAndWait) {
  semaphore never(0, 1);
  semaphore to_signal(0, 5);
  check_an_apc_ends([&] { return SignalObjectAndWait(to_signal, never, guard_ms, TRUE); });
  CHECK_EQ(count_of(never), 0);
  CHECK_EQ(count_of(to_signal), 1);
}

// The same with an APC that releases the semaphore the thread waits on: the
// thread's wait does not take the unit.
TEST(AlertableWait, AnApcThatReleasesTheObjectOfABlockedWaitLeavesItsUnit) {
  start_recording();
  semaphore s(0, 1);
  apc_target target([&] { return WaitForSingleObjectEx(s, guard_ms, TRUE); });
  let_others_run(std::chrono::milliseconds(200));
  REQUIRE(QueueUserAPC(release_one, target.handle(), as_value(s)) != 0);
  CHECK_EQ(target.join(), WAIT_IO_COMPLETION);
  CHECK_EQ(count_of(s), 1);
}

// ---- Errors ----

TEST(QueueUserAPC, ABadHandleIsInvalidHandle) {
  start_recording();
  HANDLE closed = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &closed,
                          0, FALSE, DUPLICATE_SAME_ACCESS));
  REQUIRE(CloseHandle(closed));
  event e(false, false);
  for (HANDLE bad : {HANDLE{nullptr}, closed, HANDLE{e}}) {
    NOTE(bad);
    SetLastError(untouched_error);
    CHECK_EQ(QueueUserAPC(record, bad, 1), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
  CHECK_EQ(SleepEx(0, TRUE), 0);
}

// QueueUserAPC needs THREAD_SET_CONTEXT, and that right is enough.
TEST(QueueUserAPC, TheHandleNeedsThreadSetContext) {
  start_recording();
  for (DWORD access : {DWORD{SYNCHRONIZE}, DWORD{THREAD_ALL_ACCESS & ~THREAD_SET_CONTEXT}}) {
    NOTE(access);
    HANDLE h = OpenThread(access, FALSE, GetCurrentThreadId());
    REQUIRE(h != nullptr);
    SetLastError(untouched_error);
    CHECK_EQ(QueueUserAPC(record, h, 1), 0);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(h);
  }
  CHECK_EQ(SleepEx(0, TRUE), 0);
  HANDLE h = OpenThread(THREAD_SET_CONTEXT, FALSE, GetCurrentThreadId());
  REQUIRE(h != nullptr);
  CHECK(QueueUserAPC(record, h, 2) != 0);
  CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(values_ran(), std::vector<ULONG_PTR>{2});
  CloseHandle(h);
}

}  // namespace
