// Resolving a handle for a call: the checks every call makes, in Windows'
// order — bad handle, then wrong type, then missing access right.
#pragma once

#include "handle/handle_table.hpp"

namespace ntsem::handle {

// `type` none accepts any type.  `needed` is the set of rights the handle must
// have (all of them).
inline NTSTATUS reference(HANDLE h, shm::object_type type, ACCESS_MASK needed, handle_info* out) {
  NTSTATUS status = lookup(h, out);
  if (status != STATUS_SUCCESS) return status;
  if (type != shm::object_type::none && out->type != type) return STATUS_OBJECT_TYPE_MISMATCH;
  if ((out->access & needed) != needed) return STATUS_ACCESS_DENIED;
  return STATUS_SUCCESS;
}

}  // namespace ntsem::handle
