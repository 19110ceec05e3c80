// Thread handles at the native face: the pseudo handle GetCurrentThread()
// as if it were an entry of the handle table (for duplication), and thread
// handles resolved to the threads they name.  Only threads of this process
// have handles (thread/thread_object.hpp).
#pragma once

#include <memory>

#include <ntsem/winternl.h>

#include "handle/handle_table.hpp"
#include "thread/thread_object.hpp"

namespace ntsem::nt {

// What a handle to the calling thread holds: its state object (no reference
// taken), the thread type and THREAD_ALL_ACCESS, as the pseudo handle has.
NTSTATUS current_thread_entry(handle::handle_info* out);

// The live thread that `h` (a thread handle with every right of `needed`,
// or the pseudo handle) names.  The checks of handle::reference, then
// STATUS_UNSUCCESSFUL for a thread that has ended.
NTSTATUS reference_thread(HANDLE h, ACCESS_MASK needed, std::shared_ptr<thread::thread_object>* out);

}  // namespace ntsem::nt
