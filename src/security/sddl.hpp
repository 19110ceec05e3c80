// Security descriptor strings (ConvertStringSecurityDescriptorToSecurity-
// Descriptor): the grammar <ntsem/sddl.h> states, a subset of MS-DTYP 2.5.1.
//
// The string is cut into parts at each "<letter>:"; a SID or ACE string never
// holds a ':', so the part for "O:" is all up to the letter of the next part.
// Spaces may stand before and after each part, each DACL flag, each ACE and
// each field of an ACE.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <ntsem/winternl.h>

namespace ntsem::security {

// The self-relative descriptor `text` describes (self_relative.hpp lays it
// out).  STATUS_INVALID_PARAMETER for a part other than O:, G:, D: or one
// given twice, STATUS_INVALID_SID for a bad owner or group,
// STATUS_INVALID_ACL for anything wrong in the DACL, STATUS_NOT_SUPPORTED for
// a SACL.
NTSTATUS parse_sddl(std::u16string_view text, std::vector<std::uint8_t>* self_relative);

}  // namespace ntsem::security
