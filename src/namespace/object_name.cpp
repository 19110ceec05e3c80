// Name parsing and the on-disk encoding; see object_name.hpp for the rules and
// the Wine results behind them.
#include "namespace/object_name.hpp"

#include <cstring>
#include <type_traits>
#include <utility>

namespace ntsem::names {

namespace {

constexpr char16_t backslash = u'\\';
constexpr char32_t replacement = 0xFFFD;

bool is_high_surrogate(char32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low_surrogate(char32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }
bool is_surrogate(char32_t u) { return u >= 0xD800 && u <= 0xDFFF; }

void append_utf16(std::u16string& out, char32_t cp) {
  if (cp < 0x10000) {
    out.push_back(static_cast<char16_t>(cp));
  } else {
    cp -= 0x10000;
    out.push_back(static_cast<char16_t>(0xD800 | (cp >> 10)));
    out.push_back(static_cast<char16_t>(0xDC00 | (cp & 0x3FF)));
  }
}

// Generalized UTF-8: a surrogate code point is encoded like any other 3-byte
// one, which is what lets an unpaired surrogate survive (WTF-8).
void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The code points of a UTF-16 string, a surrogate pair as one; an unpaired
// surrogate comes out as itself.
template <typename F>
void for_each_code_point(std::u16string_view s, F f) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t u = s[i];
    if (is_high_surrogate(u) && i + 1 < s.size() && is_low_surrogate(s[i + 1])) {
      f(0x10000 + ((u - 0xD800) << 10) + (char32_t{s[i + 1]} - 0xDC00));
      ++i;
    } else {
      f(u);
    }
  }
}

// One UTF-8 (allow_surrogates: WTF-8) character at s[i]: its code point and
// length, or nullopt when the bytes there are ill-formed.  `bad_len` gets the
// length of the maximal ill-formed subpart (at least 1), the unit that the
// Unicode Standard's recommended practice replaces by one U+FFFD.
struct decoded {
  char32_t cp;
  std::size_t len;
};
std::optional<decoded> decode_one(std::string_view s, std::size_t i, bool allow_surrogates,
                                  std::size_t* bad_len) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  *bad_len = 1;
  if (b0 < 0x80) return decoded{b0, 1};
  std::size_t need;              // continuation bytes
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;                        // no overlongs
    if (b0 == 0xED && !allow_surrogates) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return std::nullopt;  // a continuation byte, C0, C1, F5..FF
  }
  std::size_t j = i + 1;
  for (std::size_t k = 0; k < need; ++k, ++j) {
    const unsigned char min = k == 0 ? lo : 0x80, max = k == 0 ? hi : 0xBF;
    if (j >= s.size() || byte(j) < min || byte(j) > max) {
      *bad_len = j - i;
      return std::nullopt;
    }
    cp = (cp << 6) | (byte(j) & 0x3F);
  }
  return decoded{cp, need + 1};
}

// ---- Parsing ----

bool starts_with(std::u16string_view s, std::u16string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The links every BaseNamedObjects directory holds: Global (to the global
// directory), Local (to the directory itself), Session (to the sessions by
// number).  Matched case-sensitively, as Windows and Wine do.
constexpr std::u16string_view global_word = u"Global";
constexpr std::u16string_view local_word = u"Local";
constexpr std::u16string_view session_word = u"Session";

// A non-empty name whose length has been checked.
NTSTATUS parse_units(std::u16string_view rest, parsed_name* out) {
  // Relative to the namespace directory a path cannot be absolute.
  // Wine: CreateSemaphoreA("\\x") ok=0 err=161
  if (rest.front() == backslash) return STATUS_OBJECT_PATH_SYNTAX_BAD;
  scope where = scope::session;
  for (;;) {
    // The link itself, not something inside it: a directory.
    // Wine: CreateSemaphoreA("Global") ok=0 err=6, ("Local\\Global") ok=0 err=6
    if (rest == global_word || rest == local_word || rest == session_word)
      return STATUS_OBJECT_TYPE_MISMATCH;
    std::size_t skip;
    if (starts_with(rest, global_word) && rest.size() > global_word.size() &&
        rest[global_word.size()] == backslash) {
      where = scope::global;
      skip = global_word.size() + 1;
    } else if (starts_with(rest, local_word) && rest.size() > local_word.size() &&
               rest[local_word.size()] == backslash) {
      // Local in the session directory is the session directory, in the
      // global one the global one.  Wine: "Global\\Local\\pq4" was then
      // opened as "Global\\pq4" (and "pq4" err=2).
      skip = local_word.size() + 1;
    } else if (starts_with(rest, session_word) && rest.size() > session_word.size() &&
               rest[session_word.size()] == backslash) {
      // Wine: CreateSemaphoreA("Session\\") ok=0 err=123; a session that
      // is not there, ("Session\\99\\x") ok=0 err=3.
      if (rest.size() == session_word.size() + 1) return STATUS_OBJECT_NAME_INVALID;
      return STATUS_OBJECT_PATH_NOT_FOUND;
    } else {
      break;
    }
    rest.remove_prefix(skip);
    // A bare prefix, or an empty component after one.
    // Wine: ("Global\\") err=123, ("Global\\\\x") err=123, ("Global\\Local\\") err=123
    if (rest.empty() || rest.front() == backslash) return STATUS_OBJECT_NAME_INVALID;
  }
  // Any other backslash asks for a directory that is not there.
  // Wine: ("a\\b") err=3, ("x\\") err=3, ("Global\\a\\b") err=3, ("a\\\\b") err=3
  if (rest.find(backslash) != std::u16string_view::npos) return STATUS_OBJECT_PATH_NOT_FOUND;
  out->where = where;
  out->name.assign(rest);
  return STATUS_SUCCESS;
}

// A non-empty name as given: length first (Windows converts and measures in
// kernel32 before the object manager sees a path; Wine: a 300-character A
// name with a backslash in it is err=206, not 3).
NTSTATUS parse_wide(std::u16string_view name, parsed_name* out) {
  if (name.size() > max_wide_name_units) return STATUS_NAME_TOO_LONG;
  return parse_units(name, out);
}

NTSTATUS parse_ansi(std::string_view name, parsed_name* out) {
  // Each UTF-16 unit takes at least one byte and at most three bytes make a
  // unit (a 4-byte character is 2), so only the middle range needs counting.
  if (name.size() > 3 * max_ansi_name_units) return STATUS_NAME_TOO_LONG;
  const std::u16string units = utf16_from_utf8(name);
  if (units.size() > max_ansi_name_units) return STATUS_NAME_TOO_LONG;
  return parse_units(units, out);
}

// Parses an A (UTF-8) or W (UTF-16) name; *out is written only on success.
template <typename View, typename Out>
NTSTATUS parse_view(View name, Out* out) {
  parsed_name parsed;
  NTSTATUS status;
  if constexpr (std::is_same_v<View, std::string_view>)
    status = parse_ansi(name, &parsed);
  else
    status = parse_wide(name, &parsed);
  if (NT_SUCCESS(status)) *out = std::move(parsed);
  return status;
}

template <typename View>
NTSTATUS parse_create(std::optional<View> name, std::optional<parsed_name>* out) {
  if (!name || name->empty()) {
    out->reset();
    return STATUS_SUCCESS;
  }
  return parse_view(*name, out);
}

template <typename View>
NTSTATUS parse_open(std::optional<View> name, parsed_name* out) {
  // Wine: OpenSemaphoreA(NULL) err=87; OpenSemaphoreA("") err=6 (the empty
  // name is the namespace directory itself).
  if (!name) return STATUS_INVALID_PARAMETER;
  if (name->empty()) return STATUS_OBJECT_TYPE_MISMATCH;
  return parse_view(*name, out);
}

std::optional<std::string_view> view_of(const char* s) {
  if (!s) return std::nullopt;
  return std::string_view(s);
}
std::optional<std::u16string_view> view_of(const char16_t* s) {
  if (!s) return std::nullopt;
  return std::u16string_view(s);
}

// ---- File names ----

constexpr char hex_upper[] = "0123456789ABCDEF";
constexpr char hex_lower[] = "0123456789abcdef";

// Characters that reorder how the text around them is shown.
bool is_bidi_control(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

bool is_safe(char32_t cp, bool first) {
  if (cp < 0x80) {
    if (cp < 0x20 || cp == 0x7F || cp == '/' || cp == '%' || cp == '\\') return false;
    // '.' starts ntsem's own files (and ".", ".."), '~' the digest form.
    return !(first && (cp == static_cast<char32_t>(reserved_marker) ||
                       cp == static_cast<char32_t>(digest_marker)));
  }
  // C1 controls, unpaired surrogates (not valid UTF-8 for `ls`), bidi.
  return cp >= 0xA0 && !is_surrogate(cp) && !is_bidi_control(cp);
}

std::string digest_file_name(std::string_view bytes) {
  const std::array<std::uint8_t, 32> digest = sha256(bytes);
  std::string out(1, digest_marker);
  for (std::uint8_t b : digest) {
    out.push_back(hex_lower[b >> 4]);
    out.push_back(hex_lower[b & 0xF]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower case is never written, so never read
}

// ---- SHA-256 (FIPS 180-4) ----

constexpr std::uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void sha256_block(std::uint32_t h[8], const unsigned char* p) {
  std::uint32_t w[64];
  for (int t = 0; t < 16; ++t)
    w[t] = std::uint32_t{p[4 * t]} << 24 | std::uint32_t{p[4 * t + 1]} << 16 |
           std::uint32_t{p[4 * t + 2]} << 8 | std::uint32_t{p[4 * t + 3]};
  for (int t = 16; t < 64; ++t) {
    const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int t = 0; t < 64; ++t) {
    const std::uint32_t t1 =
        k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[t] + w[t];
    const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

}  // namespace

// ---- Parsing ----

NTSTATUS parse_create_name(const char* utf8, std::optional<parsed_name>* out) {
  return parse_create(view_of(utf8), out);
}
NTSTATUS parse_create_name(const char16_t* utf16, std::optional<parsed_name>* out) {
  return parse_create(view_of(utf16), out);
}
NTSTATUS parse_open_name(const char* utf8, parsed_name* out) {
  return parse_open(view_of(utf8), out);
}
NTSTATUS parse_open_name(const char16_t* utf16, parsed_name* out) {
  return parse_open(view_of(utf16), out);
}
NTSTATUS parse_create_name(std::optional<std::string_view> utf8, std::optional<parsed_name>* out) {
  return parse_create(utf8, out);
}
NTSTATUS parse_create_name(std::optional<std::u16string_view> utf16,
                           std::optional<parsed_name>* out) {
  return parse_create(utf16, out);
}
NTSTATUS parse_open_name(std::optional<std::string_view> utf8, parsed_name* out) {
  return parse_open(utf8, out);
}
NTSTATUS parse_open_name(std::optional<std::u16string_view> utf16, parsed_name* out) {
  return parse_open(utf16, out);
}

// ---- Conversions ----

std::u16string utf16_from_utf8(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    std::size_t bad_len;
    if (const std::optional<decoded> d = decode_one(utf8, i, false, &bad_len)) {
      append_utf16(out, d->cp);
      i += d->len;
    } else {
      out.push_back(static_cast<char16_t>(replacement));
      i += bad_len;
    }
  }
  return out;
}

std::string display_utf8(std::u16string_view utf16) {
  std::string out;
  out.reserve(utf16.size());
  for_each_code_point(utf16, [&](char32_t cp) { append_utf8(out, is_surrogate(cp) ? replacement : cp); });
  return out;
}

std::string canonical_bytes(const parsed_name& name) {
  std::string out;
  out.reserve(name.name.size());
  for_each_code_point(name.name, [&](char32_t cp) { append_utf8(out, cp); });
  return out;
}

std::optional<std::u16string> name_from_canonical_bytes(std::string_view bytes) {
  std::u16string out;
  out.reserve(bytes.size());
  bool after_high = false;  // the last character was an encoded high surrogate
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t bad_len;
    const std::optional<decoded> d = decode_one(bytes, i, true, &bad_len);
    if (!d) return std::nullopt;
    // A pair is always one 4-byte character in canonical bytes; two 3-byte
    // halves would be a second spelling of it.
    if (after_high && is_low_surrogate(d->cp)) return std::nullopt;
    after_high = is_high_surrogate(d->cp);
    append_utf16(out, d->cp);
    i += d->len;
  }
  return out;
}

std::string file_name_for(const parsed_name& name) {
  return file_name_for_canonical(canonical_bytes(name));
}

std::string file_name_for_canonical(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const auto escape = [&](unsigned char b) {
    out.push_back('%');
    out.push_back(hex_upper[b >> 4]);
    out.push_back(hex_upper[b & 0xF]);
  };
  for (std::size_t i = 0; i < bytes.size() && out.size() <= max_readable_file_name;) {
    // Our own canonical bytes: every character is well-formed WTF-8.
    std::size_t bad_len;
    const std::optional<decoded> d = decode_one(bytes, i, true, &bad_len);
    const std::size_t len = d ? d->len : bad_len;
    if (d && is_safe(d->cp, i == 0))
      out.append(bytes, i, len);
    else
      for (std::size_t k = i; k < i + len; ++k) escape(static_cast<unsigned char>(bytes[k]));
    i += len;
  }
  if (out.empty() || out.size() > max_readable_file_name) return digest_file_name(bytes);
  return out;
}

std::optional<std::u16string> name_from_file_name(std::string_view file_name) {
  if (file_name.empty() || file_name.front() == reserved_marker ||
      file_name.front() == digest_marker)
    return std::nullopt;
  std::string bytes;
  bytes.reserve(file_name.size());
  for (std::size_t i = 0; i < file_name.size(); ++i) {
    if (file_name[i] != '%') {
      bytes.push_back(file_name[i]);
      continue;
    }
    if (i + 2 >= file_name.size()) return std::nullopt;
    const int hi = hex_value(file_name[i + 1]), lo = hex_value(file_name[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(hi << 4 | lo));
    i += 2;
  }
  std::optional<std::u16string> name = name_from_canonical_bytes(bytes);
  if (!name || name->empty()) return std::nullopt;
  // Only the one spelling file_name_for makes ("%41" is not "A"'s file).
  if (file_name_for(parsed_name{scope::session, *name}) != file_name) return std::nullopt;
  return name;
}

std::optional<std::string> display_name_from_file_name(std::string_view file_name) {
  const std::optional<std::u16string> name = name_from_file_name(file_name);
  if (!name) return std::nullopt;
  return display_utf8(*name);
}

std::array<std::uint8_t, 32> sha256(std::string_view data) {
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  for (; n >= 64; n -= 64, p += 64) sha256_block(h, p);
  // The tail, 0x80, zeros, and the length in bits, big-endian.
  unsigned char tail[128] = {};
  if (n) std::memcpy(tail, p, n);
  tail[n] = 0x80;
  const std::size_t tail_len = n < 56 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  sha256_block(h, tail);
  if (tail_len == 128) sha256_block(h, tail + 64);
  std::array<std::uint8_t, 32> out;
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  return out;
}

}  // namespace ntsem::names
