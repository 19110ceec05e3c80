#include "security/class_rights.hpp"

#include "security/unix_principal.hpp"

namespace ntsem::security {
namespace {

constexpr std::uint32_t root_uid = 0;
// ACE types and flags, as Windows numbers them.
constexpr std::uint8_t allowed_ace = 0;   // ACCESS_ALLOWED_ACE_TYPE
constexpr std::uint8_t denied_ace = 1;    // ACCESS_DENIED_ACE_TYPE
constexpr std::uint8_t inherit_only = 0x08;  // INHERIT_ONLY_ACE

// Whether an ACE for `who` applies to class `c`.
bool applies(const principal& who, user_class c, std::uint32_t owner_uid, std::uint32_t group_gid) {
  const bool owner_is_root = owner_uid == root_uid;
  switch (who.kind) {
    case principal_kind::everyone: return true;
    case principal_kind::file_owner: return c == user_class::owner;
    case principal_kind::superuser:
      return c == user_class::superuser || (c == user_class::owner && owner_is_root);
    case principal_kind::unix_user:
      if (c == user_class::owner) return who.id == owner_uid;
      return c == user_class::superuser && who.id == root_uid;
    case principal_kind::unix_group: return c == user_class::group && who.id == group_gid;
    case principal_kind::unknown: break;
  }
  return false;
}

ACCESS_MASK evaluate_for(const std::vector<ace>& dacl, user_class c, std::uint32_t owner_uid,
                         std::uint32_t group_gid, const object::generic_mapping& mapping) {
  ACCESS_MASK granted = 0;
  ACCESS_MASK denied = 0;
  bool owner_rights_named = false;
  for (const ace& a : dacl) {
    const principal who = principal_of(a.who);
    if (who.kind == principal_kind::file_owner) owner_rights_named = true;
    if (a.flags & inherit_only) continue;
    if (!applies(who, c, owner_uid, group_gid)) continue;
    const ACCESS_MASK mask = object::map_generic_access(a.mask, mapping) & mapping.all;
    if (a.type == allowed_ace)
      granted |= mask & ~denied;
    else if (a.type == denied_ace)
      denied |= mask & ~granted;
  }
  if (c == user_class::owner && !owner_rights_named)
    granted |= (READ_CONTROL | WRITE_DAC) & mapping.all;
  return granted;
}

}  // namespace

class_rights everyone_gets(ACCESS_MASK all) {
  class_rights r;
  r.rights.fill(all);
  return r;
}

class_rights evaluate_dacl(const std::vector<ace>& dacl, std::uint32_t owner_uid,
                           std::uint32_t group_gid, const object::generic_mapping& mapping) {
  class_rights r;
  for (user_class c : {user_class::owner, user_class::group, user_class::other,
                       user_class::superuser})
    r[c] = evaluate_for(dacl, c, owner_uid, group_gid, mapping);
  return r;
}

user_class class_of(std::uint32_t euid, bool in_group, std::uint32_t owner_uid) {
  if (euid == owner_uid) return user_class::owner;
  if (euid == root_uid) return user_class::superuser;
  return in_group ? user_class::group : user_class::other;
}

}  // namespace ntsem::security
