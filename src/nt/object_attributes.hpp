// What a Create or Open call asks for, once its face has read it: the name
// (already parsed by the face's own rules), the handle's flags and whether
// an existing object may be opened.
#pragma once

#include <optional>

#include <ntsem/winternl.h>

#include "namespace/object_name.hpp"
#include "security/descriptor.hpp"

namespace ntsem::nt {

struct object_request {
  // What the object manager reports about the request before it creates
  // anything: a bad security descriptor (capture_descriptor), else the result
  // of parsing the name.  NtCreateXxx checks its own arguments first, so
  // either is reported only after them.
  NTSTATUS name_status = STATUS_SUCCESS;
  std::optional<names::parsed_name> name;  // nullopt: an unnamed object
  DWORD handle_flags = 0;                  // HANDLE_FLAG_INHERIT
  bool open_if = true;                     // Create on an existing name opens it
  // The caller's SECURITY_DESCRIPTOR as capture_descriptor read it; nullopt
  // when none was given (or it was bad, and name_status says so).
  std::optional<security::descriptor> descriptor;
};

// Windows captures, and so checks, the security descriptor of a new object,
// named or not, before it looks at the name: a bad one (security::
// read_descriptor's statuses) replaces the name's status.  The caller's
// memory is read here only, once.  Null is none.
void capture_descriptor(const void* security_descriptor, object_request* out);

// Reads an NT OBJECT_ATTRIBUTES (an error only for an unusable structure; a
// bad name goes to name_status).  `for_open`: a missing or empty name is an
// error (as NtOpenXxx says) rather than "unnamed".
NTSTATUS read_object_attributes(const OBJECT_ATTRIBUTES* attributes, bool for_open,
                                object_request* out);

}  // namespace ntsem::nt
