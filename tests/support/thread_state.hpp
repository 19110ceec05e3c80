// Reading a thread's part in the wait engine in tests (white-box).
#pragma once

#include <ntsem/windows.h>

namespace ntsem::test {

// Whether the thread `id` of this process is in an alertable wait that an
// APC queued now would end (its thread object is armed:
// thread/thread_object.hpp).  It may not be asleep yet; either way an APC
// queued from now on ends the wait.
bool in_alertable_wait(DWORD id);

}  // namespace ntsem::test
