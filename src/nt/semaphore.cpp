// NtCreateSemaphore, NtReleaseSemaphore, NtQuerySemaphore.
#include <ntsem/winternl.h>

#include "handle/reference.hpp"
#include "nt/native.hpp"
#include "nt/object_attributes.hpp"
#include "object/object_type.hpp"
#include "object/semaphore.hpp"

using namespace ntsem;

extern "C" NTSTATUS NtCreateSemaphore(PHANDLE handle, ACCESS_MASK access,
                                      POBJECT_ATTRIBUTES attributes, LONG initial, LONG maximum) {
  if (!handle) return STATUS_ACCESS_VIOLATION;
  if (maximum <= 0 || initial < 0 || initial > maximum) return STATUS_INVALID_PARAMETER;
  nt::creation creation;
  NTSTATUS status = nt::read_object_attributes(attributes, &creation);
  if (status != STATUS_SUCCESS) return status;
  handle::handle_info info;
  status = object::create_semaphore(initial, maximum, &info.object);
  if (status != STATUS_SUCCESS) return status;
  info.type = shm::object_type::semaphore;
  info.access = object::map_generic_access(access, object::semaphore_ops::mapping);
  info.flags = creation.handle_flags;
  status = handle::insert(info, handle);
  if (status != STATUS_SUCCESS) object::drop_ref(info.object);
  return status;
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
