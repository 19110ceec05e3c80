#include "security/sid_string.hpp"

#include <cstdint>
#include <optional>

#include "security/text_number.hpp"
#include "security/well_known_sid.hpp"

namespace ntsem::security {
namespace {

constexpr std::uint64_t max_authority = 0xFFFFFFFFFFFFu;  // 48 bits
constexpr std::uint64_t max_sub_authority = 0xFFFFFFFFu;

bool read_authority(std::u16string_view text, std::size_t* pos, std::uint64_t* value) {
  if (text.substr(*pos, 2) == u"0x" || text.substr(*pos, 2) == u"0X") {
    *pos += 2;
    return read_number(text, pos, 16, max_authority, value);
  }
  return read_number(text, pos, 10, max_authority, value);
}

bool is_numeric_form(std::u16string_view text) {
  return text.size() >= 2 && (text[0] == u'S' || text[0] == u's') && text[1] == u'-';
}

// Reads "S-1-..." from the start of `text`: how many characters it took, 0 if
// it is not a SID.
std::size_t parse_numeric(std::u16string_view text, sid* out) {
  std::size_t pos = 2;  // past "S-"
  std::uint64_t revision = 0, authority = 0;
  if (!read_number(text, &pos, 10, max_sub_authority, &revision) || revision != SID_REVISION)
    return 0;
  if (pos >= text.size() || text[pos] != u'-') return 0;
  ++pos;
  if (!read_authority(text, &pos, &authority)) return 0;
  sid s;
  for (std::size_t i = s.authority.size(); i-- > 0; authority >>= 8)
    s.authority[i] = static_cast<std::uint8_t>(authority & 0xFF);
  // Each sub-authority is "-<digits>"; anything else ends the SID there.
  while (pos + 1 < text.size() && text[pos] == u'-') {
    std::size_t next = pos + 1;
    std::uint64_t value = 0;
    if (!read_number(text, &next, 10, max_sub_authority, &value)) break;
    if (s.sub_authorities.size() == SID_MAX_SUB_AUTHORITIES) return 0;
    s.sub_authorities.push_back(static_cast<std::uint32_t>(value));
    pos = next;
  }
  if (s.sub_authorities.empty()) return 0;
  *out = std::move(s);
  return pos;
}

char hex_digit(unsigned v) { return "0123456789abcdef"[v & 0xF]; }

}  // namespace

NTSTATUS parse_sid_string(std::u16string_view text, sid* out) {
  if (!is_numeric_form(text)) {
    std::optional<sid> aliased = sid_of_alias(text);
    if (!aliased) return STATUS_INVALID_SID;
    *out = std::move(*aliased);
    return STATUS_SUCCESS;
  }
  sid s;
  if (parse_numeric(text, &s) != text.size()) return STATUS_INVALID_SID;
  *out = std::move(s);
  return STATUS_SUCCESS;
}

std::string format_sid(const sid& s) {
  std::string text = "S-1-";
  if (s.authority[0] != 0 || s.authority[1] != 0) {
    // 48 bits in hex, as Windows writes an authority of 2^32 or more.
    text += "0x";
    for (std::uint8_t byte : s.authority) {
      text += hex_digit(byte >> 4u);
      text += hex_digit(byte);
    }
  } else {
    std::uint32_t low = 0;
    for (std::size_t i = 2; i < s.authority.size(); ++i) low = (low << 8u) | s.authority[i];
    text += std::to_string(low);
  }
  for (std::uint32_t sub : s.sub_authorities) text += "-" + std::to_string(sub);
  return text;
}

}  // namespace ntsem::security
