// Who a SID stands for on Linux.  A file has three classes of user (its owner,
// its group, everyone else), and root; a SID means something here only if it
// names one of them.
//
//   SID                                   principal
//   S-1-1-0 Everyone (WD)                 everyone
//   S-1-5-11 Authenticated Users (AU)     everyone
//   S-1-5-4 Interactive (IU)              everyone
//   S-1-5-32-545 BUILTIN\Users (BU)       everyone
//   S-1-3-4 Owner Rights (OW)             the file's owner
//   S-1-5-18 Local System (SY)            root (uid 0)
//   S-1-5-32-544 Administrators (BA)      root (uid 0)
//   S-1-22-1-<uid>                        the Unix user uid
//   S-1-22-2-<gid>                        the Unix group gid
//   anything else                         nobody here
//
// Creator Owner (S-1-3-0, CO) is nobody too, as on Windows: it is a
// placeholder that only inheritance replaces, and no token contains it.
//
// S-1-22-1 and S-1-22-2 are the "Unix User" and "Unix Group" authorities that
// Samba and other SMB servers use to name Unix ids as SIDs.
#pragma once

#include <cstdint>

#include "security/descriptor.hpp"

namespace ntsem::security {

enum class principal_kind : std::uint8_t {
  everyone,
  file_owner,
  superuser,
  unix_user,   // id: uid
  unix_group,  // id: gid
  unknown,
};

struct principal {
  principal_kind kind = principal_kind::unknown;
  std::uint32_t id = 0;
};

principal principal_of(const sid& s);

// The SIDs of the Unix ids: S-1-22-1-<uid> and S-1-22-2-<gid>.
sid unix_user_sid(std::uint32_t uid);
sid unix_group_sid(std::uint32_t gid);

}  // namespace ntsem::security
