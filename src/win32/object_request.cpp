#include "win32/object_request.hpp"

#include "win32/last_error.hpp"

namespace ntsem::win32 {
namespace {

template <class Char>
NTSTATUS creation(const SECURITY_ATTRIBUTES* attributes, const Char* name,
                  nt::object_request* out) {
  out->open_if = true;  // kernel32 passes OBJ_OPENIF
  if (attributes) {
    if (attributes->bInheritHandle) out->handle_flags |= HANDLE_FLAG_INHERIT;
  }
  out->name_status = names::parse_create_name(name, &out->name);
  // The conversion of the name into the call's buffer comes first.
  if (out->name_status == STATUS_NAME_TOO_LONG) return out->name_status;
  if (attributes) nt::capture_descriptor(attributes->lpSecurityDescriptor, out);
  return STATUS_SUCCESS;
}

template <class Char>
NTSTATUS opening(BOOL inherit, const Char* name, nt::object_request* out) {
  if (inherit) out->handle_flags |= HANDLE_FLAG_INHERIT;
  names::parsed_name parsed;
  NTSTATUS s = names::parse_open_name(name, &parsed);
  if (s != STATUS_SUCCESS) return s;
  out->name = std::move(parsed);
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS creation_request(const SECURITY_ATTRIBUTES* attributes, const char* name,
                          nt::object_request* out) {
  return creation(attributes, name, out);
}
NTSTATUS creation_request(const SECURITY_ATTRIBUTES* attributes, const char16_t* name,
                          nt::object_request* out) {
  return creation(attributes, name, out);
}
NTSTATUS open_request(BOOL inherit, const char* name, nt::object_request* out) {
  return opening(inherit, name, out);
}
NTSTATUS open_request(BOOL inherit, const char16_t* name, nt::object_request* out) {
  return opening(inherit, name, out);
}

HANDLE fail_handle(NTSTATUS status) {
  fail(status);
  return nullptr;
}

HANDLE created_handle(NTSTATUS status, HANDLE h) {
  if (status == STATUS_SUCCESS) {
    set_last_error(ERROR_SUCCESS);
    return h;
  }
  if (status == STATUS_OBJECT_NAME_EXISTS) {
    set_last_error(ERROR_ALREADY_EXISTS);
    return h;
  }
  return fail_handle(status);
}

}  // namespace ntsem::win32
