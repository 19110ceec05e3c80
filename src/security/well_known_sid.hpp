// Windows' well-known SIDs that belong to no domain (CreateWellKnownSid) and
// the two-letter SDDL aliases of those that have one (MS-DTYP 2.4.2.4; the
// aliases and SIDs are those Wine's SDDL tests check against Windows).
#pragma once

#include <optional>
#include <string_view>

#include <ntsem/winternl.h>

#include "security/descriptor.hpp"

namespace ntsem::security {

// nullopt for a type ntsem does not know (the domain-relative ones among them).
std::optional<sid> well_known_sid(WELL_KNOWN_SID_TYPE type);

// The SID an alias names, letters in either case ("WD", "ba"); nullopt for
// any other string.
std::optional<sid> sid_of_alias(std::u16string_view alias);

}  // namespace ntsem::security
