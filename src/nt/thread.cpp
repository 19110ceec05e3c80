// NtQueueApcThread, and the internal calls behind OpenThread and
// GetCurrentThreadId.
#include "nt/thread.hpp"

#include "handle/reference.hpp"
#include "nt/native.hpp"
#include "object/object_type.hpp"
#include "sys/robust_list.hpp"
#include "thread/alert.hpp"
#include "thread/thread_registry.hpp"

namespace ntsem::nt {

NTSTATUS current_thread_entry(handle::handle_info* out) {
  std::shared_ptr<thread::thread_object> self;
  if (NTSTATUS s = thread::current_thread(&self); s != STATUS_SUCCESS) return s;
  *out = {self->state, shm::object_type::thread, THREAD_ALL_ACCESS, 0};
  return STATUS_SUCCESS;
}

NTSTATUS reference_thread(HANDLE h, ACCESS_MASK needed,
                          std::shared_ptr<thread::thread_object>* out) {
  if (h == handle::current_thread()) return thread::current_thread(out);
  handle::handle_info info;
  if (NTSTATUS s = handle::reference(h, shm::object_type::thread, needed, &info);
      s != STATUS_SUCCESS)
    return s;
  *out = thread::find_thread(info.object);
  return *out ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}

DWORD current_thread_id() {
  // Made known here, so that OpenThread finds the thread by this id.
  std::shared_ptr<thread::thread_object> self;
  return thread::current_thread(&self) == STATUS_SUCCESS ? self->id : sys::current_thread_id();
}

NTSTATUS open_thread(HANDLE* out, ACCESS_MASK access, bool inherit, DWORD id) {
  std::shared_ptr<thread::thread_object> t;
  if (id == sys::current_thread_id()) {
    if (NTSTATUS s = thread::current_thread(&t); s != STATUS_SUCCESS) return s;
  } else {
    t = thread::find_thread(id);
  }
  // The handle's own reference.  None can be had once the thread has ended
  // and every handle to it is closed: its id then names nothing, as an id
  // that names no thread of this process that ntsem knows.
  if (!t || !object::add_ref(t->state)) return STATUS_INVALID_CID;
  const handle::handle_info info{
      t->state, shm::object_type::thread,
      object::map_generic_access(access, object::thread_ops::mapping),
      inherit ? HANDLE_FLAG_INHERIT : 0u};
  const NTSTATUS status = handle::insert(info, out);
  if (status != STATUS_SUCCESS) object::drop_ref(t->state);
  return status;
}

NTSTATUS queue_apc_thread(HANDLE h, PNTAPCFUNC routine, ULONG_PTR argument1,
                          ULONG_PTR argument2, ULONG_PTR argument3) {
  std::shared_ptr<thread::thread_object> t;
  if (NTSTATUS s = reference_thread(h, THREAD_SET_CONTEXT, &t); s != STATUS_SUCCESS) return s;
  // Windows queues a null routine and the thread faults when it runs it.
  if (!routine) return STATUS_INVALID_PARAMETER;
  return thread::queue_user_apc(*t, {routine, {argument1, argument2, argument3}});
}

}  // namespace ntsem::nt

extern "C" NTSTATUS NtQueueApcThread(HANDLE thread, PNTAPCFUNC routine, ULONG_PTR argument1,
                                     ULONG_PTR argument2, ULONG_PTR argument3) {
  return ntsem::nt::queue_apc_thread(thread, routine, argument1, argument2, argument3);
}
