// Numbers in the string forms of SIDs and access masks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ntsem::security {

// Reads the digits of `base` (2 to 16, letters in either case) that start at
// *pos, advancing *pos past them.  False, with *pos wherever it stopped, if
// there is no digit or the number exceeds `max`.
bool read_number(std::u16string_view text, std::size_t* pos, unsigned base, std::uint64_t max,
                 std::uint64_t* value);

// A number with a C prefix ("0x1f" hex, "017" octal, "15" decimal) that is
// the whole of `text`.  False if it is not, or exceeds `max`.
bool parse_c_number(std::u16string_view text, std::uint64_t max, std::uint64_t* value);

}  // namespace ntsem::security
