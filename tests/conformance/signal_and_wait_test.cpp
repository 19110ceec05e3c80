// SignalObjectAndWait on semaphores and events, not alertable: it signals one
// object (a semaphore is released by one, an event is set) and waits on
// another as one step, so a thread woken by the signal finds the caller
// already waiting.  Handles are looked up first: when the call fails, the
// wait is not performed, and when a handle is bad nothing is signaled either.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "harness.h"
#include "observe.h"
#include "owned_objects.h"

namespace {

using namespace conformance;

// A duplicate of `h` with exactly `access` (closed by the caller).
HANDLE duplicate_with(HANDLE h, DWORD access) {
  HANDLE d = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, access, FALSE, 0));
  return d;
}

DWORD signal_and_wait(HANDLE to_signal, HANDLE to_wait_on, DWORD ms = 0) {
  SetLastError(untouched_error);
  return SignalObjectAndWait(to_signal, to_wait_on, ms, FALSE);
}

// ---- Signaling, then waiting ----

// The semaphore is released by exactly one, and the wait takes what a
// WaitForSingleObject would: a unit of a semaphore, the signal of an
// auto-reset event, nothing of a manual-reset one.  The last error is
// untouched.
TEST(SignalObjectAndWait, ReleasesASemaphoreByOneThenWaits) {
  semaphore s(1, 10);
  semaphore w(1, 1);
  event automatic(false, true), manual(true, true);
  CHECK_EQ(signal_and_wait(s, w), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(count_of(w), 0);
  CHECK_EQ(signal_and_wait(s, automatic), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(signaled_of(automatic), 0);
  CHECK_EQ(signal_and_wait(s, manual, INFINITE), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(signaled_of(manual), 1);
  // Three calls, one unit each: the next release finds 1 + 3.
  LONG previous = untouched_long;
  CHECK(ReleaseSemaphore(s, 1, &previous));
  CHECK_EQ(previous, 4);
  CHECK(maximum_is(s, 10));
}

// An event to signal is set, whatever its mode; a manual-reset one stays set.
TEST(SignalObjectAndWait, SetsAnEventThenWaits) {
  for (bool manual : {false, true}) {
    NOTE(manual);
    event e(manual, false);
    semaphore w(1, 1);
    CHECK_EQ(signal_and_wait(e, w), WAIT_OBJECT_0);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(count_of(w), 0);
    CHECK_EQ(signaled_of(e), 1);
    // Setting a set event changes nothing and is no error.
    semaphore w2(1, 1);
    CHECK_EQ(signal_and_wait(e, w2), WAIT_OBJECT_0);
    CHECK_EQ(signaled_of(e), 1);
  }
}

// A wait that times out still leaves the signal done: the semaphore keeps
// its new count, the event stays set.  The last error is untouched.
TEST(SignalObjectAndWait, ATimeoutKeepsTheSignal) {
  semaphore s(0, 10);
  event never_set(false, false);
  semaphore never_released(0, 1);
  LONG expected_count = 0;
  for (DWORD ms : {DWORD{0}, DWORD{20}}) {
    NOTE(ms);
    CHECK_EQ(signal_and_wait(s, never_set, ms), WAIT_TIMEOUT);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(count_of(s), ++expected_count);
    CHECK_EQ(signal_and_wait(s, never_released, ms), WAIT_TIMEOUT);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(count_of(s), ++expected_count);
    for (bool manual : {false, true}) {
      NOTE(manual);
      event e(manual, false);
      CHECK_EQ(signal_and_wait(e, never_released, ms), WAIT_TIMEOUT);
      CHECK_EQ(GetLastError(), untouched_error);
      CHECK_EQ(signaled_of(e), 1);
    }
  }
  CHECK_EQ(signaled_of(never_set), 0);
  CHECK_EQ(count_of(never_released), 0);
}

// The same object to signal and to wait on: the wait finds the signal just
// made and takes it, so a semaphore of count 0 is back to 0 and an
// auto-reset event is reset again; a manual-reset event stays set.
TEST(SignalObjectAndWait, TheSameObjectIsSignaledThenTaken) {
  semaphore s(0, 1);
  CHECK_EQ(signal_and_wait(s, s), WAIT_OBJECT_0);
  CHECK_EQ(GetLastError(), untouched_error);
  CHECK_EQ(count_of(s), 0);
  CHECK(maximum_is(s, 1));
  for (bool manual : {false, true}) {
    NOTE(manual);
    event e(manual, false);
    CHECK_EQ(signal_and_wait(e, e), WAIT_OBJECT_0);
    CHECK_EQ(GetLastError(), untouched_error);
    CHECK_EQ(signaled_of(e), manual ? 1 : 0);
  }
}

// The unit released goes to a thread blocked on the semaphore, as a
// ReleaseSemaphore's would.  Correct whether or not the thread is blocked
// yet: a late one finds the unit and takes it.
TEST(SignalObjectAndWait, TheReleaseGoesToAThreadBlockedOnTheSemaphore) {
  semaphore s(0, 1);
  event never_set(false, false);
  waiting_thread waiter([&] { return WaitForSingleObject(s, guard_ms); });
  waiter.wait_until_probably_blocked();
  CHECK_EQ(signal_and_wait(s, never_set), WAIT_TIMEOUT);
  CHECK_EQ(waiter.join(), WAIT_OBJECT_0);
  CHECK_EQ(count_of(s), 0);
}

// ---- Errors ----

// A semaphore already at its maximum cannot be released: the call fails with
// ERROR_TOO_MANY_POSTS before it waits, so the object to wait on keeps its
// unit or its signal, and the semaphore its count.
TEST(SignalObjectAndWait, ASemaphoreAtItsMaximumIsTooManyPostsAndNothingIsWaited) {
  for (LONG maximum : {LONG{1}, LONG{3}}) {
    NOTE(maximum);
    semaphore full(maximum, maximum);
    semaphore w(1, 1);
    event automatic(false, true);
    CHECK_EQ(signal_and_wait(full, w), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
    CHECK_EQ(signal_and_wait(full, automatic, INFINITE), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
    CHECK_EQ(count_of(w), 1);
    CHECK_EQ(signaled_of(automatic), 1);
    CHECK_EQ(count_of(full), maximum);
    CHECK(maximum_is(full, maximum));
  }
}

// Not a handle, a closed one, and handles of objects that cannot be
// signaled (the current process and thread): ERROR_INVALID_HANDLE, and the
// wait is not performed.
TEST(SignalObjectAndWait, ABadHandleToSignalIsInvalidHandleAndNothingIsWaited) {
  semaphore w(1, 1);
  event automatic(false, true);
  HANDLE closed = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  CloseHandle(closed);
  for (HANDLE bad : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234),
                     GetCurrentProcess(), GetCurrentThread()}) {
    NOTE(bad);
    CHECK_EQ(signal_and_wait(bad, w), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(signal_and_wait(bad, automatic), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
  CHECK_EQ(count_of(w), 1);
  CHECK_EQ(signaled_of(automatic), 1);
}

// Both handles are looked up before anything is signaled (Windows'
// NtSignalAndWaitForSingleObject references the object to wait on before it
// signals; Wine queues the wait first), so a bad handle to wait on leaves
// the object to signal as it was, and is reported even when the signal would
// have failed too.
//
// Which of two failing handles is reported is left alone: Windows looks up
// the handle to signal first and Wine 8 the handle to wait on, so a bad
// handle to signal with a handle to wait on that lacks SYNCHRONIZE is
// ERROR_INVALID_HANDLE on Windows and ERROR_ACCESS_DENIED under Wine.
TEST(SignalObjectAndWait, ABadHandleToWaitOnIsInvalidHandleAndNothingIsSignaled) {
  semaphore s(0, 1);
  semaphore full(1, 1);
  event automatic(false, false);
  HANDLE closed = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  CloseHandle(closed);
  for (HANDLE bad : {HANDLE{nullptr}, closed, reinterpret_cast<HANDLE>(0x1234)}) {
    NOTE(bad);
    for (HANDLE to_signal : {HANDLE{s}, HANDLE{automatic}, HANDLE{full}}) {
      NOTE(to_signal);
      CHECK_EQ(signal_and_wait(to_signal, bad), WAIT_FAILED);
      CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    }
  }
  CHECK_EQ(count_of(s), 0);
  CHECK_EQ(signaled_of(automatic), 0);
  CHECK_EQ(count_of(full), 1);
}

// The object to signal needs its modify right (SEMAPHORE_MODIFY_STATE,
// EVENT_MODIFY_STATE): SYNCHRONIZE alone is ERROR_ACCESS_DENIED, nothing is
// signaled and nothing waited.  The modify right alone is enough to signal,
// and SYNCHRONIZE alone to wait.
TEST(SignalObjectAndWait, TheHandleToSignalNeedsTheModifyRight) {
  semaphore s(0, 1);
  event e(false, false);
  semaphore w(1, 2);
  HANDLE s_sync = duplicate_with(s, SYNCHRONIZE);
  HANDLE e_sync = duplicate_with(e, SYNCHRONIZE);
  for (HANDLE refused : {s_sync, e_sync}) {
    NOTE(refused);
    CHECK_EQ(signal_and_wait(refused, w), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  }
  CHECK_EQ(count_of(s), 0);
  CHECK_EQ(signaled_of(e), 0);
  CHECK_EQ(count_of(w), 1);

  HANDLE s_modify = duplicate_with(s, SEMAPHORE_MODIFY_STATE);
  HANDLE e_modify = duplicate_with(e, EVENT_MODIFY_STATE);
  HANDLE w_sync = duplicate_with(w, SYNCHRONIZE);
  CHECK(ReleaseSemaphore(w, 1, nullptr));
  for (HANDLE allowed : {s_modify, e_modify}) {
    NOTE(allowed);
    CHECK_EQ(signal_and_wait(allowed, w_sync), WAIT_OBJECT_0);
    CHECK_EQ(GetLastError(), untouched_error);
  }
  CHECK_EQ(count_of(s), 1);
  CHECK_EQ(signaled_of(e), 1);
  CHECK_EQ(count_of(w), 0);
  for (HANDLE h : {s_sync, e_sync, s_modify, e_modify, w_sync}) CloseHandle(h);
}

// The object to wait on needs SYNCHRONIZE: without it the call is
// ERROR_ACCESS_DENIED before anything is signaled, and the object keeps its
// unit or its signal.
TEST(SignalObjectAndWait, TheHandleToWaitOnNeedsSynchronize) {
  semaphore s(0, 1);
  event e(false, false);
  semaphore w(1, 1);
  event set(false, true);
  HANDLE w_modify = duplicate_with(w, SEMAPHORE_MODIFY_STATE | SEMAPHORE_QUERY_STATE);
  HANDLE set_modify = duplicate_with(set, EVENT_MODIFY_STATE | EVENT_QUERY_STATE);
  for (HANDLE refused : {w_modify, set_modify}) {
    NOTE(refused);
    for (HANDLE to_signal : {HANDLE{s}, HANDLE{e}}) {
      NOTE(to_signal);
      CHECK_EQ(signal_and_wait(to_signal, refused), WAIT_FAILED);
      CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    }
  }
  CHECK_EQ(count_of(s), 0);
  CHECK_EQ(signaled_of(e), 0);
  CHECK_EQ(count_of(w), 1);
  CHECK_EQ(signaled_of(set), 1);
  CloseHandle(w_modify);
  CloseHandle(set_modify);
}

// ---- Threads ----

// Two threads hand the turn to each other with SignalObjectAndWait over two
// auto-reset events, many times: each call wakes the other thread and waits
// for its answer.  The turns strictly alternate, nothing deadlocks, and both
// events end reset.
TEST(SignalObjectAndWait, PingPongBetweenTwoThreadsAlternatesAndEnds) {
  constexpr int rounds = 1000;
  event ping(false, false), pong(false, false);
  std::atomic<int> turn{0};
  std::atomic<bool> wrong{false};
  std::thread answerer([&] {
    if (WaitForSingleObject(ping, guard_ms) != WAIT_OBJECT_0) {
      wrong = true;
      return;
    }
    for (int i = 0; i < rounds; ++i) {
      if (turn.load() != 2 * i + 1) wrong = true;
      turn = 2 * i + 2;
      if (i == rounds - 1) {
        if (!SetEvent(pong)) wrong = true;
      } else if (SignalObjectAndWait(pong, ping, guard_ms, FALSE) != WAIT_OBJECT_0) {
        wrong = true;
        return;
      }
    }
  });
  int completed = 0;
  for (int i = 0; i < rounds; ++i) {
    if (turn.load() != 2 * i) wrong = true;
    turn = 2 * i + 1;
    if (SignalObjectAndWait(ping, pong, guard_ms, FALSE) != WAIT_OBJECT_0) break;
    ++completed;
  }
  answerer.join();
  CHECK_EQ(completed, rounds);
  CHECK(!wrong.load());
  CHECK_EQ(turn.load(), 2 * rounds);
  CHECK_EQ(signaled_of({ping, pong}), (std::vector<int>{0, 0}));
}

// The signal and the start of the wait are one step: when the thread that
// the signal wakes runs, the caller is already waiting.  So a PulseEvent
// from the woken thread, which releases only threads already waiting,
// always releases the caller.  (With a SetEvent followed by a
// WaitForSingleObject instead, the pulse can come between the two and be
// missed: under Wine 8 about one round in seven misses it.)  Every round
// must succeed; a lost pulse shows as a wait that times out after the
// deadlock guard.
TEST(SignalObjectAndWait, APulseFromTheWokenThreadAlwaysReleasesTheCaller) {
  constexpr int rounds = 1000;
  event wake_answerer(false, false), answer(false, false);
  std::atomic<bool> stop{false};
  std::atomic<int> answerer_failures{0};
  std::thread answerer([&] {
    for (;;) {
      if (WaitForSingleObject(wake_answerer, guard_ms) != WAIT_OBJECT_0) {
        ++answerer_failures;
        return;
      }
      if (stop) return;
      if (!PulseEvent(answer)) ++answerer_failures;
    }
  });
  int released = 0;
  for (int round = 0; round < rounds; ++round) {
    const DWORD result = signal_and_wait(wake_answerer, answer, guard_ms);
    if (result != WAIT_OBJECT_0) {
      NOTE(round);
      CHECK_EQ(result, WAIT_OBJECT_0);
      break;
    }
    ++released;
  }
  stop = true;
  CHECK(SetEvent(wake_answerer));
  answerer.join();
  CHECK_EQ(released, rounds);
  CHECK_EQ(answerer_failures.load(), 0);
  CHECK_EQ(signaled_of({wake_answerer, answer}), (std::vector<int>{0, 0}));
}

}  // namespace
