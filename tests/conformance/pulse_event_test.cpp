// PulseEvent: one step that releases the threads waiting at that moment (all
// of them for a manual-reset event, one for an auto-reset event) and leaves
// the event reset, so that nobody ever finds it signaled afterwards.
//
// A pulse reaches only threads already blocked, and the Win32 API cannot tell
// whether a thread is blocked yet: the cases with waiters rely on
// waiting_thread::wait_until_probably_blocked() (observe.h).  Their waits
// time out after the deadlock guard instead of never, so a waiter that came
// too late shows as WAIT_TIMEOUT, not as a hung run.
#include <chrono>
#include <memory>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "owned_objects.h"

namespace {

using namespace conformance;

BOOL pulse_event(HANDLE h) {
  SetLastError(untouched_error);
  return PulseEvent(h);
}

// `n` threads, each blocked (probably: see the top of the file) in
// WaitForSingleObject on `h` when the constructor returns.
class blocked_waiters {
 public:
  blocked_waiters(HANDLE h, int n) {
    for (int i = 0; i < n; ++i)
      threads_.push_back(
          std::make_unique<waiting_thread>([h] { return WaitForSingleObject(h, guard_ms); }));
    for (auto& t : threads_) t->wait_until_probably_blocked();
  }

  int returned() const {
    int n = 0;
    for (const auto& t : threads_) n += t->result() != untouched_error ? 1 : 0;
    return n;
  }
  std::vector<DWORD> join_all() {
    std::vector<DWORD> results;
    for (auto& t : threads_) results.push_back(t->join());
    return results;
  }

 private:
  std::vector<std::unique_ptr<waiting_thread>> threads_;
};

// ---- Nobody waiting ----

// With nobody waiting a pulse succeeds, leaves the last error untouched and
// leaves the event reset, whatever its mode and whatever state it was in: a
// pulse of a signaled event resets it.
TEST(PulseEvent, WithNobodyWaitingItLeavesTheEventReset) {
  for (bool manual : {false, true}) {
    for (bool signaled : {false, true}) {
      NOTE(manual);
      NOTE(signaled);
      event e(manual, signaled);
      CHECK_EQ(pulse_event(e), TRUE);
      CHECK_EQ(GetLastError(), untouched_error);
      CHECK_EQ(signaled_of(e), 0);
      CHECK_EQ(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    }
  }
}

// ---- Waiters ----

// A manual-reset event: every blocked thread is released, and the event is
// reset afterwards, so a wait that begins after the pulse times out.
TEST(PulseEvent, AManualResetEventReleasesEveryBlockedThreadAndStaysReset) {
  constexpr int waiter_count = 4;
  event manual(true, false);
  blocked_waiters waiters(manual, waiter_count);
  CHECK_EQ(waiters.returned(), 0);
  CHECK_EQ(pulse_event(manual), TRUE);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(waiters.join_all(), std::vector<DWORD>(waiter_count, WAIT_OBJECT_0));
  SetLastError(untouched_error);
  CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_TIMEOUT);
  CHECK_EQ(signaled_of(manual), 0);
}

// An auto-reset event: exactly one blocked thread is released; the others
// stay blocked and the event stays reset, until a SetEvent per thread
// releases each of them.
TEST(PulseEvent, AnAutoResetEventReleasesExactlyOneBlockedThread) {
  constexpr int waiter_count = 3;
  event automatic(false, false);
  blocked_waiters waiters(automatic, waiter_count);
  CHECK_EQ(pulse_event(automatic), TRUE);
  CHECK_EQ(GetLastError(), untouched_error);
  REQUIRE(eventually([&] { return waiters.returned() >= 1; }));
  let_others_run();
  CHECK_EQ(waiters.returned(), 1);
  CHECK_EQ(signaled_of(automatic), 0);
  // Each SetEvent meets a blocked waiter, which takes the signal.
  for (int released = 1; released < waiter_count; ++released) {
    NOTE(released);
    CHECK(SetEvent(automatic));
    CHECK(eventually([&] { return waiters.returned() == released + 1; }));
  }
  CHECK_EQ(waiters.join_all(), std::vector<DWORD>(waiter_count, WAIT_OBJECT_0));
  CHECK_EQ(signaled_of(automatic), 0);
}

// A thread blocked in a wait-any is released by a pulse of one of its
// objects, with that object's index; the other object is untouched.
TEST(PulseEvent, ReleasesAWaitAnyWithTheEventsIndex) {
  for (bool manual : {false, true}) {
    NOTE(manual);
    HANDLE never = CreateSemaphoreA(nullptr, 0, 1, nullptr);
    REQUIRE(never != nullptr);
    event e(manual, false);
    const HANDLE both[] = {never, e};
    waiting_thread waiter([&] { return WaitForMultipleObjects(2, both, FALSE, guard_ms); });
    waiter.wait_until_probably_blocked();
    CHECK_EQ(waiter.result(), untouched_error);
    CHECK_EQ(pulse_event(e), TRUE);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(waiter.join(), WAIT_OBJECT_0 + 1);
    CHECK_EQ(signaled_of(e), 0);
    CHECK_EQ(count_of(never), 0);
    CloseHandle(never);
  }
}

// ---- Errors ----

// Not a handle, a closed one, and handles of objects that are not events.
TEST(PulseEvent, BadHandlesAreInvalidHandle) {
  HANDLE closed = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  CloseHandle(closed);
  for (HANDLE bad : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234),
                     GetCurrentProcess(), GetCurrentThread()}) {
    NOTE(bad);
    CHECK_EQ(pulse_event(bad), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

// A semaphore is not an event; the type is checked before the rights (a
// handle with none still reports the wrong type), and the count is untouched.
TEST(PulseEvent, ASemaphoreIsInvalidHandle) {
  HANDLE s = CreateSemaphoreA(nullptr, 1, 2, nullptr);
  HANDLE s_no_rights = CreateSemaphoreExA(nullptr, 1, 2, nullptr, 0, 0);
  REQUIRE(s != nullptr);
  REQUIRE(s_no_rights != nullptr);
  for (HANDLE h : {s, s_no_rights}) {
    NOTE(h);
    CHECK_EQ(pulse_event(h), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(count_of(h), 1);
  }
  CloseHandle(s);
  CloseHandle(s_no_rights);
}

// A pulse changes the event's state, so it needs EVENT_MODIFY_STATE, as
// SetEvent and ResetEvent do; SYNCHRONIZE alone is refused and the event
// keeps its state.  EVENT_MODIFY_STATE alone is enough.
TEST(PulseEvent, NeedsTheModifyRight) {
  event manual(true, true);
  HANDLE sync_only = nullptr, modify_only = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), manual, GetCurrentProcess(), &sync_only,
                          SYNCHRONIZE, FALSE, 0));
  REQUIRE(DuplicateHandle(GetCurrentProcess(), manual, GetCurrentProcess(), &modify_only,
                          EVENT_MODIFY_STATE, FALSE, 0));
  CHECK_EQ(pulse_event(sync_only), FALSE);
  CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  CHECK_EQ(signaled_of(manual), 1);
  CHECK_EQ(pulse_event(modify_only), TRUE);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(signaled_of(manual), 0);
  CloseHandle(sync_only);
  CloseHandle(modify_only);
}

}  // namespace
