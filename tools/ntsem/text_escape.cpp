#include "text_escape.hpp"

#include <cstdint>
#include <optional>

namespace ntsem_tool {

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

struct Character {
  char32_t code_point;
  std::size_t length;  // in bytes
};

// The well-formed UTF-8 character at text[index], or nullopt.
std::optional<Character> decode(std::string_view text, std::size_t index) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char first = byte(index);
  if (first < 0x80) {
    return Character{first, 1};
  }
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t smallest = 0;
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2;
    code_point = first & 0x1Fu;
    smallest = 0x80;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3;
    code_point = first & 0x0Fu;
    smallest = 0x800;
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4;
    code_point = first & 0x07u;
    smallest = 0x10000;
  } else {
    return std::nullopt;
  }
  if (index + length > text.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(index + i) & 0xC0u) != 0x80u) {
      return std::nullopt;
    }
    code_point = (code_point << 6) | (byte(index + i) & 0x3Fu);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < smallest || code_point > 0x10FFFF || surrogate) {
    return std::nullopt;
  }
  return Character{code_point, length};
}

bool is_bidi_control(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

void append_hex(std::string& out, std::uint32_t value, int digits) {
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out += hex_digits[(value >> shift) & 0xFu];
  }
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::optional<Character> c = decode(text, i);
    if (!c || c->code_point < 0x20 || c->code_point == 0x7F) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (byte == '\n') {
        out += "\\n";
      } else if (byte == '\t') {
        out += "\\t";
      } else {
        out += "\\x";
        append_hex(out, byte, 2);
      }
      ++i;
      continue;
    }
    if (c->code_point == '\\') {
      out += "\\\\";
    } else if ((c->code_point >= 0x80 && c->code_point < 0xA0) || is_bidi_control(c->code_point)) {
      out += "\\u{";
      append_hex(out, c->code_point, 4);
      out += '}';
    } else {
      out.append(text.substr(i, c->length));
    }
    i += c->length;
  }
  return out;
}

std::string json_string(std::string_view text) {
  std::string out(1, '"');
  for (std::size_t i = 0; i < text.size();) {
    const std::optional<Character> c = decode(text, i);
    if (!c) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (c->code_point == '"' || c->code_point == '\\') {
      out += '\\';
      out += static_cast<char>(c->code_point);
    } else if (c->code_point < 0x20) {
      out += "\\u";
      append_hex(out, c->code_point, 4);
    } else {
      out.append(text.substr(i, c->length));
    }
    i += c->length;
  }
  out += '"';
  return out;
}

std::string json_array(const std::vector<std::string>& values) {
  std::string out(1, '[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += values[i];
  }
  out += ']';
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char byte : text) {
    width += (static_cast<unsigned char>(byte) & 0xC0u) != 0x80u ? 1 : 0;
  }
  return width;
}

}  // namespace ntsem_tool
