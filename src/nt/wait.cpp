// NtWaitForSingleObject, NtWaitForMultipleObjects.
#include <array>

#include <ntsem/winternl.h>

#include "handle/reference.hpp"
#include "nt/timeout.hpp"
#include "wait/wait.hpp"

using namespace ntsem;

namespace {

// A handle that can be waited on, resolved: STATUS_SUCCESS, or the error of
// the first failed check (bad handle, not a waitable type, no SYNCHRONIZE).
NTSTATUS resolve_waitable(HANDLE h, wait::target* out) {
  handle::handle_info info;
  NTSTATUS status = handle::reference(h, shm::object_type::none, 0, &info);
  if (status != STATUS_SUCCESS) return status;
  bool waitable = object::visit_type(info.type, [](auto) { return true; }, false);
  if (!waitable) return STATUS_OBJECT_TYPE_MISMATCH;
  if (!(info.access & SYNCHRONIZE)) return STATUS_ACCESS_DENIED;
  *out = {info.object, info.type};
  return STATUS_SUCCESS;
}

}  // namespace

extern "C" NTSTATUS NtWaitForSingleObject(HANDLE h, BOOLEAN alertable, PLARGE_INTEGER timeout) {
  (void)alertable;  // no APCs yet: an alertable wait is an ordinary one
  if (h == handle::current_process() || h == handle::current_thread())
    // The caller's own process or thread cannot end while it waits here.
    return wait::sleep_until(nt::to_deadline(timeout));
  wait::target t;
  NTSTATUS status = resolve_waitable(h, &t);
  if (status != STATUS_SUCCESS) return status;
  // A successful or timed-out wait: statuses below 0x100 or STATUS_TIMEOUT.
  return wait::wait_one(t, nt::to_deadline(timeout));
}

extern "C" NTSTATUS NtWaitForMultipleObjects(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                             BOOLEAN alertable, PLARGE_INTEGER timeout) {
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
  const sys::deadline until = nt::to_deadline(timeout);
  if (type == WaitAny) return wait::wait_any(span, until);
  // The same object twice (through one handle or two) cannot be taken twice in
  // one step: Windows refuses it.
  for (ULONG i = 0; i < count; ++i)
    for (ULONG j = i + 1; j < count; ++j)
      if (targets[i].object.slot == targets[j].object.slot) return STATUS_INVALID_PARAMETER_MIX;
  return wait::wait_all(span, until);
}
