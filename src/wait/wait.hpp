// The wait engine: single-object waits, wait-any and wait-all, written once
// against the per-type operations table (object/object_type.hpp).
//
// How a waiter sleeps: on the claim word of its own wait block
// (shm/process_record.hpp), one futex word however many objects it waits on.
//  - waiting on one object or on any of several, it queues on each object,
//    and a release hands it its unit and wakes it (object/handoff.hpp,
//    wait/queued_wait.cpp);
//  - waiting for all of several, it queues on one object that blocks it, a
//    release of that object wakes it, and it takes all its objects in one
//    commit under their locks (wait/wait_all.cpp).
// No waiter returns WAIT_TIMEOUT before its deadline has passed.
//
// Alertable waits (`alertable`) also end with STATUS_USER_APC when the
// calling thread has user APCs queued (thread/alert.hpp), unless the wait
// can be satisfied at once; the caller then runs the APCs
// (thread::deliver_apcs), after the wait has left every queue.
//
// Every entry point takes a reference on each object before it blocks, so an
// object stays alive while a thread waits on it even if its handle is closed.
#pragma once

#include <functional>
#include <span>

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"
#include "object/object_type.hpp"
#include "object/state_word.hpp"
#include "sys/deadline.hpp"
#include "thread/alert.hpp"

namespace ntsem::wait {

struct target {
  object::object_ref object;
  shm::object_type type;
};

// Takes the object now if it can be taken without sleeping.  The uncontended
// path: one compare-and-swap, no system call.
inline object::take_result try_take_now(const target& t) {
  return object::visit_type(
      t.type, [&](auto ops) { return object::try_take<decltype(ops)>(t.object); },
      object::take_result::dead);
}

// What a wait that polls and found nothing to take returns: STATUS_TIMEOUT,
// or STATUS_USER_APC for an alertable one with APCs queued.
inline NTSTATUS nothing_taken(bool alertable) {
  return alertable && thread::apcs_queued() ? STATUS_USER_APC : STATUS_TIMEOUT;
}

// The part of wait_one that may block.
NTSTATUS wait_one_blocking(const target& t, const sys::deadline& until, bool alertable);

// The blocking part of a single-object wait and of a wait-any
// (wait/queued_wait.cpp): queues on every target in index order, taking
// the first that can be taken there, and sleeps until a release hands it
// one.  The caller holds a reference on every target.  STATUS_WAIT_0 + i,
// STATUS_TIMEOUT, STATUS_USER_APC, or an error.  With no targets, an
// alertable sleep.
NTSTATUS wait_queued(std::span<const target> targets, const sys::deadline& until,
                     bool alertable);

// SignalObjectAndWait's engine part: queues on `t` (or takes it), then
// calls `signal`, then sleeps as wait_queued does.  The caller holds a
// reference on t.  If the signal fails, the wait is not performed (a unit
// it was handed meanwhile is given back) and the signal's error returned.
NTSTATUS signal_and_wait_queued(const std::function<NTSTATUS()>& signal, const target& t,
                                const sys::deadline& until, bool alertable);

// STATUS_WAIT_0, STATUS_TIMEOUT, STATUS_USER_APC, or STATUS_INVALID_HANDLE
// if the object died.
inline NTSTATUS wait_one(const target& t, const sys::deadline& until, bool alertable) {
  switch (try_take_now(t)) {
    case object::take_result::taken: return STATUS_WAIT_0;
    case object::take_result::taken_abandoned: return STATUS_ABANDONED_WAIT_0;
    case object::take_result::limit_exceeded: return STATUS_MUTANT_LIMIT_EXCEEDED;
    case object::take_result::dead: return STATUS_INVALID_HANDLE;
    case object::take_result::not_signaled:
      if (until.is_poll()) return nothing_taken(alertable);
      break;
    case object::take_result::needs_lock: break;  // decided under the lock, even when polling
  }
  return wait_one_blocking(t, until, alertable);
}

// STATUS_WAIT_0 + i for the lowest index i that could be taken (and only that
// object changes), STATUS_TIMEOUT or STATUS_USER_APC.  Duplicates are
// allowed.
NTSTATUS wait_any(std::span<const target> targets, const sys::deadline& until, bool alertable);

// STATUS_WAIT_0 once every object was taken in one step, or STATUS_TIMEOUT
// or STATUS_USER_APC with none taken.  The targets must be distinct objects
// (the caller checks: STATUS_INVALID_PARAMETER_MIX).
NTSTATUS wait_all(std::span<const target> targets, const sys::deadline& until, bool alertable);

// wait_all's part after the references are taken (wait/wait_all.cpp).
NTSTATUS wait_all_blocking(std::span<const target> targets, const sys::deadline& until,
                           bool alertable);

// Sleeps until the deadline (for waits on objects that cannot be signaled
// while the caller waits, such as the current process, and for SleepEx):
// STATUS_TIMEOUT, or STATUS_USER_APC for an alertable sleep that APCs end.
NTSTATUS sleep_until(const sys::deadline& until, bool alertable);

}  // namespace ntsem::wait
