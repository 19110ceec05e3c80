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
};

// Create: a new object, or (with open_if) the existing one of that name.
// STATUS_SUCCESS (new) or STATUS_OBJECT_NAME_EXISTS (opened; a success).
NTSTATUS create_object(HANDLE* out, ACCESS_MASK access, const object_request& request,
                       const new_object& object, const object::generic_mapping& mapping);

// Open: the existing object of that name and type.
NTSTATUS open_object(HANDLE* out, ACCESS_MASK access, const object_request& request,
                     shm::object_type type, const object::generic_mapping& mapping);

}  // namespace ntsem::nt
