// The shape every NtQueryXxx with a basic information class shares, in
// Windows' order: the information class, then the length, then the handle
// (bad handle, wrong type, missing right), then the buffer.  The buffer and
// *ReturnLength are written only on success.
#pragma once

#include <ntsem/winternl.h>

#include "handle/reference.hpp"

namespace ntsem::nt {

// What the caller passed, apart from the handle.
struct basic_query {
  bool known_class;  // the class is the type's BasicInformation
  ULONG length;
  PVOID buffer;
  PULONG return_length;
};

// `read(object, &info)` fills an Info from the object (its status on error).
template <class Info, class Read>
NTSTATUS query_basic_information(HANDLE h, shm::object_type type, ACCESS_MASK right,
                                 const basic_query& query, Read&& read) {
  if (!query.known_class) return STATUS_INVALID_INFO_CLASS;
  if (query.length != sizeof(Info)) return STATUS_INFO_LENGTH_MISMATCH;
  handle::handle_info info;
  NTSTATUS status = handle::reference(h, type, right, &info);
  if (status != STATUS_SUCCESS) return status;
  if (!query.buffer) return STATUS_ACCESS_VIOLATION;
  Info out{};
  status = read(info.object, &out);
  if (status != STATUS_SUCCESS) return status;
  *static_cast<Info*>(query.buffer) = out;
  if (query.return_length) *query.return_length = sizeof(out);
  return STATUS_SUCCESS;
}

}  // namespace ntsem::nt
