#include "nt/named.hpp"

#include "namespace/named_object.hpp"
#include "sys/identity.hpp"

namespace ntsem::nt {
namespace {

ACCESS_MASK state_rights_of(shm::object_type type) {
  return object::visit_type(type, [](auto ops) { return ops.state_rights; }, ACCESS_MASK{0});
}

names::named_request request_for(const names::parsed_name& name, shm::object_type type) {
  names::named_request r;
  r.where = name.where;
  r.canonical_name = names::canonical_bytes(name);
  r.file_name = names::file_name_for_canonical(r.canonical_name);
  r.type = type;
  return r;
}

// The file a new object would get from the request's descriptor (captured,
// and so checked, before the name was looked at: object_attributes.hpp).
NTSTATUS permissions_for(const object_request& request, const object::generic_mapping& mapping,
                         names::named_request& r) {
  const security::descriptor* given = request.descriptor ? &*request.descriptor : nullptr;
  r.caller_uid = sys::effective_uid();
  return security::permissions_for(given, {*r.caller_uid, sys::effective_gid()}, mapping,
                                   state_rights_of(r.type), &r.permissions);
}

// Gives `ref` (one reference) a handle with `access` (specific rights);
// drops the reference on failure.
NTSTATUS insert_handle(HANDLE* out, const object::object_ref& ref, shm::object_type type,
                       ACCESS_MASK access, DWORD flags) {
  handle::handle_info info;
  info.object = ref;
  info.type = type;
  info.access = access;
  info.flags = flags;
  NTSTATUS s = handle::insert(info, out);
  if (s != STATUS_SUCCESS) object::drop_ref(ref);
  return s;
}

// An existing object: the access asked for is checked against what its
// descriptor grants this process (`granted`), as Windows' access check does.
// MAXIMUM_ALLOWED asks for everything granted.  Asking for no rights at all
// is refused, as Windows refuses it (a new object's creator may ask for none).
NTSTATUS finish_existing(HANDLE* out, const object::object_ref& ref, shm::object_type type,
                         ACCESS_MASK access, const object::generic_mapping& mapping, DWORD flags,
                         ACCESS_MASK granted) {
  ACCESS_MASK wanted = object::map_generic_access(access & ~MAXIMUM_ALLOWED, mapping);
  if (access & MAXIMUM_ALLOWED) wanted |= granted;
  if (wanted == 0 || (wanted & ~granted) != 0) {
    object::drop_ref(ref);
    return STATUS_ACCESS_DENIED;
  }
  NTSTATUS s = insert_handle(out, ref, type, wanted, flags);
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
    return insert_handle(out, ref, object.type, object::map_generic_access(access, mapping),
                         request.handle_flags);
  }
  names::named_request r = request_for(*request.name, object.type);
  if (NTSTATUS s = permissions_for(request, mapping, r); s != STATUS_SUCCESS) return s;
  r.initial_value = object.initial_value;
  r.initialize = object.initialize;
  r.creator_owns = object.creator_owns;
  ACCESS_MASK granted = 0;
  NTSTATUS s = names::open_named(r, &ref, &granted);
  if (s == STATUS_SUCCESS)
    return insert_handle(out, ref, object.type, object::map_generic_access(access, mapping),
                         request.handle_flags);
  if (s != STATUS_OBJECT_NAME_EXISTS) return s;
  if (!request.open_if) {
    object::drop_ref(ref);
    return STATUS_OBJECT_NAME_COLLISION;
  }
  return finish_existing(out, ref, object.type, access, mapping, request.handle_flags, granted);
}

NTSTATUS open_object(HANDLE* out, ACCESS_MASK access, const object_request& request,
                     shm::object_type type, const object::generic_mapping& mapping) {
  if (request.name_status != STATUS_SUCCESS) return request.name_status;
  names::named_request r = request_for(*request.name, type);
  r.open_only = true;
  object::object_ref ref;
  ACCESS_MASK granted = 0;
  NTSTATUS s = names::open_named(r, &ref, &granted);
  if (s != STATUS_OBJECT_NAME_EXISTS) return s;
  s = finish_existing(out, ref, type, access, mapping, request.handle_flags, granted);
  return s == STATUS_OBJECT_NAME_EXISTS ? STATUS_SUCCESS : s;
}

}  // namespace ntsem::nt
