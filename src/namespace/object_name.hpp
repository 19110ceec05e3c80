// Win32 kernel-object names: parsing, validation, and the file names that
// named objects get in their scope's tmpfs directory.  Pure functions, no I/O.
//
// One internal form: a name is kept as UTF-16 (std::u16string), because that
// is what the NT object manager compares, unit by unit.  A W name is taken as
// it is, unpaired surrogates included (NT names are opaque 16-bit units); an A
// name (UTF-8 in ntsem) is converted to UTF-16 first, as Windows' A functions
// convert to W, so "x" and u"x" are one object and the length limits count the
// same units on both faces.  Invalid UTF-8 becomes U+FFFD, one per maximal
// ill-formed subpart (the Unicode Standard's recommended practice); since a
// U+FFFD in a W name stays U+FFFD and an unpaired surrogate stays itself, a
// lone surrogate never meets a replacement character.
//
// Name rules (checked under Wine 8.0 with CreateSemaphoreA/W and
// OpenSemaphoreA/W; SPEC section 3 says the same where it speaks):
//   - Case-sensitive throughout, the Global/Local/Session keywords included
//     ("global\x" is ERROR_PATH_NOT_FOUND, as Microsoft documents).
//   - Length first: an A name longer than 259 UTF-16 units after conversion,
//     or a W name longer than 32766 units (prefix included), is
//     STATUS_NAME_TOO_LONG (ERROR_FILENAME_EXCED_RANGE).
//   - "Global\" moves to the machine-wide scope, "Local\" stays in the scope
//     it is in (so "Local\x" is "x", "Global\Local\x" is "Global\x"); the
//     prefixes repeat, as they are symbolic links present in both directories.
//   - The prefix words on their own ("Global", "Local\Global", "Session") and
//     the empty name name a directory, not an object:
//     STATUS_OBJECT_TYPE_MISMATCH (ERROR_INVALID_HANDLE).  The empty name is
//     this only for Open*; Create* takes it as "unnamed".
//   - A bare prefix ("Global\", "Local\", "Session\") and an empty component
//     right after a prefix ("Global\\x"): STATUS_OBJECT_NAME_INVALID (123).
//   - A leading backslash ("\x"): STATUS_OBJECT_PATH_SYNTAX_BAD (161).
//   - Any other backslash ("a\b", "x\", "Global\a\b"):
//     STATUS_OBJECT_PATH_NOT_FOUND (3).
//   - "Session\<anything>": STATUS_OBJECT_PATH_NOT_FOUND.  Windows reserves
//     this prefix for the system; ntsem exposes no session by number (Wine
//     reaches session n's namespace this way and says 3 for a session that is
//     not there, which is what every session is for ntsem).
//   - Everything else is a name: '/', '.', "..", control characters, U+0000
//     (possible in a counted NT name) are all ordinary characters.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <ntsem/winternl.h>

namespace ntsem::names {

// A names: Windows converts them into a MAX_PATH buffer of WCHARs, so 259
// UTF-16 units fit and 260 do not (Wine: 259 two-byte GBK characters, 518
// bytes, are accepted).  For ASCII this is 259 bytes.
inline constexpr std::size_t max_ansi_name_units = 259;
// W names: RtlInitUnicodeString keeps at most 0xfffc bytes, 32766 units, and
// silently cuts off the rest (Wine: a 32767-unit name opens the 32766-unit
// one).  ntsem refuses what Windows would cut, so that every name it accepts
// reaches the object Windows would reach.
inline constexpr std::size_t max_wide_name_units = 32766;

enum class scope : std::uint8_t {
  session,  // no prefix, or Local\ (the caller's session)
  global,   // Global\ (machine-wide)
};

struct parsed_name {
  scope where = scope::session;
  // The object's name within its scope: non-empty, no backslash.
  std::u16string name;
  friend bool operator==(const parsed_name&, const parsed_name&) = default;
};

// Create*: a NULL or empty name makes an unnamed object (STATUS_SUCCESS,
// *out = nullopt).  *out is written only on success.
NTSTATUS parse_create_name(const char* utf8, std::optional<parsed_name>* out);
NTSTATUS parse_create_name(const char16_t* utf16, std::optional<parsed_name>* out);
// Open*: NULL is STATUS_INVALID_PARAMETER, "" STATUS_OBJECT_TYPE_MISMATCH.
NTSTATUS parse_open_name(const char* utf8, parsed_name* out);
NTSTATUS parse_open_name(const char16_t* utf16, parsed_name* out);
// The same for counted names (nullopt is NULL); a counted W name may hold
// U+0000, as an NT UNICODE_STRING may.
NTSTATUS parse_create_name(std::optional<std::string_view> utf8, std::optional<parsed_name>* out);
NTSTATUS parse_create_name(std::optional<std::u16string_view> utf16,
                           std::optional<parsed_name>* out);
NTSTATUS parse_open_name(std::optional<std::string_view> utf8, parsed_name* out);
NTSTATUS parse_open_name(std::optional<std::u16string_view> utf16, parsed_name* out);

// --- Names on disk --------------------------------------------------------
//
// A named object is a file in its scope's directory.  Names starting with '.'
// are ntsem's own (temporary files); no object's file name starts with one.
//
// Readable form: the name's canonical bytes with every byte outside the safe
// set written as %XX (upper-case hex).  Safe: printable ASCII except '/', '%'
// and '\', and well-formed UTF-8 for characters from U+00A0 on, except the
// bidirectional-text controls (so `ls` and `ntsem list` cannot be made to
// show a name reordered).  A leading '.' or '~' is escaped too.  Percent is
// always escaped, so decoding is unambiguous and the form injective.
//
// Digest form: when the readable form would be longer than
// max_readable_file_name bytes, "~" + the 64 hex digits of the SHA-256 of the
// canonical bytes.  No readable form starts with '~', so the two never meet;
// two digests meet only on a SHA-256 collision.  The file must store the
// canonical bytes, and an open must compare them.
inline constexpr std::size_t max_readable_file_name = 200;  // leaves 55 of NAME_MAX (255)
                                                            // for ntsem's '.'-temporaries
inline constexpr char digest_marker = '~';
inline constexpr char reserved_marker = '.';

// The name's exact bytes: WTF-8 (UTF-8 that also encodes an unpaired
// surrogate, as 3 bytes, like any other unit; a surrogate pair is one 4-byte
// character).  Injective on UTF-16 strings; plain UTF-8 for well-formed names.
// The scope is not in it: it is the directory.
std::string canonical_bytes(const parsed_name& name);
// The inverse, strict: nullopt for bytes that canonical_bytes never makes.
std::optional<std::u16string> name_from_canonical_bytes(std::string_view bytes);

// A valid Linux file name (1..255 bytes, no '/', no NUL, not "." or "..", not
// starting with '.').  The name must be non-empty.
std::string file_name_for(const parsed_name& name);
// The same from the name's canonical_bytes.
std::string file_name_for_canonical(std::string_view canonical_bytes);
// For readable forms: the name back, exactly.  nullopt for digest forms (read
// the name from the file), ntsem's own '.'-files, and anything file_name_for
// would not have made.
std::optional<std::u16string> name_from_file_name(std::string_view file_name);
// The same, as UTF-8 for display (display_utf8 of it).
std::optional<std::string> display_name_from_file_name(std::string_view file_name);

// --- Conversions ----------------------------------------------------------

// UTF-8 to UTF-16, each maximal ill-formed subpart becoming U+FFFD.
std::u16string utf16_from_utf8(std::string_view utf8);
// UTF-16 to UTF-8 for display: an unpaired surrogate becomes U+FFFD (use
// canonical_bytes where names must stay distinct).
std::string display_utf8(std::u16string_view utf16);

// SHA-256 (FIPS 180-4), for the digest form.
std::array<std::uint8_t, 32> sha256(std::string_view data);

}  // namespace ntsem::names
