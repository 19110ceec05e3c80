// What a DACL grants each class of user of an object's file.
//
// Linux decides access to a file by one class per process: its owner, else
// its group, else everyone else (root passes every mode check).  ntsem
// evaluates the DACL once per class, at creation, the way Windows' access
// check evaluates it for one token, and stores the four results with the
// object; an open is then checked against the result for the caller's class.
// The SIDs each class's "token" holds (see unix_principal.hpp):
//
//   owner      everyone, Owner Rights, S-1-22-1-<owner uid>, and root's SIDs
//              when the owner is root
//   group      everyone, S-1-22-2-<file's gid>
//   other      everyone
//   superuser  everyone, root's SIDs, S-1-22-1-0 (root, not the owner)
#pragma once

#include <array>
#include <cstdint>

#include "object/object_type.hpp"
#include "security/descriptor.hpp"

namespace ntsem::security {

enum class user_class : std::uint8_t { owner, group, other, superuser };
inline constexpr std::size_t user_class_count = 4;

struct class_rights {
  std::array<ACCESS_MASK, user_class_count> rights{};
  ACCESS_MASK& operator[](user_class c) { return rights[static_cast<std::size_t>(c)]; }
  ACCESS_MASK operator[](user_class c) const { return rights[static_cast<std::size_t>(c)]; }
};

// Every class gets `all` (no DACL protection: a NULL DACL).
class_rights everyone_gets(ACCESS_MASK all);

// The ACEs in order, as Windows evaluates them: a right is granted by the
// first ACE that names it for one of the class's SIDs, if that ACE allows
// it; denied if that ACE denies it.  Inherit-only ACEs are skipped; generic
// rights are mapped with `mapping`; only rights in `mapping.all` count.
// The owner also holds READ_CONTROL and WRITE_DAC unless an ACE names Owner
// Rights.
class_rights evaluate_dacl(const std::vector<ace>& dacl, std::uint32_t owner_uid,
                           std::uint32_t group_gid, const object::generic_mapping& mapping);

// The class a process with these ids falls in for a file of owner_uid and
// group_gid.
user_class class_of(std::uint32_t euid, bool in_group, std::uint32_t owner_uid);

}  // namespace ntsem::security
