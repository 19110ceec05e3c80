#include "nt/named.hpp"

#include "namespace/named_object.hpp"

namespace ntsem::nt {
namespace {

// The file mode of a new named object: the creating user only.  (Security
// descriptors arrive with the security mapping; until then one is refused,
// never ignored.)
constexpr unsigned default_mode = 0600;

names::named_request request_for(const names::parsed_name& name, shm::object_type type) {
  names::named_request r;
  r.where = name.where;
  r.file_name = names::file_name_for(name);
  r.canonical_name = names::canonical_bytes(name);
  r.type = type;
  r.mode = default_mode;
  return r;
}

// Gives `ref` (one reference) a handle; drops the reference on failure.
NTSTATUS insert_handle(HANDLE* out, const object::object_ref& ref, shm::object_type type,
                       ACCESS_MASK access, const object::generic_mapping& mapping, DWORD flags) {
  handle::handle_info info;
  info.object = ref;
  info.type = type;
  info.access = object::map_generic_access(access, mapping);
  info.flags = flags;
  NTSTATUS s = handle::insert(info, out);
  if (s != STATUS_SUCCESS) object::drop_ref(ref);
  return s;
}

// An existing object opened with no rights at all is refused, as Windows
// refuses it (a new object's creator may ask for none).
NTSTATUS finish_existing(HANDLE* out, const object::object_ref& ref, shm::object_type type,
                         ACCESS_MASK access, const object::generic_mapping& mapping, DWORD flags) {
  if (access == 0) {
    object::drop_ref(ref);
    return STATUS_ACCESS_DENIED;
  }
  NTSTATUS s = insert_handle(out, ref, type, access, mapping, flags);
  return s == STATUS_SUCCESS ? STATUS_OBJECT_NAME_EXISTS : s;
}

}  // namespace

NTSTATUS create_object(HANDLE* out, ACCESS_MASK access, const object_request& request,
                       const new_object& object, const object::generic_mapping& mapping) {
  if (request.name_status != STATUS_SUCCESS) return request.name_status;
  object::object_ref ref;
  if (!request.name) {
    NTSTATUS s = object.create_unnamed(&ref);
    if (s != STATUS_SUCCESS) return s;
    return insert_handle(out, ref, object.type, access, mapping, request.handle_flags);
  }
  if (request.has_security_descriptor) return STATUS_NOT_SUPPORTED;
  names::named_request r = request_for(*request.name, object.type);
  r.initial_value = object.initial_value;
  r.initialize = object.initialize;
  NTSTATUS s = names::open_named(r, &ref);
  if (s == STATUS_SUCCESS)
    return insert_handle(out, ref, object.type, access, mapping, request.handle_flags);
  if (s != STATUS_OBJECT_NAME_EXISTS) return s;
  if (!request.open_if) {
    object::drop_ref(ref);
    return STATUS_OBJECT_NAME_COLLISION;
  }
  return finish_existing(out, ref, object.type, access, mapping, request.handle_flags);
}

NTSTATUS open_object(HANDLE* out, ACCESS_MASK access, const object_request& request,
                     shm::object_type type, const object::generic_mapping& mapping) {
  if (request.name_status != STATUS_SUCCESS) return request.name_status;
  names::named_request r = request_for(*request.name, type);
  r.open_only = true;
  object::object_ref ref;
  NTSTATUS s = names::open_named(r, &ref);
  if (s != STATUS_OBJECT_NAME_EXISTS) return s;
  s = finish_existing(out, ref, type, access, mapping, request.handle_flags);
  return s == STATUS_OBJECT_NAME_EXISTS ? STATUS_SUCCESS : s;
}

}  // namespace ntsem::nt
