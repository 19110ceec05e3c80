// The file a new named object gets, from its creator's security descriptor:
// owner, group, mode, and the rights each class of user holds (stored in the
// file and checked on every open).
//
// The mode is what the operating system enforces between users:
//   owner        rw- always: an owner can chmod its own file whatever the
//                mode says, so fewer bits would protect nothing; ntsem checks
//                the owner's rights itself, as Windows checks an owner's.
//   group, other rw- when the class holds a right that changes the object's
//                state (for a semaphore SYNCHRONIZE or SEMAPHORE_MODIFY_STATE:
//                a wait takes a unit); r-- when it holds only rights that
//                read (SEMAPHORE_QUERY_STATE, READ_CONTROL); --- otherwise.
// A class with r-- is refused by the kernel as well, because joining an
// object takes write locks on its file: read-only holders are not supported.
//
//   descriptor                       rights
//   none, or no DACL (SE_DACL_PRESENT  the default DACL: the owner and root
//   clear)                             everything, nobody else anything
//   NULL DACL                          everyone everything (mode 0666)
//   a DACL                             evaluate_dacl (class_rights.hpp)
//
// Owner: none, Owner Rights or the creator's own S-1-22-1-<uid> keep the
// creator; another uid or root's SIDs need a creator running as root, else
// STATUS_INVALID_OWNER.  Group: S-1-22-2-<gid> sets the file's group (the
// kernel refuses a group the creator is not in: STATUS_INVALID_PRIMARY_GROUP);
// any other group SID leaves the creator's group.
#pragma once

#include <sys/types.h>

#include "object/object_type.hpp"
#include "security/class_rights.hpp"
#include "security/descriptor.hpp"

namespace ntsem::security {

struct object_permissions {
  std::uint32_t owner_uid = 0;
  std::uint32_t group_gid = 0;
  mode_t mode = 0600;
  class_rights rights;
};

struct creator_ids {
  std::uint32_t uid;
  std::uint32_t gid;
};

// `state_rights`: the rights of the type that change the object's state.
// `d` may be null (no descriptor).
NTSTATUS permissions_for(const descriptor* d, creator_ids creator,
                         const object::generic_mapping& mapping, ACCESS_MASK state_rights,
                         object_permissions* out);

// Mode bits for one class (0, 4 or 6), as the table above says.
mode_t class_mode_bits(ACCESS_MASK rights, ACCESS_MASK state_rights);

}  // namespace ntsem::security
