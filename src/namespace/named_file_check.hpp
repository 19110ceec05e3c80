// The check that decides whether an existing object file is one this build
// can trust, shared by the join step (named_object.cpp) and by the tools
// that look at files outside that protocol (namespace_scan.hpp).
#pragma once

#include <cstddef>
#include <string>

#include <ntsem/winternl.h>

#include "namespace/named_object.hpp"

namespace ntsem::names {

// Checks the header of the file `fd` (magic, version, offsets, size, type)
// and that it stores `request.canonical_name`; reads through the
// descriptor, maps nothing.  STATUS_SUCCESS, STATUS_FILE_CORRUPT_ERROR or
// STATUS_REVISION_MISMATCH.  The slot is checked apart, by a join.
NTSTATUS validate(int fd, const named_request& request);

// The canonical name the file `fd` (of `file_size` bytes) says it stores,
// read without trusting its header: validate() judges the header and this
// name together.  Empty when the header's length does not fit the file.
std::string stored_name(int fd, std::size_t file_size);

}  // namespace ntsem::names
