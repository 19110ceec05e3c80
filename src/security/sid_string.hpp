// The string form of a SID (MS-DTYP 2.4.2.1): "S-1-<authority>-<sub>..." with
// the authority in decimal, or as "0x" and 12 hex digits from 2^32 up, and
// each sub-authority in decimal; or one of the two-letter aliases
// (well_known_sid.hpp).  "S" and the hex digits may be in either case.
#pragma once

#include <string>
#include <string_view>

#include <ntsem/winternl.h>

#include "security/descriptor.hpp"

namespace ntsem::security {

// The whole of `text` as a SID (ConvertStringSidToSid): STATUS_INVALID_SID if
// it is not exactly one.
NTSTATUS parse_sid_string(std::u16string_view text, sid* out);

// "S-1-..." (never an alias), as ConvertSidToStringSid writes it.
std::string format_sid(const sid& s);

}  // namespace ntsem::security
