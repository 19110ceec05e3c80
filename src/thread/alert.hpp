// Alertable waits and user APCs (docs/wait-engine.md, "Alertable waits and
// APCs").
//
// A user APC queued to a thread (QueueUserAPC, NtQueueApcThread) runs only
// in that thread, when an alertable wait of it ends for it: the wait returns
// WAIT_IO_COMPLETION (STATUS_USER_APC) after every APC queued has run,
// oldest first.  A wait that can be satisfied when it starts is satisfied
// (the APCs stay queued); so is one that a release satisfies before an APC
// ends it.  The APCs run after the wait has left every queue, so an object
// that an APC signals is not taken by the wait that ran it.
//
// A thread sleeping in an alertable wait is ended by the queuer, on the
// claim word of its wait block (shm/process_record.hpp): the compare-and-swap
// waiting(serial, tid) -> alerted(serial, tid), then a wake.  That is one of
// the moves out of waiting that INV-CLAIM allows once per wait; releasers
// pass an alerted wait's entries by, and the thread leaves its queues as a
// withdrawing one does.  The queuer learns which wait to alert from the
// thread object (thread/thread_object.hpp): the wait arms it with its
// serial before every sleep, and disarms it when it ends.
//
//   INV-ALERT  An APC queued while its thread is in an alertable wait ends
//              that wait, unless something else ended it first.  The waiter
//              stores waiting(serial) into its claim word, then the serial
//              into alert_armed, then reads whether APCs are queued; the
//              queuer appends the APC (the queue's count), then reads
//              alert_armed, then tries the compare-and-swap.  All six are
//              sequentially consistent, so either the waiter sees the APC
//              (and ends the wait itself, as a withdrawal) or the queuer
//              sees the serial armed and finds the wait still waiting, or
//              already ended by something else.
//
// A serial is 24 bits: a queuer delayed between reading alert_armed and its
// compare-and-swap for 2^24 waits of the same thread could alert a later
// wait of that serial; the releasers' claims accept the same.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <ntsem/winternl.h>

#include "thread/apc_queue.hpp"
#include "thread/thread_object.hpp"

namespace ntsem::thread {

// Appends `apc` to t's queue and, if t sleeps in an alertable wait, ends
// that wait.  STATUS_UNSUCCESSFUL if t has ended (as Windows for a thread
// that is terminating).
NTSTATUS queue_user_apc(thread_object& t, const user_apc& apc);

// Whether the calling thread has APCs queued.
bool apcs_queued();

// When `status` is STATUS_USER_APC (an alertable wait that ended for APCs),
// runs the calling thread's APCs, oldest first, until none is queued,
// including APCs that they queue.  Returns `status`.
NTSTATUS deliver_apcs(NTSTATUS status);

// One wait of the calling thread, alertable or not.  A thread that has no
// thread object and cannot make one has no APCs either (queuing one needs a
// handle to the thread), so its alertable wait is an ordinary one.
class alertable_wait {
 public:
  explicit alertable_wait(bool alertable);
  ~alertable_wait();
  alertable_wait(const alertable_wait&) = delete;
  alertable_wait& operator=(const alertable_wait&) = delete;

  // Before each sleep of the wait whose claim word is `claim` and serial
  // `serial` (waiting(serial, tid) already stored): from now on an APC
  // queued alerts that wait.  True when APCs are already queued: the caller
  // ends the wait itself, with STATUS_USER_APC.  Always false for a wait
  // that is not alertable.
  bool arm(std::atomic<std::uint64_t>& claim, std::uint32_t serial);

 private:
  std::shared_ptr<thread_object> self_;  // null: not alertable
};

}  // namespace ntsem::thread
