// Object names: the Win32 rules (statuses as Wine 8.0 gives them, see
// object_name.hpp), A and W reaching the same name, and the file-name encoding.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "namespace/object_name.hpp"

namespace {

using ntsem::names::canonical_bytes;
using ntsem::names::display_name_from_file_name;
using ntsem::names::file_name_for;
using ntsem::names::max_ansi_name_units;
using ntsem::names::max_readable_file_name;
using ntsem::names::max_wide_name_units;
using ntsem::names::name_from_canonical_bytes;
using ntsem::names::name_from_file_name;
using ntsem::names::parse_create_name;
using ntsem::names::parse_open_name;
using ntsem::names::parsed_name;
using ntsem::names::scope;

constexpr scope session = scope::session;
constexpr scope global = scope::global;

// The status of a name through all four doors: Create and Open, A and W.
// The W form is the A form widened byte by byte (the A names here are ASCII).
std::u16string widen(std::string_view ascii) { return std::u16string(ascii.begin(), ascii.end()); }

NTSTATUS create_a(std::string_view name, std::optional<parsed_name>* out = nullptr) {
  std::optional<parsed_name> parsed;
  const NTSTATUS s = parse_create_name(std::optional<std::string_view>(name), &parsed);
  if (out) *out = parsed;
  return s;
}
NTSTATUS create_w(std::u16string_view name, std::optional<parsed_name>* out = nullptr) {
  std::optional<parsed_name> parsed;
  const NTSTATUS s = parse_create_name(std::optional<std::u16string_view>(name), &parsed);
  if (out) *out = parsed;
  return s;
}
NTSTATUS open_a(std::string_view name, parsed_name* out = nullptr) {
  parsed_name parsed;
  const NTSTATUS s = parse_open_name(std::optional<std::string_view>(name), &parsed);
  if (out) *out = parsed;
  return s;
}
NTSTATUS open_w(std::u16string_view name, parsed_name* out = nullptr) {
  parsed_name parsed;
  const NTSTATUS s = parse_open_name(std::optional<std::u16string_view>(name), &parsed);
  if (out) *out = parsed;
  return s;
}

void expect_status_everywhere(std::string_view name, NTSTATUS expected) {
  SCOPED_TRACE(std::string(name));
  EXPECT_EQ(create_a(name), expected);
  EXPECT_EQ(create_w(widen(name)), expected);
  EXPECT_EQ(open_a(name), expected);
  EXPECT_EQ(open_w(widen(name)), expected);
}

// Parses through all four doors, expects success and one result.
parsed_name parse_everywhere(std::string_view name) {
  SCOPED_TRACE(std::string(name));
  std::optional<parsed_name> ca, cw;
  parsed_name oa, ow;
  EXPECT_EQ(create_a(name, &ca), STATUS_SUCCESS);
  EXPECT_EQ(create_w(widen(name), &cw), STATUS_SUCCESS);
  EXPECT_EQ(open_a(name, &oa), STATUS_SUCCESS);
  EXPECT_EQ(open_w(widen(name), &ow), STATUS_SUCCESS);
  if (!ca || !cw) {
    ADD_FAILURE() << "create gave no name";
    return {};
  }
  EXPECT_EQ(*ca, *cw);
  EXPECT_EQ(*ca, oa);
  EXPECT_EQ(*ca, ow);
  return *ca;
}

parsed_name named(scope where, std::u16string name) { return parsed_name{where, std::move(name)}; }

std::string hex(const std::array<std::uint8_t, 32>& d) {
  std::string out;
  for (std::uint8_t b : d) {
    out.push_back("0123456789abcdef"[b >> 4]);
    out.push_back("0123456789abcdef"[b & 0xF]);
  }
  return out;
}

// ---- NULL and empty ----

TEST(ObjectNameParse, NullAndEmptyMakeUnnamedObjectsForCreate) {
  std::optional<parsed_name> out = named(session, u"stale");
  EXPECT_EQ(parse_create_name(static_cast<const char*>(nullptr), &out), STATUS_SUCCESS);
  EXPECT_FALSE(out);
  out = named(session, u"stale");
  EXPECT_EQ(parse_create_name(static_cast<const char16_t*>(nullptr), &out), STATUS_SUCCESS);
  EXPECT_FALSE(out);
  out = named(session, u"stale");
  EXPECT_EQ(parse_create_name("", &out), STATUS_SUCCESS);
  EXPECT_FALSE(out);
  out = named(session, u"stale");
  EXPECT_EQ(parse_create_name(u"", &out), STATUS_SUCCESS);
  EXPECT_FALSE(out);
  out = named(session, u"stale");
  EXPECT_EQ(parse_create_name(std::optional<std::string_view>(), &out), STATUS_SUCCESS);
  EXPECT_FALSE(out);
  out = named(session, u"stale");
  EXPECT_EQ(parse_create_name(std::optional<std::u16string_view>(u""), &out), STATUS_SUCCESS);
  EXPECT_FALSE(out);
}

// Wine: OpenSemaphoreA(NULL) err=87; OpenSemaphoreA("") err=6, W the same.
TEST(ObjectNameParse, NullIsInvalidParameterAndEmptyIsTypeMismatchForOpen) {
  parsed_name out = named(global, u"untouched");
  EXPECT_EQ(parse_open_name(static_cast<const char*>(nullptr), &out), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(parse_open_name(static_cast<const char16_t*>(nullptr), &out), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(parse_open_name(std::optional<std::string_view>(), &out), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(parse_open_name(std::optional<std::u16string_view>(), &out), STATUS_INVALID_PARAMETER);
  EXPECT_EQ(parse_open_name("", &out), STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(parse_open_name(u"", &out), STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(out, named(global, u"untouched"));  // written only on success
}

TEST(ObjectNameParse, PointerAndCountedFormsAgree) {
  std::optional<parsed_name> a, w;
  EXPECT_EQ(parse_create_name("Global\\x", &a), STATUS_SUCCESS);
  EXPECT_EQ(parse_create_name(u"Global\\x", &w), STATUS_SUCCESS);
  EXPECT_EQ(a, std::optional<parsed_name>(named(global, u"x")));
  EXPECT_EQ(w, a);
  parsed_name oa, ow;
  EXPECT_EQ(parse_open_name("x", &oa), STATUS_SUCCESS);
  EXPECT_EQ(parse_open_name(u"x", &ow), STATUS_SUCCESS);
  EXPECT_EQ(oa, named(session, u"x"));
  EXPECT_EQ(ow, oa);
}

// ---- Prefixes ----

TEST(ObjectNameParse, NoPrefixAndLocalAreTheSessionScopeAndGlobalIsAnother) {
  EXPECT_EQ(parse_everywhere("x"), named(session, u"x"));
  // Wine: "Local\\foo" then "foo" err=183 (same object); then "Global\\foo" err=0.
  EXPECT_EQ(parse_everywhere("Local\\x"), named(session, u"x"));
  EXPECT_EQ(parse_everywhere("Global\\x"), named(global, u"x"));
  EXPECT_NE(parse_everywhere("Global\\x"), parse_everywhere("x"));
}

// Wine: "global\\pc1" err=3, "GLOBAL\\pc1" err=3, "local\\pc2" err=3, as
// Microsoft documents ("these keywords are case-sensitive").
TEST(ObjectNameParse, PrefixesAreCaseSensitive) {
  for (const char* name : {"global\\x", "GLOBAL\\x", "local\\x", "LOCAL\\x", "gLobal\\x", "session\\1\\x"})
    expect_status_everywhere(name, STATUS_OBJECT_PATH_NOT_FOUND);
  // Without a backslash the word is just a name. Wine: ("global") ok=1 err=0
  EXPECT_EQ(parse_everywhere("global"), named(session, u"global"));
  EXPECT_EQ(parse_everywhere("GLOBAL"), named(session, u"GLOBAL"));
  EXPECT_EQ(parse_everywhere("Globalx"), named(session, u"Globalx"));
  EXPECT_EQ(parse_everywhere("Local/x"), named(session, u"Local/x"));
}

// Wine: "Global\\Global\\pc3" opened as "Global\\pc3"; "Global\\Local\\pq4"
// as "Global\\pq4" (not "pq4"); "Local\\Global\\pc5" as "Global\\pc5";
// "Local\\Local\\pq6" as "pq6" (not "Global\\pq6").
TEST(ObjectNameParse, PrefixesRepeatAsTheLinksTheyAre) {
  EXPECT_EQ(parse_everywhere("Global\\Global\\x"), named(global, u"x"));
  EXPECT_EQ(parse_everywhere("Global\\Local\\x"), named(global, u"x"));
  EXPECT_EQ(parse_everywhere("Local\\Global\\x"), named(global, u"x"));
  EXPECT_EQ(parse_everywhere("Local\\Local\\x"), named(session, u"x"));
  EXPECT_EQ(parse_everywhere("Local\\Local\\Global\\Local\\x"), named(global, u"x"));
}

// Wine: ("Global") err=6, ("Local") err=6, ("Session") err=6,
// ("Global\\Global") err=6, ("Local\\Global") err=6, ("Global\\Local") err=6.
TEST(ObjectNameParse, ALinkWordOnItsOwnNamesADirectory) {
  for (const char* name :
       {"Global", "Local", "Session", "Global\\Global", "Local\\Global", "Global\\Local",
        "Local\\Local", "Global\\Session"})
    expect_status_everywhere(name, STATUS_OBJECT_TYPE_MISMATCH);
}

// Wine: ("Global\\") err=123, ("Local\\") err=123, ("Session\\") err=123,
// ("Global\\Local\\") err=123, ("Local\\Local\\") err=123,
// ("Global\\\\x") err=123, ("Global\\\\") err=123.
TEST(ObjectNameParse, ABarePrefixOrAnEmptyComponentAfterOneIsAnInvalidName) {
  for (const char* name : {"Global\\", "Local\\", "Session\\", "Global\\Local\\", "Local\\Local\\",
                           "Global\\\\x", "Global\\\\", "Local\\\\x", "Global\\Global\\\\x"})
    expect_status_everywhere(name, STATUS_OBJECT_NAME_INVALID);
}

// Wine: ("a\\b") err=3, ("Global\\a\\b") err=3, ("Local\\a\\b") err=3,
// ("x\\") err=3, ("Global\\x\\") err=3, ("a\\\\b") err=3, ("Global\\a\\\\b") err=3.
TEST(ObjectNameParse, AnyOtherBackslashIsPathNotFound) {
  for (const char* name : {"a\\b", "Global\\a\\b", "Local\\a\\b", "x\\", "Global\\x\\", "a\\\\b",
                           "Global\\a\\\\b", "Local\\Global\\a\\b", "a\\"})
    expect_status_everywhere(name, STATUS_OBJECT_PATH_NOT_FOUND);
}

// Wine: ("\\x") err=161, ("\\") err=161, ("\\Global\\x") err=161.
TEST(ObjectNameParse, ALeadingBackslashIsBadSyntax) {
  for (const char* name : {"\\x", "\\", "\\Global\\x", "\\\\x", "\\BaseNamedObjects\\x"})
    expect_status_everywhere(name, STATUS_OBJECT_PATH_SYNTAX_BAD);
}

// Sessions by number are not exposed (Wine: ("Session\\99\\x") err=3).
TEST(ObjectNameParse, TheSessionPrefixReachesNothing) {
  for (const char* name : {"Session\\1\\x", "Session\\x", "Session\\1", "Global\\Session\\1\\x",
                           "Local\\Session\\1\\x"})
    expect_status_everywhere(name, STATUS_OBJECT_PATH_NOT_FOUND);
}

// Wine: "a/b", "Global/x", ".", "..", "Global\\.", "Global\\..", " ",
// "\x01ctl", "*?<>|:" were all created (ok=1 err=0).
TEST(ObjectNameParse, EverythingButTheBackslashIsAnOrdinaryCharacter) {
  EXPECT_EQ(parse_everywhere("a/b"), named(session, u"a/b"));
  EXPECT_EQ(parse_everywhere("Global/x"), named(session, u"Global/x"));
  EXPECT_EQ(parse_everywhere("."), named(session, u"."));
  EXPECT_EQ(parse_everywhere(".."), named(session, u".."));
  EXPECT_EQ(parse_everywhere("Global\\."), named(global, u"."));
  EXPECT_EQ(parse_everywhere("Global\\.."), named(global, u".."));
  EXPECT_EQ(parse_everywhere(" "), named(session, u" "));
  EXPECT_EQ(parse_everywhere("\x01" "ctl"), named(session, u"\x01" "ctl"));
  EXPECT_EQ(parse_everywhere("*?<>|:"), named(session, u"*?<>|:"));
  EXPECT_EQ(parse_everywhere("%2F"), named(session, u"%2F"));
  EXPECT_EQ(parse_everywhere("~x"), named(session, u"~x"));
  // A counted W name may carry U+0000.
  const std::u16string with_nul(u"a\0b", 3);
  parsed_name out;
  EXPECT_EQ(open_w(with_nul, &out), STATUS_SUCCESS);
  EXPECT_EQ(out, named(session, with_nul));
}

// Wine: "CaseName" then "casename" err=0 (a second object).
TEST(ObjectNameParse, NamesAreCaseSensitive) {
  EXPECT_NE(parse_everywhere("CaseName"), parse_everywhere("casename"));
  EXPECT_NE(file_name_for(parse_everywhere("CaseName")), file_name_for(parse_everywhere("casename")));
}

// ---- A and W ----

TEST(ObjectNameParse, AAndWReachTheSameName) {
  struct pair {
    const char* a;
    const char16_t* w;
    parsed_name expected;
  };
  const pair pairs[] = {
      {"plain", u"plain", named(session, u"plain")},
      {"s\xC3\xA9maphore-\xE6\x97\xA5\xE6\x9C\xAC", u"s\u00E9maphore-\u65E5\u672C",
       named(session, u"s\u00E9maphore-\u65E5\u672C")},
      {"Global\\s\xC3\xA9maphore-\xE6\x97\xA5\xE6\x9C\xAC", u"Global\\s\u00E9maphore-\u65E5\u672C",
       named(global, u"s\u00E9maphore-\u65E5\u672C")},
      {"emoji-\xF0\x9F\x98\x80", u"emoji-\U0001F600", named(session, u"emoji-\U0001F600")},
      {"Local\\\xF0\x9F\x98\x80\xF0\x9F\x98\x80", u"Local\\\U0001F600\U0001F600",
       named(session, u"\U0001F600\U0001F600")},
  };
  for (const pair& p : pairs) {
    SCOPED_TRACE(p.a);
    std::optional<parsed_name> a, w;
    ASSERT_EQ(parse_create_name(p.a, &a), STATUS_SUCCESS);
    ASSERT_EQ(parse_create_name(p.w, &w), STATUS_SUCCESS);
    ASSERT_TRUE(a && w);
    EXPECT_EQ(*a, p.expected);
    EXPECT_EQ(*w, p.expected);
    EXPECT_EQ(canonical_bytes(*a), canonical_bytes(*w));
    EXPECT_EQ(file_name_for(*a), file_name_for(*w));
  }
  EXPECT_EQ(u"\U0001F600", std::u16string(u"\xD83D\xDE00"));
}

// ---- Lengths ----

// Wine: (259 x 'a') ok=1 err=0; (260 x 'a') ok=0 err=206; ("Global\\" + 252)
// ok=1; ("Global\\" + 253) ok=0 err=206; OpenSemaphoreA(260 x 'a') err=206.
TEST(ObjectNameParse, AnANameHoldsAtMost259Units) {
  ASSERT_EQ(max_ansi_name_units, 259u);
  EXPECT_EQ(open_a(std::string(259, 'a')), STATUS_SUCCESS);
  EXPECT_EQ(create_a(std::string(259, 'a')), STATUS_SUCCESS);
  EXPECT_EQ(open_a(std::string(260, 'a')), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(create_a(std::string(260, 'a')), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(create_a("Global\\" + std::string(252, 'b')), STATUS_SUCCESS);
  EXPECT_EQ(create_a("Global\\" + std::string(253, 'b')), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(create_a(std::string(100'000, 'a')), STATUS_NAME_TOO_LONG);
  // The length is checked first. Wine: 300 characters with a backslash err=206.
  EXPECT_EQ(create_a(std::string(150, 'a') + "\\" + std::string(150, 'b')), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(create_a("\\" + std::string(259, 'b')), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(create_a("Global\\" + std::string(300, 'b')), STATUS_NAME_TOO_LONG);
}

// Units after conversion, not bytes (Wine, ACP 936: 259 x a two-byte
// character, 518 bytes, ok=1; 260 of them err=206).
TEST(ObjectNameParse, AnANameIsMeasuredInUtf16UnitsNotBytes) {
  auto repeat = [](std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
  };
  EXPECT_EQ(open_a(repeat("\xC3\xA9", 259)), STATUS_SUCCESS);  // 518 bytes
  EXPECT_EQ(open_a(repeat("\xC3\xA9", 260)), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(open_a(repeat("\xE6\x97\xA5", 259)), STATUS_SUCCESS);  // 777 bytes
  EXPECT_EQ(open_a(repeat("\xE6\x97\xA5", 260)), STATUS_NAME_TOO_LONG);
  // A character outside the BMP is two units.
  EXPECT_EQ(open_a(repeat("\xF0\x9F\x98\x80", 129) + "a"), STATUS_SUCCESS);  // 259 units
  EXPECT_EQ(open_a(repeat("\xF0\x9F\x98\x80", 130)), STATUS_NAME_TOO_LONG);  // 260 units
  // An invalid byte is one U+FFFD, one unit.
  EXPECT_EQ(open_a(repeat("\xFF", 259)), STATUS_SUCCESS);
  EXPECT_EQ(open_a(repeat("\xFF", 260)), STATUS_NAME_TOO_LONG);
}

// Wine keeps 32766 units and cuts the rest: (32766 x L'w') err=0, then
// (32767 x L'w') err=183; ("Global\\" + 32760, 32767 in all) err=0, then
// ("Global\\" + 32761) err=183.  ntsem refuses what Windows would cut.
TEST(ObjectNameParse, AWNameHoldsAtMost32766UnitsPrefixIncluded) {
  ASSERT_EQ(max_wide_name_units, 32766u);
  EXPECT_EQ(open_w(std::u16string(32766, u'w')), STATUS_SUCCESS);
  EXPECT_EQ(create_w(std::u16string(32766, u'w')), STATUS_SUCCESS);
  EXPECT_EQ(open_w(std::u16string(32767, u'w')), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(create_w(std::u16string(32767, u'w')), STATUS_NAME_TOO_LONG);
  parsed_name out;
  EXPECT_EQ(open_w(u"Global\\" + std::u16string(32759, u'r'), &out), STATUS_SUCCESS);
  EXPECT_EQ(out, named(global, std::u16string(32759, u'r')));
  EXPECT_EQ(open_w(u"Global\\" + std::u16string(32760, u'r')), STATUS_NAME_TOO_LONG);
  EXPECT_EQ(open_w(std::u16string(70000, u'w')), STATUS_NAME_TOO_LONG);
  // Length before syntax.
  EXPECT_EQ(open_w(u"a\\" + std::u16string(32764, u'b')), STATUS_OBJECT_PATH_NOT_FOUND);
  EXPECT_EQ(open_w(u"a\\" + std::u16string(32765, u'b')), STATUS_NAME_TOO_LONG);
  // W names are not held to the A limit.
  EXPECT_EQ(open_w(std::u16string(260, u'w')), STATUS_SUCCESS);
}

// ---- Invalid UTF-8, surrogates ----

TEST(ObjectNameParse, InvalidUtf8BecomesOneReplacementPerMaximalSubpart) {
  struct conversion {
    std::string_view in;
    std::u16string_view out;
  };
  // Where Wine 8.0's MultiByteToWideChar(CP_UTF8, 0) gives the same, the
  // probe's line is quoted; where it differs, its count is noted.
  const conversion cases[] = {
      {"\xC3", u"\uFFFD"},                              // Wine: C3 -> FFFD
      {"\xC3" "A", u"\uFFFDA"},                         // Wine: C3 41 -> FFFD 0041
      {"\xE6\x97", u"\uFFFD"},                          // Wine: E6 97 -> FFFD
      {"\xE6\x97" "A", u"\uFFFDA"},                     // Wine: E6 97 41 -> FFFD 0041
      {"\xF0\x9F\x98", u"\uFFFD"},                      // Wine: F0 9F 98 -> FFFD
      {"\x80", u"\uFFFD"},                              // Wine: 80 -> FFFD
      {"\x80\x80", u"\uFFFD\uFFFD"},                    // Wine: 80 80 -> FFFD FFFD
      {"\xC0\xAF", u"\uFFFD\uFFFD"},                    // Wine: C0 AF -> FFFD FFFD
      {"\xC1\xBF", u"\uFFFD\uFFFD"},                    // Wine: C1 BF -> FFFD FFFD
      {"\xFE\xFF", u"\uFFFD\uFFFD"},                    // Wine: FE FF -> FFFD FFFD
      {"\xF5\x80\x80\x80", u"\uFFFD\uFFFD\uFFFD\uFFFD"},  // Wine: 4 x FFFD
      {"\xE0\x80\xAF", u"\uFFFD\uFFFD\uFFFD"},          // Wine: 2 x FFFD
      {"\xED\xA0\x80", u"\uFFFD\uFFFD\uFFFD"},          // Wine: 2 x FFFD
      {"\xF4\x90\x80\x80", u"\uFFFD\uFFFD\uFFFD\uFFFD"},  // Wine: 3 x FFFD
      {"\xEF\xBF\xBD", u"\uFFFD"},                      // a real U+FFFD
      {"\xF0\x9F\x98\x80", u"\xD83D\xDE00"},            // Wine: D83D DE00
      {"a\xFF" "b", u"a\uFFFDb"},
  };
  for (const conversion& c : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.in)));
    EXPECT_EQ(ntsem::names::utf16_from_utf8(c.in), c.out);
    // ... and so the A name reaches the W name with U+FFFD in it.
    parsed_name a, w;
    ASSERT_EQ(open_a(c.in, &a), STATUS_SUCCESS);
    ASSERT_EQ(open_w(c.out, &w), STATUS_SUCCESS);
    EXPECT_EQ(a, w);
    EXPECT_EQ(file_name_for(a), file_name_for(w));
  }
}

// Wine: CreateSemaphoreW(pc9 + lone D800) err=0; OpenSemaphoreW(pc9 + U+FFFD)
// err=2; OpenSemaphoreW(pc9 + lone D800) ok.
TEST(ObjectNameParse, UnpairedSurrogatesStayDistinctFromTheReplacementCharacter) {
  const std::u16string lone_high = u"p\xD800", lone_low = u"p\xDC00", fffd = u"p\uFFFD";
  const std::u16string reversed = u"p\xDC00\xD800";  // two unpaired halves
  const std::u16string pair = u"p\xD800\xDC00";      // U+10000
  std::vector<parsed_name> names;
  for (const std::u16string& n : {lone_high, lone_low, fffd, reversed, pair}) {
    parsed_name out;
    ASSERT_EQ(open_w(n, &out), STATUS_SUCCESS);
    EXPECT_EQ(out.name, n);
    names.push_back(out);
  }
  std::set<std::string> bytes, files;
  for (const parsed_name& n : names) {
    bytes.insert(canonical_bytes(n));
    files.insert(file_name_for(n));
  }
  EXPECT_EQ(bytes.size(), names.size());
  EXPECT_EQ(files.size(), names.size());
  EXPECT_EQ(canonical_bytes(names[0]), "p\xED\xA0\x80");
  EXPECT_EQ(canonical_bytes(names[1]), "p\xED\xB0\x80");
  EXPECT_EQ(canonical_bytes(names[2]), "p\xEF\xBF\xBD");
  EXPECT_EQ(canonical_bytes(names[4]), "p\xF0\x90\x80\x80");
  EXPECT_EQ(file_name_for(names[0]), "p%ED%A0%80");
  EXPECT_EQ(file_name_for(names[2]), "p\xEF\xBF\xBD");
  // For display a lone surrogate is shown as U+FFFD; the name itself is not.
  EXPECT_EQ(ntsem::names::display_utf8(lone_high), "p\xEF\xBF\xBD");
  EXPECT_EQ(name_from_file_name(file_name_for(names[0])), lone_high);
}

// ---- Canonical bytes ----

TEST(ObjectNameEncoding, CanonicalBytesRoundTrip) {
  const std::u16string names[] = {
      u"x", u"s\u00E9maphore-\u65E5\u672C", u"\U0001F600", u"\xD800", u"\xDFFF", u"\xDBFF\xDFFF",
      u"\xDC00\xD800", u"a\xD800" "b", std::u16string(u"\0", 1), u"\uFFFD", u"\uFFFF", u"\x7F\x80",
  };
  for (const std::u16string& n : names) {
    const std::string bytes = canonical_bytes(named(session, n));
    EXPECT_EQ(name_from_canonical_bytes(bytes), n);
  }
  EXPECT_EQ(canonical_bytes(named(global, u"s\u00E9")), "s\xC3\xA9");  // plain UTF-8
}

TEST(ObjectNameEncoding, CanonicalBytesAreStrict) {
  for (std::string_view bad : {
           std::string_view("\xED\xA0\x80\xED\xB0\x80"),  // a pair written as two halves
           std::string_view("\xC0\xAF"),                  // overlong
           std::string_view("\xE0\x80\xAF"),              // overlong
           std::string_view("\xF4\x90\x80\x80"),          // above U+10FFFF
           std::string_view("\xFF"), std::string_view("\xC3"), std::string_view("\x80"),
       })
    EXPECT_EQ(name_from_canonical_bytes(bad), std::nullopt) << testing::PrintToString(std::string(bad));
  // A high half followed by anything but a low half is fine.
  EXPECT_EQ(name_from_canonical_bytes("\xED\xA0\x80\xED\xA0\x80"), std::u16string(u"\xD800\xD800"));
}

// ---- File names ----

void expect_valid_file_name(const std::string& f) {
  SCOPED_TRACE(f);
  EXPECT_FALSE(f.empty());
  EXPECT_LE(f.size(), 255u);
  EXPECT_EQ(f.find('/'), std::string::npos);
  EXPECT_EQ(f.find('\0'), std::string::npos);
  EXPECT_NE(f, ".");
  EXPECT_NE(f, "..");
  EXPECT_NE(f.front(), ntsem::names::reserved_marker);
}

TEST(ObjectNameFile, ReadableNamesAreEscapedOnlyWhereNeeded) {
  struct expectation {
    std::u16string name;
    std::string file;
  };
  const expectation cases[] = {
      {u"my-sem_1.lock", "my-sem_1.lock"},
      {u"with space", "with space"},
      {u"*?<>|:\"'", "*?<>|:\"'"},
      {u"a/b", "a%2Fb"},
      {u"a%2Fb", "a%252Fb"},
      {u"%", "%25"},
      {u".x", "%2Ex"},
      {u".", "%2E"},
      {u"..", "%2E."},
      {u"x.", "x."},
      {u"~abc", "%7Eabc"},
      {u"a~", "a~"},
      {u"\x01" "ctl\x7F", "%01ctl%7F"},
      {std::u16string(u"a\0b", 3), "a%00b"},
      {u"back\\slash", "back%5Cslash"},  // never parsed, but still encodable
      {u"s\u00E9maphore-\u65E5\u672C", "s\xC3\xA9maphore-\xE6\x97\xA5\xE6\x9C\xAC"},
      {u"\U0001F600", "\xF0\x9F\x98\x80"},
      {u"c1\u0085", "c1%C2%85"},                // a C1 control
      {u"\u00A0nbsp", "\xC2\xA0nbsp"},          // the first character kept
      {u"rtl\u202Eevil", "rtl%E2%80%AEevil"},  // a bidi override
      {u"\xDC00", "%ED%B0%80"},
  };
  for (const expectation& c : cases) {
    const std::string f = file_name_for(named(session, c.name));
    EXPECT_EQ(f, c.file);
    expect_valid_file_name(f);
    EXPECT_EQ(name_from_file_name(f), c.name) << f;
  }
}

TEST(ObjectNameFile, TheScopeIsNotInTheFileName) {
  EXPECT_EQ(file_name_for(named(global, u"x")), file_name_for(named(session, u"x")));
}

std::vector<std::u16string> tricky_names() {
  std::vector<std::u16string> names = {
      u"a/b", u"a%2Fb", u"a%2fb", u"a%252Fb", u".x", u"%2Ex", u"..", u".", u"%2E.", u"%2E%2E", u"%",
      u"%25", u"~abc", u"%7Eabc", u"x", u"X", u"\uFFFD", u"\xD800", u"\xDC00", u"%ED%A0%80",
      u"\xD800\xDC00", u"\xDC00\xD800", u"\U0010FFFF", std::u16string(u"\0", 1), u"%00", u"~",
      u"~~", u"\u202E", u"%E2%80%AE", u" ", u"%20",
  };
  // A user name that looks like a digest file name.
  names.push_back(u"~" + std::u16string(64, u'0'));
  return names;
}

TEST(ObjectNameFile, TrickyNamesGetDistinctValidFileNames) {
  std::set<std::string> files;
  for (const std::u16string& n : tricky_names()) {
    const std::string f = file_name_for(named(session, n));
    expect_valid_file_name(f);
    EXPECT_NE(f.front(), ntsem::names::digest_marker) << f;  // none of these is long
    EXPECT_EQ(name_from_file_name(f), n) << f;
    files.insert(f);
  }
  const std::vector<std::u16string> names = tricky_names();
  EXPECT_EQ(std::set<std::u16string>(names.begin(), names.end()).size(), names.size());
  EXPECT_EQ(files.size(), names.size());
}

// Every one-unit name, and every two-unit name over an alphabet of the
// characters the escaping cares about: distinct, valid, round-tripping.
TEST(ObjectNameFile, EncodingIsInjectiveOnSmallNames) {
  std::set<std::string> files;
  std::size_t count = 0;
  auto check = [&](const std::u16string& n) {
    const std::string f = file_name_for(named(session, n));
    if (f.empty() || f.size() > 255 || f.find('/') != std::string::npos ||
        f.find('\0') != std::string::npos || f.front() == '.')
      ADD_FAILURE() << "bad file name for a name of " << n.size() << " units: " << f;
    if (name_from_file_name(f) != n) ADD_FAILURE() << "no round trip: " << f;
    files.insert(f);
    ++count;
  };
  for (char32_t u = 0; u <= 0xFFFF; ++u) check(std::u16string(1, static_cast<char16_t>(u)));
  const char16_t alphabet[] = {u'\0', u'\x01', u' ', u'%', u'.', u'/', u'2', u'5', u'7', u'E', u'F',
                               u'~', u'\\', u'\x7F', u'\x85', u'\xA0', u'\xE9', u'\x202E',
                               u'\xD800', u'\xDBFF', u'\xDC00', u'\xDFFF', u'\xFFFD', u'\xFFFF'};
  for (char16_t a : alphabet)
    for (char16_t b : alphabet) check(std::u16string{a, b});
  EXPECT_EQ(files.size(), count);
}

TEST(ObjectNameFile, LongNamesTakeTheDigestForm) {
  const std::string at_limit = file_name_for(named(session, std::u16string(200, u'a')));
  EXPECT_EQ(at_limit, std::string(200, 'a'));
  const std::u16string long_a(201, u'a');
  const std::string digest = file_name_for(named(session, long_a));
  ASSERT_EQ(digest.size(), 65u);
  EXPECT_EQ(digest.front(), '~');
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef", 1), std::string::npos);
  expect_valid_file_name(digest);
  // It is the SHA-256 of the canonical bytes.
  EXPECT_EQ(digest, "~" + hex(ntsem::names::sha256(std::string(201, 'a'))));
  // Two long names that differ in their last character.
  std::u16string long_b = long_a;
  long_b.back() = u'b';
  EXPECT_NE(file_name_for(named(session, long_b)), digest);
  // Escaping counts: 66 slashes are 198 bytes, 67 are 201.
  EXPECT_EQ(file_name_for(named(session, std::u16string(66, u'/'))).size(), 198u);
  EXPECT_EQ(file_name_for(named(session, std::u16string(67, u'/'))).front(), '~');
  // The longest names of both faces.
  expect_valid_file_name(file_name_for(named(session, std::u16string(max_wide_name_units, u'w'))));
  expect_valid_file_name(file_name_for(named(session, std::u16string(259, u'\x65E5'))));
  // Digest names are not decoded; the name is read from the file.
  EXPECT_EQ(name_from_file_name(digest), std::nullopt);
  EXPECT_EQ(display_name_from_file_name(digest), std::nullopt);
  EXPECT_LE(max_readable_file_name + 55, 255u);
}

TEST(ObjectNameFile, AUserNameStartingWithTildeNeverLooksLikeADigest) {
  const std::u16string lookalike = u"~" + std::u16string(64, u'a');
  const std::string f = file_name_for(named(session, lookalike));
  EXPECT_EQ(f, "%7E" + std::string(64, 'a'));
  EXPECT_EQ(name_from_file_name(f), lookalike);
}

TEST(ObjectNameFile, DisplayNamesComeBackOnlyFromFileNamesWeMake) {
  EXPECT_EQ(display_name_from_file_name("my-sem"), "my-sem");
  EXPECT_EQ(display_name_from_file_name("a%2Fb"), "a/b");
  EXPECT_EQ(display_name_from_file_name("%2E."), "..");
  EXPECT_EQ(display_name_from_file_name("s\xC3\xA9maphore"), "s\xC3\xA9maphore");
  EXPECT_EQ(display_name_from_file_name("p%ED%A0%80"), "p\xEF\xBF\xBD");  // lone surrogate shown as U+FFFD
  for (std::string_view bad : {
           "",                          // nothing
           ".ntsem-tmp", ".", "..",     // ntsem's own files
           "~0123",                     // a digest
           "%41",                       // "A" is written "A"
           "a%2fb",                     // lower-case escape
           "a%2", "a%", "a%ZZ",         // broken escapes
           "a/b",                       // '/' is always escaped
           "%ED%A0%80%ED%B0%80",        // a pair written as two halves
           "\xFF",                      // not UTF-8
           "%FF",                       // not WTF-8
           ".x", "~x",                  // leading '.'/'~' would have been escaped
       })
    EXPECT_EQ(display_name_from_file_name(bad), std::nullopt) << testing::PrintToString(std::string(bad));
  // A readable form longer than the limit is not one we make.
  EXPECT_EQ(name_from_file_name(std::string(201, 'a')), std::nullopt);
}

// ---- SHA-256 ----

// FIPS 180-4 examples, the padding boundaries (values from Python's hashlib).
TEST(ObjectNameSha256, KnownVectors) {
  using ntsem::names::sha256;
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(sha256(std::string(1'000'000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  const std::pair<std::size_t, const char*> boundaries[] = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
  };
  for (const auto& [n, expected] : boundaries) EXPECT_EQ(hex(sha256(std::string(n, 'x'))), expected) << n;
}

}  // namespace
