// Observing semaphores and threads through the Win32 API alone, so that every
// observation means the same on Windows and on ntsem.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "platform.h"

#include "../support/thread_probe.hpp"

namespace conformance {

// Sentinels for out-parameters and the last error: values no call produces,
// so "not written" and "untouched" are visible.
inline constexpr DWORD untouched_error = 0xDEADBEEF;
inline constexpr LONG untouched_long = 0x5EED5EED;

// The count of the semaphore `h` names, whatever access `h` has; -1 if `h` is
// not a live handle.  (For another kind of object the result means nothing.)
//
// It reads through a duplicate with every right and two calls:
//   WaitForSingleObject(full, 0)      WAIT_TIMEOUT: the count is 0, and
//                                     nothing changed.
//   ReleaseSemaphore(full, 1, &prev)  after a successful take: gives the unit
//                                     back and reports the count it had
//                                     without it; the count is prev + 1.
// Taking first means the release can never pass the maximum (no
// ERROR_TOO_MANY_POSTS at count == maximum), and a count of 0 is read without
// releasing anything, so a thread blocked on the object is never woken.
// While it runs the count is one lower for a moment: use it only while no
// other thread can take from or release the object.  Threads blocked on it
// are fine: none of them could take the unit before, so none can after it is
// given back.  The last error is kept.
LONG count_of(HANDLE h);
std::vector<LONG> counts_of(std::initializer_list<HANDLE> handles);
std::vector<LONG> counts_of(const std::vector<HANDLE>& handles);

// True if the semaphore's maximum is exactly `maximum`: a release of one more
// than the room left fails with ERROR_TOO_MANY_POSTS, and a release of exactly
// the room left succeeds (and is taken back, one wait per unit, so only for
// maxima close to the count: at most 1000 above it).  Same conditions as
// count_of.
bool maximum_is(HANDLE h, LONG maximum);

// A full-access duplicate of `h` in this process (closed by the caller), or
// nullptr.
HANDLE full_access_duplicate(HANDLE h);

HANDLE with_low_bits(HANDLE h, std::uintptr_t bits);

// 1 if the event `h` names is signaled, 0 if not, -1 if `h` is not a live
// event handle; whatever access `h` has.  It reads through a full-access
// duplicate: WaitForSingleObject(full, 0), and after a success SetEvent to
// give back the signal an auto-reset event lost (a manual-reset one keeps
// it; SetEvent changes nothing then).  While the event is signaled no thread
// can be blocked on it alone, so the SetEvent wakes nobody who could take
// the signal.  Same conditions as count_of: no other thread may set, reset
// or take the event while it runs.  The last error is kept.
int signaled_of(HANDLE h);
std::vector<int> signaled_of(std::initializer_list<HANDLE> handles);

// A name for a named object that no other case or run uses.
std::string fresh_name(const char* what);

// ---- Threads ----

// deadlock_guard, eventually() and let_others_run() are the test support's
// (tests/support/thread_probe.hpp, which needs nothing but the standard
// library, so it builds for Windows too).
using ntsem::test::deadlock_guard;
using ntsem::test::eventually;
using ntsem::test::let_others_run;

// The deadlock guard as a wait timeout: far longer than any correct wait.
inline constexpr DWORD guard_ms =
    static_cast<DWORD>(std::chrono::milliseconds(deadlock_guard).count());

// A thread that makes one wait call.  result() is untouched_error until the
// call returns.  The Win32 API cannot tell whether a thread is blocked yet;
// wait_until_probably_blocked() waits until the thread is about to call and
// then lets it run for 200 ms, hundreds of times what it needs.  Cases are
// written to stay correct if the thread is late anyway, except the two that
// close the handle a blocked thread waits through, which need it blocked.
class waiting_thread {
 public:
  explicit waiting_thread(std::function<DWORD()> wait);
  ~waiting_thread();
  waiting_thread(const waiting_thread&) = delete;
  waiting_thread& operator=(const waiting_thread&) = delete;

  void wait_until_probably_blocked() const;
  DWORD result() const { return result_; }
  DWORD join();  // the call's result

 private:
  std::atomic<bool> calling_{false};
  std::atomic<DWORD> result_{untouched_error};
  std::thread thread_;
};

}  // namespace conformance
