// NtCreateSemaphore, NtReleaseSemaphore, NtQuerySemaphore.
#include <ntsem/winternl.h>

#include "handle/reference.hpp"
#include "nt/native.hpp"
#include "nt/named.hpp"
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
  if (!handle) return STATUS_ACCESS_VIOLATION;
  nt::object_request request;
  request.open_if = false;  // NtCreateXxx without OBJ_OPENIF refuses an existing name
  if (NTSTATUS s = nt::read_object_attributes(attributes, false, &request); s != STATUS_SUCCESS)
    return s;
  return nt::create_semaphore(handle, access, request, initial, maximum);
}

extern "C" NTSTATUS NtOpenSemaphore(PHANDLE handle, ACCESS_MASK access,
                                    POBJECT_ATTRIBUTES attributes) {
  if (!handle || !attributes) return STATUS_ACCESS_VIOLATION;
  nt::object_request request;
  if (NTSTATUS s = nt::read_object_attributes(attributes, true, &request); s != STATUS_SUCCESS)
    return s;
  return nt::open_semaphore(handle, access, request);
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
  if (info_class != SemaphoreBasicInformation) return STATUS_INVALID_INFO_CLASS;
  if (length != sizeof(SEMAPHORE_BASIC_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
  handle::handle_info info;
  NTSTATUS status =
      handle::reference(h, shm::object_type::semaphore, SEMAPHORE_QUERY_STATE, &info);
  if (status != STATUS_SUCCESS) return status;
  if (!buffer) return STATUS_ACCESS_VIOLATION;
  SEMAPHORE_BASIC_INFORMATION basic;
  status = object::query_semaphore(info.object, &basic.CurrentCount, &basic.MaximumCount);
  if (status != STATUS_SUCCESS) return status;
  *static_cast<SEMAPHORE_BASIC_INFORMATION*>(buffer) = basic;
  if (return_length) *return_length = sizeof(basic);
  return STATUS_SUCCESS;
}
