#include "nt/object_attributes.hpp"

namespace ntsem::nt {

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
    out->security_descriptor = attributes->SecurityDescriptor;
  }
  if (for_open) {
    names::parsed_name parsed;
    out->name_status = names::parse_open_name(name, &parsed);
    if (out->name_status == STATUS_SUCCESS) out->name = std::move(parsed);
  } else {
    out->name_status = names::parse_create_name(name, &out->name);
  }
  return STATUS_SUCCESS;
}

}  // namespace ntsem::nt
