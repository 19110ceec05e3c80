// NtClose, NtDuplicateObject.
#include <ntsem/winternl.h>

#include "handle/reference.hpp"
#include "nt/thread.hpp"
#include "object/object_type.hpp"

using namespace ntsem;

extern "C" NTSTATUS NtClose(HANDLE h) {
  // Closing a pseudo handle does nothing: the current process (-1) and
  // thread (-2), and -3 to -6 (the current session and the token pseudo
  // handles, which Microsoft documents as needing no close).  Wine 8 agrees.
  if (handle::is_closable_pseudo(h)) return STATUS_SUCCESS;
  return handle::close(h);
}

extern "C" NTSTATUS NtDuplicateObject(HANDLE source_process, HANDLE source, HANDLE target_process,
                                      PHANDLE target, ACCESS_MASK access, ULONG attributes,
                                      ULONG options) {
  // Only the current process for now; other processes come with process
  // handles.
  if (source_process != handle::current_process()) return STATUS_INVALID_HANDLE;
  handle::handle_info info;
  // Duplicating the current thread's pseudo handle gives a real thread
  // handle; the current process's would need process objects: not yet.
  NTSTATUS status = source == handle::current_thread() ? nt::current_thread_entry(&info)
                                                       : handle::lookup(source, &info);
  if (status != STATUS_SUCCESS)
    return source != handle::current_thread() && handle::is_pseudo(source) ? STATUS_NOT_SUPPORTED
                                                                          : status;
  // The duplicate's own reference, taken before the source may be closed.
  if (!object::add_ref(info.object)) return STATUS_INVALID_HANDLE;
  // The source is closed whatever happens next, as on Windows.
  if (options & DUPLICATE_CLOSE_SOURCE) handle::close(source);
  if (target_process != handle::current_process() || !target) {
    object::drop_ref(info.object);
    return target_process != handle::current_process() ? STATUS_INVALID_HANDLE : STATUS_SUCCESS;
  }
  if (!(options & DUPLICATE_SAME_ACCESS)) {
    ACCESS_MASK mapped = object::visit_type(
        info.type,
        [&](auto ops) { return object::map_generic_access(access, decltype(ops)::mapping); },
        ACCESS_MASK{0});
    info.access = mapped;
  }
  info.flags = (attributes & OBJ_INHERIT) ? HANDLE_FLAG_INHERIT : 0;
  status = handle::insert(info, target);
  if (status != STATUS_SUCCESS) object::drop_ref(info.object);
  return status;
}
