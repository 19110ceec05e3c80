// Text that other users chose (object names, file names), made safe to show:
// it can neither break a line of output nor reorder it, nor end a JSON string.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ntsem_tool {

// The text as it is, except: a backslash as "\\"; newline and tab as "\n"
// and "\t"; other C0 controls, DEL and bytes that are not UTF-8 as "\xHH";
// C1 controls and the bidirectional-text controls as "\u{XXXX}".
std::string printable(std::string_view text);

// A JSON string literal (RFC 8259) with quotes: '"', '\' and controls
// escaped; bytes that are not UTF-8 become U+FFFD.
std::string json_string(std::string_view text);

// "[a,b,...]": JSON values joined into an array.
std::string json_array(const std::vector<std::string>& values);

// The number of characters (code points) of `text`, for aligning columns.
std::size_t display_width(std::string_view text);

}  // namespace ntsem_tool
