#include "nt/object_attributes.hpp"

namespace ntsem::nt {

void capture_descriptor(const void* security_descriptor, object_request* out) {
  if (!security_descriptor) return;
  security::descriptor read;
  if (NTSTATUS s = security::read_descriptor(security_descriptor, &read); s != STATUS_SUCCESS)
    out->name_status = s;
  else
    out->descriptor = std::move(read);
}

NTSTATUS read_object_attributes(const OBJECT_ATTRIBUTES* attributes, bool for_open,
                                object_request* out) {
  std::optional<std::u16string_view> name;
  if (attributes) {
    // Names are relative to the caller's BaseNamedObjects directory; other
    // object directories do not exist here.
    if (attributes->RootDirectory) return STATUS_NOT_SUPPORTED;
    if (const UNICODE_STRING* n = attributes->ObjectName) {
      if (n->Length % 2 != 0 || (n->Length && !n->Buffer)) return STATUS_INVALID_PARAMETER;
      name = std::u16string_view(n->Buffer, n->Length / 2);
    }
    out->open_if = (attributes->Attributes & OBJ_OPENIF) != 0;
    if (attributes->Attributes & OBJ_INHERIT) out->handle_flags |= HANDLE_FLAG_INHERIT;
  }
  if (for_open) {
    names::parsed_name parsed;
    out->name_status = names::parse_open_name(name, &parsed);
    if (out->name_status == STATUS_SUCCESS) out->name = std::move(parsed);
  } else {
    out->name_status = names::parse_create_name(name, &out->name);
    if (attributes) capture_descriptor(attributes->SecurityDescriptor, out);
  }
  return STATUS_SUCCESS;
}

}  // namespace ntsem::nt
