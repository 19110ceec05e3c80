// Thread handles: DuplicateHandle of GetCurrentThread() gives a real handle
// to the calling thread, OpenThread one to a thread of this process by its
// id.  A thread handle is signaled once its thread has ended; a thread that
// has ended takes no more APCs.
#include <atomic>

#include "harness.h"
#include "observe.h"
#include "owned_objects.h"

namespace {

using namespace conformance;

std::atomic<int> apcs_run{0};
void WINAPI count_apc(ULONG_PTR) { ++apcs_run; }

// A thread that runs until told to end, with its id.
class running_thread : public ntsem::test::running_thread {
 public:
  running_thread() : ntsem::test::running_thread([] { return GetCurrentThreadId(); }) {}
};

TEST(ThreadHandle, DuplicatingGetCurrentThreadGivesARealHandle) {
  HANDLE h = nullptr;
  REQUIRE(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &h, 0,
                          FALSE, DUPLICATE_SAME_ACCESS));
  owned_handle owned(h);
  CHECK(h != GetCurrentThread());
  // The thread runs: a wait on it times out.
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_TIMEOUT);
  CHECK_EQ(WaitForMultipleObjects(1, &h, FALSE, 10), WAIT_TIMEOUT);
  apcs_run = 0;
  CHECK(QueueUserAPC(count_apc, h, 0) != 0);
  CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
  CHECK_EQ(apcs_run.load(), 1);
}

// Windows' NtOpenThread refuses an id that names no thread with
// STATUS_INVALID_CID: ERROR_INVALID_PARAMETER.
TEST(ThreadHandle, OpenThreadOfAnUnknownIdIsInvalidParameter) {
  for (DWORD id : {DWORD{0}, DWORD{0xFFFFFFF0}}) {
    NOTE(id);
    SetLastError(untouched_error);
    CHECK(OpenThread(THREAD_ALL_ACCESS, FALSE, id) == nullptr);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  }
}

// Signaled once the thread has ended, for a thread blocked on it and for
// every later wait; the handle stays valid.
TEST(ThreadHandle, AWaitOnAThreadEndsWhenTheThreadEnds) {
  running_thread target;
  owned_handle h(OpenThread(SYNCHRONIZE, FALSE, target.id()));
  semaphore never(0, 1);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_TIMEOUT);
  waiting_thread single([&] { return WaitForSingleObject(h, guard_ms); });
  waiting_thread any([&] {
    const HANDLE both[2] = {never, h};
    return WaitForMultipleObjects(2, both, FALSE, guard_ms);
  });
  single.wait_until_probably_blocked();
  any.wait_until_probably_blocked();
  CHECK_EQ(single.result(), untouched_error);
  target.end();
  CHECK_EQ(single.join(), WAIT_OBJECT_0);
  CHECK_EQ(any.join(), WAIT_OBJECT_0 + 1);
  CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
  CHECK_EQ(WaitForSingleObjectEx(h, INFINITE, TRUE), WAIT_OBJECT_0);
}

// A thread that has ended: its queued APC never ran, and QueueUserAPC fails
// with ERROR_GEN_FAILURE (NtQueueApcThread's STATUS_UNSUCCESSFUL).  Its id
// still opens it while a handle to it is open (the thread object lives, and
// its id with it), and no longer once every handle is closed.
TEST(ThreadHandle, AThreadThatHasEndedTakesNoApcs) {
  running_thread target;
  const DWORD id = target.id();
  HANDLE h = OpenThread(THREAD_SET_CONTEXT | SYNCHRONIZE, FALSE, id);
  REQUIRE(h != nullptr);
  apcs_run = 0;
  REQUIRE(QueueUserAPC(count_apc, h, 0) != 0);
  target.end();
  REQUIRE(WaitForSingleObject(h, guard_ms) == WAIT_OBJECT_0);
  CHECK_EQ(apcs_run.load(), 0);
  SetLastError(untouched_error);
  CHECK_EQ(QueueUserAPC(count_apc, h, 0), 0);
  CHECK_EQ(GetLastError(), ERROR_GEN_FAILURE);
  HANDLE again = OpenThread(SYNCHRONIZE, FALSE, id);
  CHECK(again != nullptr);
  if (again) {
    CHECK_EQ(WaitForSingleObject(again, 0), WAIT_OBJECT_0);
    CloseHandle(again);
  }
  CloseHandle(h);
  SetLastError(untouched_error);
  CHECK(OpenThread(SYNCHRONIZE, FALSE, id) == nullptr);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  CHECK_EQ(apcs_run.load(), 0);
}

}  // namespace
