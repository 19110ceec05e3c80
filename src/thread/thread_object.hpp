// Threads as ntsem knows them: a thread of this process gets a thread
// object at its first call that needs one (GetCurrentThreadId, a use of
// GetCurrentThread() as a handle, an alertable wait), and keeps it until it
// ends.  Threads of other processes have none: they cannot be opened.
//
// A thread object has three parts:
//   - its state, an arena object that its handles wait on (object/thread.hpp):
//     signaled once the thread has ended;
//   - its queue of user APCs (thread/apc_queue.hpp);
//   - which alertable wait of the thread, if any, an APC may end (below, and
//     thread/alert.hpp).
// It lives in private memory, shared by the thread, the registry of live
// threads (thread/thread_registry.hpp) and callers that found it there.
//
// A thread ends when its thread-local storage is destroyed (it returned
// from its start routine or called pthread_exit; the main thread, at
// exit()): its APCs are dropped and no more are taken, and its state
// becomes signaled.  Thread-local destructors that run after ntsem's may
// still be running then.  It can be opened by its id for as long as a
// handle to it is open (thread/thread_registry.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "thread/apc_queue.hpp"

namespace ntsem::thread {

struct thread_object : std::enable_shared_from_this<thread_object> {
  std::uint32_t id = 0;      // the Linux thread id, which GetCurrentThreadId returns
  object::object_ref state;  // the thread holds one reference until it ends
  apc_queue apcs;
  // The alertable wait in progress (thread/alert.hpp): the claim word of
  // the thread's wait block, set before the first arming and never changed,
  // and armed_serial(serial) of the wait while it may be alerted, else 0.
  std::atomic<std::atomic<std::uint64_t>*> alert_claim{nullptr};
  std::atomic<std::uint64_t> alert_armed{0};
};

// The calling thread's object, made at the first call.  STATUS_UNSUCCESSFUL
// once the thread is ending; STATUS_INSUFFICIENT_RESOURCES when the arena
// has no slot left.
NTSTATUS current_thread(std::shared_ptr<thread_object>* out);

// The calling thread's object if it already has one; no allocation.
thread_object* current_thread_if_made();

}  // namespace ntsem::thread
