// Lays a `descriptor` out as a self-relative SECURITY_DESCRIPTOR, the form
// ConvertStringSecurityDescriptorToSecurityDescriptor returns.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <ntsem/winternl.h>

#include "security/descriptor.hpp"

namespace ntsem::security {

// The header, then the DACL (revision ACL_REVISION, its ACEs in order; none
// for a NULL DACL), the owner and the group, each part right after the one
// before, in the order Windows' MakeSelfRelativeSD uses (ReactOS,
// RtlMakeSelfRelativeSD).  Control: SE_SELF_RELATIVE, SE_DACL_PRESENT if the
// DACL is, and `extra_control`.  nullopt if the DACL would be larger than an
// ACL can be (65535 bytes).
std::optional<std::vector<std::uint8_t>> self_relative_bytes(
    const descriptor& d, SECURITY_DESCRIPTOR_CONTROL extra_control);

}  // namespace ntsem::security
