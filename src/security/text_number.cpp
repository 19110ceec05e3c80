#include "security/text_number.hpp"

#include <optional>

namespace ntsem::security {
namespace {

std::optional<unsigned> digit_value(char16_t c) {
  if (c >= u'0' && c <= u'9') return static_cast<unsigned>(c - u'0');
  if (c >= u'a' && c <= u'f') return static_cast<unsigned>(c - u'a') + 10;
  if (c >= u'A' && c <= u'F') return static_cast<unsigned>(c - u'A') + 10;
  return std::nullopt;
}

}  // namespace

bool read_number(std::u16string_view text, std::size_t* pos, unsigned base, std::uint64_t max,
                 std::uint64_t* value) {
  std::uint64_t v = 0;
  const std::size_t start = *pos;
  for (; *pos < text.size(); ++*pos) {
    const std::optional<unsigned> d = digit_value(text[*pos]);
    if (!d || *d >= base) break;
    if (v > (max - *d) / base) return false;
    v = v * base + *d;
  }
  *value = v;
  return *pos > start;
}

bool parse_c_number(std::u16string_view text, std::uint64_t max, std::uint64_t* value) {
  std::size_t pos = 0;
  unsigned base = 10;
  if (text.size() > 2 && text[0] == u'0' && (text[1] == u'x' || text[1] == u'X')) {
    base = 16;
    pos = 2;
  } else if (text.size() > 1 && text[0] == u'0') {
    base = 8;
    pos = 1;
  }
  return read_number(text, &pos, base, max, value) && pos == text.size();
}

}  // namespace ntsem::security
