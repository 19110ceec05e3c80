// NtWaitForSingleObject, NtWaitForMultipleObjects.
#include <array>

#include "handle/reference.hpp"
#include "nt/native.hpp"
#include "nt/timeout.hpp"
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
  out->object = info.object;
  out->type = info.type;
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS wait_for_single_object(HANDLE h, bool alertable, const sys::deadline& timeout) {
  (void)alertable;  // no APCs yet: an alertable wait is an ordinary one
  wait::target t;
  NTSTATUS status = resolve_waitable(h, &t);
  if (status == STATUS_SUCCESS) return wait::wait_one(t, timeout);
  if (h == handle::current_process() || h == handle::current_thread())
    // The caller's own process or thread cannot end while it waits here.
    return wait::sleep_until(timeout);
  return status;
}

NTSTATUS wait_for_multiple_objects(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                   bool alertable, const sys::deadline& timeout) {
  (void)alertable;
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
  if (type == WaitAny) return wait::wait_any(span, timeout);
  // The same object twice (through one handle or two) cannot be taken twice in
  // one step: Windows refuses it.
  for (ULONG i = 0; i < count; ++i)
    for (ULONG j = i + 1; j < count; ++j)
      if (targets[i].object.slot == targets[j].object.slot) return STATUS_INVALID_PARAMETER_MIX;
  return wait::wait_all(span, timeout);
}

}  // namespace ntsem::nt

extern "C" NTSTATUS NtWaitForSingleObject(HANDLE h, BOOLEAN alertable, PLARGE_INTEGER timeout) {
  return ntsem::nt::wait_for_single_object(h, alertable, ntsem::nt::to_deadline(timeout));
}

extern "C" NTSTATUS NtWaitForMultipleObjects(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                             BOOLEAN alertable, PLARGE_INTEGER timeout) {
  return ntsem::nt::wait_for_multiple_objects(count, handles, type, alertable,
                                              ntsem::nt::to_deadline(timeout));
}
