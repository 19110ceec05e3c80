// Reading an object's whole state in tests, so a scenario can compare it after
// every call (and see that a failed call changed nothing).
#pragma once

#include <ntsem/winternl.h>

#include <cstdint>
#include <string>

namespace ntsem::test {

// Sentinels for out-parameters and the last error: a value no call produces,
// so "not written" and "untouched" are visible.
inline constexpr LONG untouched_long = 0x5EED5EED;
inline constexpr DWORD untouched_error = 0xDEADBEEF;

struct semaphore_state {
  LONG count = -1;
  LONG maximum = -1;
  friend bool operator==(const semaphore_state&, const semaphore_state&) = default;
};

// A duplicate of `h` with every right of a semaphore or an event (both are
// 0x1F0003), closed by the caller; nullptr if `h` is not a live handle.
HANDLE full_access_duplicate(HANDLE h);

// Through NtQuerySemaphore on a full-access duplicate, so it works whatever
// access `h` has.  {-1, -1} if the handle is not a live semaphore.
semaphore_state state_of(HANDLE h);
inline LONG count_of(HANDLE h) { return state_of(h).count; }

// White-box: threads currently queued on the object (single-object waits,
// wait-anys, and wait-alls that it blocks: a snapshot of its queue, read
// without its lock).
std::uint32_t queue_length(HANDLE h);

// White-box: the kind of each entry in the object's queue, in order, as
// words ("any all": a wait-any, then a wait-all; "commit" for a commit
// mark), a snapshot read without its lock.
std::string queued_kinds(HANDLE h);

// White-box: entries in use (allocated, queued or not) in the entry area of
// h's object; for an unnamed object, the area its arena's objects share.
std::uint32_t entries_in_use(HANDLE h);

// Number of live objects in the process's arena (every object is unnamed).
std::size_t live_objects();

}  // namespace ntsem::test
