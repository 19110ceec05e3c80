// A thread's queue of user APCs, in private memory: QueueUserAPC and
// NtQueueApcThread append to it from any thread of the process; only its own
// thread takes from it, when an alertable wait of that thread ends for it
// (thread/alert.hpp).  First in, first out.
//
// The queue closes when its thread ends: the APCs still queued are dropped,
// and appending fails from then on (QueueUserAPC to a thread that has ended
// fails).
//
// Memory ordering: the APCs themselves are guarded by the mutex, so an APC
// runs seeing everything its queuer wrote before queuing it.  The count is
// also kept in an atomic, written under the mutex and read without it with
// sequential consistency: it is one half of the store-buffering pattern
// that keeps an alertable wait from sleeping through an APC (INV-ALERT,
// thread/alert.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include <ntsem/winternl.h>

namespace ntsem::thread {

struct user_apc {
  PNTAPCFUNC routine = nullptr;
  ULONG_PTR arguments[3] = {0, 0, 0};
};

class apc_queue {
 public:
  // Appends `apc`; false once the queue is closed.
  bool push(const user_apc& apc);
  // Takes out the oldest APC; nothing when the queue is empty.
  std::optional<user_apc> pop();
  // Whether an APC is queued (one load, no lock).
  bool pending() const { return size_.load(std::memory_order_seq_cst) != 0; }
  // Drops the APCs queued and refuses every later push.
  void close();

 private:
  std::mutex mutex_;
  std::deque<user_apc> apcs_;  // guarded by mutex_
  bool closed_ = false;        // guarded by mutex_
  // apcs_.size(), stored under mutex_ after each change.
  std::atomic<std::uint64_t> size_{0};
};

}  // namespace ntsem::thread
