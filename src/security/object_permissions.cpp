#include "security/object_permissions.hpp"

#include "security/unix_principal.hpp"

namespace ntsem::security {
namespace {

constexpr std::uint32_t root_uid = 0;

NTSTATUS resolve_owner(const descriptor* d, creator_ids creator, std::uint32_t* uid) {
  *uid = creator.uid;
  if (!d || !d->owner) return STATUS_SUCCESS;
  const principal p = principal_of(*d->owner);
  if (p.kind == principal_kind::file_owner) return STATUS_SUCCESS;
  if (p.kind == principal_kind::unix_user)
    *uid = p.id;
  else if (p.kind == principal_kind::superuser)
    *uid = root_uid;
  else
    return STATUS_INVALID_OWNER;
  // Only root may give a file away, as only a privileged token may name
  // another owner on Windows.
  return *uid == creator.uid || creator.uid == root_uid ? STATUS_SUCCESS : STATUS_INVALID_OWNER;
}

std::uint32_t resolve_group(const descriptor* d, creator_ids creator) {
  if (!d || !d->group) return creator.gid;
  const principal p = principal_of(*d->group);
  return p.kind == principal_kind::unix_group ? p.id : creator.gid;
}

// The default DACL of a Windows token: the owner and SYSTEM, all rights.
class_rights default_rights(ACCESS_MASK all) {
  class_rights r;
  r[user_class::owner] = all;
  r[user_class::superuser] = all;
  return r;
}

}  // namespace

mode_t class_mode_bits(ACCESS_MASK rights, ACCESS_MASK state_rights) {
  if (rights & state_rights) return 6;
  return rights ? 4 : 0;
}

NTSTATUS permissions_for(const descriptor* d, creator_ids creator,
                         const object::generic_mapping& mapping, ACCESS_MASK state_rights,
                         object_permissions* out) {
  object_permissions p;
  if (NTSTATUS s = resolve_owner(d, creator, &p.owner_uid); s != STATUS_SUCCESS) return s;
  p.group_gid = resolve_group(d, creator);
  if (!d || !d->dacl_present)
    p.rights = default_rights(mapping.all);
  else if (d->dacl_null)
    p.rights = everyone_gets(mapping.all);
  else
    p.rights = evaluate_dacl(d->dacl, p.owner_uid, p.group_gid, mapping);
  p.mode = 0600 | class_mode_bits(p.rights[user_class::group], state_rights) << 3 |
           class_mode_bits(p.rights[user_class::other], state_rights);
  *out = p;
  return STATUS_SUCCESS;
}

}  // namespace ntsem::security
