// Creating and opening objects by name, for every type: the bridge from a
// face's request to the namespace layer and the handle table.
#pragma once

#include <functional>

#include <ntsem/winternl.h>

#include "handle/handle_table.hpp"
#include "object/object_type.hpp"
#include "nt/object_attributes.hpp"

namespace ntsem::nt {

struct new_object {
  shm::object_type type;
  std::uint32_t initial_value;
  std::function<void(shm::object_slot&)> initialize;  // type-specific fields
  // Makes an unnamed object (in the process's arena).
  std::function<NTSTATUS(object::object_ref*)> create_unnamed;
  // The initial value is the creating thread's id in a robust word (a
  // mutex created owned): a named one is covered from before it is
  // published (names::named_request::creator_owns).
  bool creator_owns = false;
};

// Create: a new object, or (with open_if) the existing one of that name.
// STATUS_SUCCESS (new) or STATUS_OBJECT_NAME_EXISTS (opened; a success).
NTSTATUS create_object(HANDLE* out, ACCESS_MASK access, const object_request& request,
                       const new_object& object, const object::generic_mapping& mapping);

// Open: the existing object of that name and type.
NTSTATUS open_object(HANDLE* out, ACCESS_MASK access, const object_request& request,
                     shm::object_type type, const object::generic_mapping& mapping);

// The exported NtCreateXxx around a type's create(request): the out pointer
// is checked, then OBJECT_ATTRIBUTES read (without OBJ_OPENIF an existing
// name is refused).  The type's own argument checks come first in `create`,
// before the name and descriptor errors the request carries.
template <class Create>
NTSTATUS native_create(PHANDLE handle, POBJECT_ATTRIBUTES attributes, Create&& create) {
  if (!handle) return STATUS_ACCESS_VIOLATION;
  object_request request;
  request.open_if = false;  // NtCreateXxx without OBJ_OPENIF refuses an existing name
  if (NTSTATUS s = read_object_attributes(attributes, false, &request); s != STATUS_SUCCESS)
    return s;
  return create(request);
}

// The exported NtOpenXxx around a type's open(request).
template <class Open>
NTSTATUS native_open(PHANDLE handle, POBJECT_ATTRIBUTES attributes, Open&& open) {
  if (!handle || !attributes) return STATUS_ACCESS_VIOLATION;
  object_request request;
  if (NTSTATUS s = read_object_attributes(attributes, true, &request); s != STATUS_SUCCESS)
    return s;
  return open(request);
}

}  // namespace ntsem::nt
