// NtCreateMutant, NtOpenMutant, NtReleaseMutant, NtQueryMutant.
#include <ntsem/winternl.h>

#include "handle/reference.hpp"
#include "nt/named.hpp"
#include "nt/native.hpp"
#include "nt/query.hpp"
#include "object/arena.hpp"
#include "object/mutex.hpp"
#include "sys/robust_list.hpp"

using namespace ntsem;

NTSTATUS nt::create_mutant(HANDLE* out, ACCESS_MASK access, const object_request& request,
                           bool initial_owner) {
  const std::uint32_t owner = initial_owner ? sys::current_thread_id() : 0;
  const new_object mutex{shm::object_type::mutex, owner, object::clear_maximum,
                         [=](object::object_ref* ref) {
                           return object::create_mutex(initial_owner, ref);
                         },
                         initial_owner};
  const NTSTATUS status = create_object(out, access, request, mutex, object::mutex_ops::mapping);
  // A new named mutex is listed by now (creator_owns); the owner keeps a
  // reference too (an unnamed one noted its own).  An existing one was
  // opened, not taken.
  if (status == STATUS_SUCCESS && initial_owner && request.name) {
    handle::handle_info info;
    if (handle::reference(*out, shm::object_type::mutex, 0, &info) == STATUS_SUCCESS)
      object::note_owned(info.object);
  }
  return status;
}

NTSTATUS nt::open_mutant(HANDLE* out, ACCESS_MASK access, const object_request& request) {
  return open_object(out, access, request, shm::object_type::mutex, object::mutex_ops::mapping);
}

NTSTATUS nt::release_mutant(HANDLE h, LONG* previous) {
  handle::handle_info info;
  NTSTATUS status = handle::reference(h, shm::object_type::mutex, 0, &info);
  if (status != STATUS_SUCCESS) return status;
  return object::release_mutex(info.object, previous);
}

extern "C" NTSTATUS NtCreateMutant(PHANDLE handle, ACCESS_MASK access,
                                   POBJECT_ATTRIBUTES attributes, BOOLEAN initial_owner) {
  return nt::native_create(handle, attributes, [&](const nt::object_request& request) {
    return nt::create_mutant(handle, access, request, initial_owner != 0);
  });
}

extern "C" NTSTATUS NtOpenMutant(PHANDLE handle, ACCESS_MASK access,
                                 POBJECT_ATTRIBUTES attributes) {
  return nt::native_open(handle, attributes, [&](const nt::object_request& request) {
    return nt::open_mutant(handle, access, request);
  });
}

extern "C" NTSTATUS NtReleaseMutant(HANDLE h, PLONG previous) {
  return nt::release_mutant(h, previous);
}

extern "C" NTSTATUS NtQueryMutant(HANDLE h, MUTANT_INFORMATION_CLASS info_class, PVOID buffer,
                                  ULONG length, PULONG return_length) {
  const nt::basic_query query{info_class == MutantBasicInformation, length, buffer,
                              return_length};
  return nt::query_basic_information<MUTANT_BASIC_INFORMATION>(
      h, shm::object_type::mutex, MUTANT_QUERY_STATE, query,
      [](const object::object_ref& object, MUTANT_BASIC_INFORMATION* out) {
        LONG count = 0;
        bool mine = false, abandoned = false;
        const NTSTATUS s = object::query_mutex(object, &count, &mine, &abandoned);
        out->CurrentCount = count;
        out->OwnedByCaller = mine ? 1 : 0;
        out->AbandonedState = abandoned ? 1 : 0;
        return s;
      });
}
