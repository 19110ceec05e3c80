// NtCreateSemaphore, NtReleaseSemaphore, NtQuerySemaphore.
#include <ntsem/winternl.h>

#include "handle/reference.hpp"
#include "nt/native.hpp"
#include "nt/named.hpp"
#include "nt/query.hpp"
#include "object/object_type.hpp"
#include "object/semaphore.hpp"

using namespace ntsem;

NTSTATUS nt::create_semaphore(HANDLE* out, ACCESS_MASK access, const object_request& request,
                              LONG initial, LONG maximum) {
  if (maximum <= 0 || initial < 0 || initial > maximum) return STATUS_INVALID_PARAMETER;
  const auto set_maximum = [maximum](shm::object_slot& slot) {
    slot.maximum.store(maximum, std::memory_order_relaxed);
  };
  const new_object semaphore{
      shm::object_type::semaphore, static_cast<std::uint32_t>(initial), set_maximum,
      [=](object::object_ref* ref) { return object::create_semaphore(initial, maximum, ref); }};
  return create_object(out, access, request, semaphore, object::semaphore_ops::mapping);
}

NTSTATUS nt::open_semaphore(HANDLE* out, ACCESS_MASK access, const object_request& request) {
  return open_object(out, access, request, shm::object_type::semaphore,
                     object::semaphore_ops::mapping);
}

extern "C" NTSTATUS NtCreateSemaphore(PHANDLE handle, ACCESS_MASK access,
                                      POBJECT_ATTRIBUTES attributes, LONG initial, LONG maximum) {
  return nt::native_create(handle, attributes, [&](const nt::object_request& request) {
    return nt::create_semaphore(handle, access, request, initial, maximum);
  });
}

extern "C" NTSTATUS NtOpenSemaphore(PHANDLE handle, ACCESS_MASK access,
                                    POBJECT_ATTRIBUTES attributes) {
  return nt::native_open(handle, attributes, [&](const nt::object_request& request) {
    return nt::open_semaphore(handle, access, request);
  });
}

NTSTATUS nt::release_semaphore(HANDLE h, LONG count, LONG* previous) {
  // Windows checks the count before it looks at the handle.
  if (count <= 0) return STATUS_INVALID_PARAMETER;
  handle::handle_info info;
  NTSTATUS status =
      handle::reference(h, shm::object_type::semaphore, SEMAPHORE_MODIFY_STATE, &info);
  if (status != STATUS_SUCCESS) return status;
  return object::release_semaphore(info.object, count, previous);
}

extern "C" NTSTATUS NtReleaseSemaphore(HANDLE h, LONG count, PLONG previous) {
  return nt::release_semaphore(h, count, previous);
}

extern "C" NTSTATUS NtQuerySemaphore(HANDLE h, SEMAPHORE_INFORMATION_CLASS info_class,
                                     PVOID buffer, ULONG length, PULONG return_length) {
  const nt::basic_query query{info_class == SemaphoreBasicInformation, length, buffer,
                              return_length};
  return nt::query_basic_information<SEMAPHORE_BASIC_INFORMATION>(
      h, shm::object_type::semaphore, SEMAPHORE_QUERY_STATE, query,
      [](const object::object_ref& object, SEMAPHORE_BASIC_INFORMATION* out) {
        return object::query_semaphore(object, &out->CurrentCount, &out->MaximumCount);
      });
}
