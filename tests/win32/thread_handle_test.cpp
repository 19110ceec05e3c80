// Thread handles (thread/thread_object.hpp, nt/thread.hpp): a real handle to
// a thread of this process comes from DuplicateHandle of GetCurrentThread()
// or from OpenThread of a thread id ntsem knows; it is waited on until the
// thread ends, carries the thread rights, and QueueUserAPC needs
// THREAD_SET_CONTEXT on it.  A thread that has ended can no longer be
// opened or sent APCs, and the APCs it had queued never run.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <ntsem/winternl.h>

#include "support/semaphore_state.hpp"
#include "support/thread_probe.hpp"

namespace {

using ntsem::test::count_of;
using ntsem::test::let_others_run;
using ntsem::test::untouched_error;

constexpr DWORD guard_ms = ntsem::test::deadlock_guard_ms;

std::atomic<int> apcs_run{0};
void WINAPI count_apc(ULONG_PTR) { ++apcs_run; }

HANDLE duplicate_current_thread(DWORD access, DWORD options) {
  HANDLE h = nullptr;
  if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &h, access,
                       FALSE, options))
    return nullptr;
  return h;
}

// A thread that runs until told to end; its id is known to ntsem (it called
// GetCurrentThreadId).
class running_thread : public ntsem::test::running_thread {
 public:
  running_thread() : ntsem::test::running_thread([] { return GetCurrentThreadId(); }) {}
};

TEST(ThreadHandle, DuplicatingGetCurrentThreadGivesARealHandle) {
  HANDLE h = duplicate_current_thread(0, DUPLICATE_SAME_ACCESS);
  ASSERT_NE(h, nullptr);
  EXPECT_NE(h, GetCurrentThread());
  DWORD flags = 0xFF;
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, 0u);
  // Every right of the pseudo handle: a wait (the thread runs: a timeout),
  // and an APC.
  EXPECT_EQ(WaitForSingleObject(h, 0), DWORD(WAIT_TIMEOUT));
  const HANDLE one[1] = {h};
  EXPECT_EQ(WaitForMultipleObjects(1, one, FALSE, 10), DWORD(WAIT_TIMEOUT));
  apcs_run = 0;
  EXPECT_NE(QueueUserAPC(count_apc, h, 0), 0u);
  EXPECT_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(apcs_run, 1);
  EXPECT_TRUE(CloseHandle(h));
  SetLastError(untouched_error);
  EXPECT_FALSE(CloseHandle(h));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
}

// The access asked for, mapped by the thread mapping.
TEST(ThreadHandle, ADuplicateHasTheAccessAskedFor) {
  HANDLE sync = duplicate_current_thread(SYNCHRONIZE, 0);
  HANDLE execute = duplicate_current_thread(GENERIC_EXECUTE, 0);
  HANDLE apc_only = duplicate_current_thread(THREAD_SET_CONTEXT, 0);
  for (HANDLE waitable : {sync, execute}) {
    SCOPED_TRACE(waitable);
    EXPECT_EQ(WaitForSingleObject(waitable, 0), DWORD(WAIT_TIMEOUT));
    EXPECT_EQ(QueueUserAPC(count_apc, waitable, 0), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  }
  SetLastError(untouched_error);
  EXPECT_EQ(WaitForSingleObject(apc_only, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
  EXPECT_NE(QueueUserAPC(count_apc, apc_only, 0), 0u);
  EXPECT_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  for (HANDLE h : {sync, execute, apc_only}) CloseHandle(h);
}

TEST(ThreadHandle, OpenThreadOpensAThreadOfThisProcess) {
  HANDLE self = OpenThread(THREAD_ALL_ACCESS, FALSE, GetCurrentThreadId());
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(WaitForSingleObject(self, 0), DWORD(WAIT_TIMEOUT));
  running_thread other;
  HANDLE h = OpenThread(SYNCHRONIZE | THREAD_SET_CONTEXT, TRUE, other.id());
  ASSERT_NE(h, nullptr);
  DWORD flags = 0;
  EXPECT_TRUE(GetHandleInformation(h, &flags));
  EXPECT_EQ(flags, DWORD(HANDLE_FLAG_INHERIT));
  EXPECT_EQ(WaitForSingleObject(h, 0), DWORD(WAIT_TIMEOUT));
  other.end();
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  CloseHandle(h);
  CloseHandle(self);
}

// An id that names no live thread of this process: Windows' NtOpenThread
// says STATUS_INVALID_CID, which is ERROR_INVALID_PARAMETER.  Threads of
// other processes are not supported yet: their ids are refused alike.
TEST(ThreadHandle, OpenThreadOfAnUnknownIdIsInvalidParameter) {
  for (DWORD id : {DWORD{0}, DWORD{0xFFFFFFF0}, DWORD{1}}) {
    SCOPED_TRACE(id);
    SetLastError(untouched_error);
    EXPECT_EQ(OpenThread(THREAD_ALL_ACCESS, FALSE, id), nullptr);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
  }
}

// A thread handle is signaled once its thread has ended: a thread blocked
// on it is woken, alone or in a wait-any, and later waits succeed at once.
// A wait on it takes nothing.
TEST(ThreadHandle, AWaitOnAThreadEndsWhenTheThreadEnds) {
  running_thread target;
  HANDLE h = OpenThread(SYNCHRONIZE, FALSE, target.id());
  ASSERT_NE(h, nullptr);
  HANDLE never = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  std::atomic<DWORD> single{untouched_error}, any{untouched_error};
  std::thread single_waiter([&] { single = WaitForSingleObject(h, guard_ms); });
  std::thread any_waiter([&] {
    const HANDLE both[2] = {never, h};
    any = WaitForMultipleObjects(2, both, FALSE, guard_ms);
  });
  let_others_run();
  EXPECT_EQ(single, untouched_error);
  EXPECT_EQ(any, untouched_error);
  target.end();
  single_waiter.join();
  any_waiter.join();
  EXPECT_EQ(single, WAIT_OBJECT_0);
  EXPECT_EQ(any, WAIT_OBJECT_0 + 1);
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObjectEx(h, INFINITE, TRUE), WAIT_OBJECT_0);
  // In a wait-all too, beside an object the wait takes from.
  HANDLE one = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  const HANDLE all[2] = {h, one};
  EXPECT_EQ(WaitForMultipleObjects(2, all, TRUE, 0), WAIT_OBJECT_0);
  EXPECT_EQ(count_of(one), 0);
  for (HANDLE x : {h, never, one}) CloseHandle(x);
}

// Ended: no APC can be queued (ERROR_GEN_FAILURE, as Windows for a thread
// that is terminating), and the APCs it had queued were dropped.  Its id
// still opens it while a handle to it is open (on Windows a thread id names
// its thread until the thread object is deleted), and no longer once every
// handle is closed.
TEST(ThreadHandle, AThreadThatHasEndedTakesNoApcs) {
  running_thread target;
  HANDLE h = OpenThread(THREAD_SET_CONTEXT | SYNCHRONIZE, FALSE, target.id());
  ASSERT_NE(h, nullptr);
  apcs_run = 0;
  ASSERT_NE(QueueUserAPC(count_apc, h, 0), 0u);
  const DWORD id = target.id();
  target.end();
  EXPECT_EQ(apcs_run, 0);
  SetLastError(untouched_error);
  EXPECT_EQ(QueueUserAPC(count_apc, h, 0), 0u);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_GEN_FAILURE));
  EXPECT_EQ(NtQueueApcThread(h, [](ULONG_PTR, ULONG_PTR, ULONG_PTR) {}, 0, 0, 0),
            STATUS_UNSUCCESSFUL);
  HANDLE again = OpenThread(THREAD_SET_CONTEXT | SYNCHRONIZE, FALSE, id);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(WaitForSingleObject(again, 0), WAIT_OBJECT_0);
  EXPECT_EQ(QueueUserAPC(count_apc, again, 0), 0u);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_GEN_FAILURE));
  EXPECT_TRUE(CloseHandle(again));
  EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  EXPECT_TRUE(CloseHandle(h));
  SetLastError(untouched_error);
  EXPECT_EQ(OpenThread(SYNCHRONIZE, FALSE, id), nullptr);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(apcs_run, 0);
}

// A thread handle is no semaphore or event: the calls of those types
// refuse it with ERROR_INVALID_HANDLE.
TEST(ThreadHandle, IsRefusedByTheCallsOfOtherTypes) {
  HANDLE h = duplicate_current_thread(0, DUPLICATE_SAME_ACCESS);
  ASSERT_NE(h, nullptr);
  HANDLE s = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  SetLastError(untouched_error);
  EXPECT_FALSE(ReleaseSemaphore(h, 1, nullptr));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_FALSE(SetEvent(h));
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(SignalObjectAndWait(h, s, 0, FALSE), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
  EXPECT_EQ(count_of(s), 1);
  CloseHandle(s);
  CloseHandle(h);
}

}  // namespace
