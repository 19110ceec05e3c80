// The check that decides whether an existing object file is one this build
// can trust, shared by the join step (named_object.cpp) and by the tools
// that look at files outside that protocol (namespace_scan.hpp).
#pragma once

#include <ntsem/winternl.h>

#include "namespace/named_object.hpp"

namespace ntsem::names {

// Checks the header of the file `fd` (magic, version, offsets, size, type)
// and that it stores `request.canonical_name`; reads through the
// descriptor, maps nothing.  STATUS_SUCCESS, STATUS_FILE_CORRUPT_ERROR or
// STATUS_REVISION_MISMATCH.  The slot is checked apart, by a join.
NTSTATUS validate(int fd, const named_request& request);

}  // namespace ntsem::names
