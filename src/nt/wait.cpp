// NtWaitForSingleObject, NtWaitForMultipleObjects, NtSignalAndWaitForSingleObject.
#include <array>

#include "handle/reference.hpp"
#include "nt/native.hpp"
#include "nt/timeout.hpp"
#include "object/event.hpp"
#include "object/mutex.hpp"
#include "object/semaphore.hpp"
#include "thread/alert.hpp"
#include "wait/wait.hpp"

namespace ntsem::nt {
namespace {

// A handle that can be waited on, resolved: STATUS_SUCCESS, or the error of
// the first failed check (bad handle, not a waitable type, no SYNCHRONIZE).
inline NTSTATUS resolve_waitable(HANDLE h, wait::target* out) {
  handle::handle_info info;
  NTSTATUS status = handle::lookup(h, &info);
  if (status != STATUS_SUCCESS) return status;
  bool waitable = object::visit_type(info.type, [](auto) { return true; }, false);
  if (!waitable) return STATUS_OBJECT_TYPE_MISMATCH;
  if (!(info.access & SYNCHRONIZE)) return STATUS_ACCESS_DENIED;
  // Field by field: a copy of the whole reference read it back in 16-byte
  // words just stored narrower by the lookup (a store-forwarding stall),
  // most of the cost of resolving 64 handles.
  out->object.slot = info.object.slot;
  out->object.incarnation = info.object.incarnation;
  out->object.home = info.object.home;
  out->object.home_generation = info.object.home_generation;
  out->type = info.type;
  return STATUS_SUCCESS;
}

NTSTATUS wait_single(HANDLE h, bool alertable, const sys::deadline& timeout) {
  wait::target t;
  NTSTATUS status = resolve_waitable(h, &t);
  if (status == STATUS_SUCCESS) return wait::wait_one(t, timeout, alertable);
  if (h == handle::current_process() || h == handle::current_thread())
    // The caller's own process or thread cannot end while it waits here.
    return wait::sleep_until(timeout, alertable);
  return status;
}

NTSTATUS wait_multiple(ULONG count, const HANDLE* handles, WAIT_TYPE type, bool alertable,
                       const sys::deadline& timeout) {
  if (count == 0 || count > MAXIMUM_WAIT_OBJECTS) return STATUS_INVALID_PARAMETER_1;
  if (type != WaitAll && type != WaitAny) return STATUS_INVALID_PARAMETER_3;
  if (!handles) return STATUS_ACCESS_VIOLATION;
  std::array<wait::target, MAXIMUM_WAIT_OBJECTS> targets;
  for (ULONG i = 0; i < count; ++i) {
    // Windows refuses pseudo handles here, although a single wait takes them.
    NTSTATUS status = resolve_waitable(handles[i], &targets[i]);
    if (status != STATUS_SUCCESS) return status;
  }
  auto span = std::span(targets.data(), count);
  if (type == WaitAny) return wait::wait_any(span, timeout, alertable);
  // The same object twice (through one handle or two) cannot be taken twice in
  // one step: Windows refuses it.
  for (ULONG i = 0; i < count; ++i)
    for (ULONG j = i + 1; j < count; ++j)
      if (targets[i].object.slot == targets[j].object.slot) return STATUS_INVALID_PARAMETER_MIX;
  return wait::wait_all(span, timeout, alertable);
}

// The signal half of NtSignalAndWaitForSingleObject, checked: the signal
// object's type and right (semaphore: SEMAPHORE_MODIFY_STATE, event:
// EVENT_MODIFY_STATE, mutex: none; other types:
// STATUS_OBJECT_TYPE_MISMATCH).
NTSTATUS check_signal(const handle::handle_info& info) {
  switch (info.type) {
    case shm::object_type::semaphore:
      return (info.access & SEMAPHORE_MODIFY_STATE) ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
    case shm::object_type::event:
      return (info.access & EVENT_MODIFY_STATE) ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
    case shm::object_type::mutex:  // a release needs no right (ReactOS agrees)
      return STATUS_SUCCESS;
    case shm::object_type::thread:
    case shm::object_type::none: break;
  }
  return STATUS_OBJECT_TYPE_MISMATCH;
}

NTSTATUS signal(const handle::handle_info& info) {
  if (info.type == shm::object_type::semaphore)
    return object::release_semaphore(info.object, 1, nullptr);
  if (info.type == shm::object_type::mutex) return object::release_mutex(info.object, nullptr);
  return object::change_event(info.object, object::event_change::set, nullptr);
}

// A semaphore already at its maximum refuses the signal: then the wait is
// not begun at all (nothing to give back).
bool semaphore_full(const handle::handle_info& info) {
  LONG count = 0, maximum = 0;
  return info.type == shm::object_type::semaphore &&
         object::query_semaphore(info.object, &count, &maximum) == STATUS_SUCCESS &&
         count == maximum;
}

// Checked as Windows' kernel checks them: the signal handle (any access),
// then the wait handle (SYNCHRONIZE), then the signal object's type and
// right.  Then the wait is queued before the signal is made, so that a
// thread woken by the signal that signals back finds this one waiting.
NTSTATUS signal_and_wait_once(HANDLE signal_handle, HANDLE wait_handle, bool alertable,
                              const sys::deadline& timeout) {
  handle::handle_info signal_info;
  NTSTATUS status = handle::lookup(signal_handle, &signal_info);
  if (status != STATUS_SUCCESS) return status;
  wait::target t;
  const bool wait_on_self =
      wait_handle == handle::current_process() || wait_handle == handle::current_thread();
  if (!wait_on_self)
    if (status = resolve_waitable(wait_handle, &t); status != STATUS_SUCCESS) return status;
  if (status = check_signal(signal_info); status != STATUS_SUCCESS) return status;
  if (semaphore_full(signal_info)) return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
  if (wait_on_self) {
    if (status = signal(signal_info); status != STATUS_SUCCESS) return status;
    return wait::sleep_until(timeout, alertable);
  }
  if (!object::add_ref(t.object)) return STATUS_INVALID_HANDLE;
  status = wait::signal_and_wait_queued([&] { return signal(signal_info); }, t, timeout,
                                        alertable);
  object::drop_ref(t.object);
  return status;
}

}  // namespace

// Each wait that an APC ends runs the thread's APCs before it returns, once
// it has left every queue.
NTSTATUS wait_for_single_object(HANDLE h, bool alertable, const sys::deadline& timeout) {
  return thread::deliver_apcs(wait_single(h, alertable, timeout));
}

NTSTATUS wait_for_multiple_objects(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                   bool alertable, const sys::deadline& timeout) {
  return thread::deliver_apcs(wait_multiple(count, handles, type, alertable, timeout));
}

NTSTATUS signal_and_wait(HANDLE signal_handle, HANDLE wait_handle, bool alertable,
                         const sys::deadline& timeout) {
  return thread::deliver_apcs(signal_and_wait_once(signal_handle, wait_handle, alertable, timeout));
}

}  // namespace ntsem::nt

extern "C" NTSTATUS NtSignalAndWaitForSingleObject(HANDLE signal_handle, HANDLE wait_handle,
                                                   BOOLEAN alertable, PLARGE_INTEGER timeout) {
  return ntsem::nt::signal_and_wait(signal_handle, wait_handle, alertable,
                                    ntsem::nt::to_deadline(timeout));
}

extern "C" NTSTATUS NtWaitForSingleObject(HANDLE h, BOOLEAN alertable, PLARGE_INTEGER timeout) {
  return ntsem::nt::wait_for_single_object(h, alertable, ntsem::nt::to_deadline(timeout));
}

extern "C" NTSTATUS NtWaitForMultipleObjects(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                             BOOLEAN alertable, PLARGE_INTEGER timeout) {
  return ntsem::nt::wait_for_multiple_objects(count, handles, type, alertable,
                                              ntsem::nt::to_deadline(timeout));
}
