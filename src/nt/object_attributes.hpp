// Reading OBJECT_ATTRIBUTES for a creation.
#pragma once

#include <ntsem/winternl.h>

namespace ntsem::nt {

struct creation {
  DWORD handle_flags = 0;  // HANDLE_FLAG_INHERIT from OBJ_INHERIT
};

// Names are not supported yet: an object name of non-zero length is
// STATUS_NOT_SUPPORTED (never silently ignored).
inline NTSTATUS read_object_attributes(const OBJECT_ATTRIBUTES* attributes, creation* out) {
  if (!attributes) return STATUS_SUCCESS;
  if (attributes->ObjectName && attributes->ObjectName->Length != 0) return STATUS_NOT_SUPPORTED;
  if (attributes->RootDirectory) return STATUS_NOT_SUPPORTED;
  if (attributes->Attributes & OBJ_INHERIT) out->handle_flags |= HANDLE_FLAG_INHERIT;
  return STATUS_SUCCESS;
}

}  // namespace ntsem::nt
