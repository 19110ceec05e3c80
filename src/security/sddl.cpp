#include "security/sddl.hpp"

#include <optional>
#include <utility>

#include "security/self_relative.hpp"
#include "security/sid_string.hpp"
#include "security/text_number.hpp"

namespace ntsem::security {
namespace {

struct mnemonic {
  char16_t text[3];
  DWORD value;
};

// Rights a semaphore's DACL can grant: generic, standard, and the names of
// the object-specific bits 0 to 8 (MS-DTYP gives them their directory-service
// meanings; on a semaphore CC is SEMAPHORE_QUERY_STATE, DC
// SEMAPHORE_MODIFY_STATE).
constexpr mnemonic rights[] = {
    {u"GA", GENERIC_ALL},  {u"GR", GENERIC_READ}, {u"GW", GENERIC_WRITE},
    {u"GX", GENERIC_EXECUTE}, {u"SD", DELETE},    {u"RC", READ_CONTROL},
    {u"WD", WRITE_DAC},    {u"WO", WRITE_OWNER},  {u"CC", 0x001},
    {u"DC", 0x002},        {u"LC", 0x004},        {u"SW", 0x008},
    {u"RP", 0x010},        {u"WP", 0x020},        {u"DT", 0x040},
    {u"LO", 0x080},        {u"CR", 0x100},
};

constexpr mnemonic ace_flags[] = {
    {u"OI", OBJECT_INHERIT_ACE},       {u"CI", CONTAINER_INHERIT_ACE},
    {u"NP", NO_PROPAGATE_INHERIT_ACE}, {u"IO", INHERIT_ONLY_ACE},
    {u"ID", INHERITED_ACE},
};

struct dacl_flag {
  std::u16string_view text;
  SECURITY_DESCRIPTOR_CONTROL control;  // 0: NO_ACCESS_CONTROL, the NULL DACL
};
constexpr dacl_flag dacl_flags[] = {
    {u"NO_ACCESS_CONTROL", 0},
    {u"P", SE_DACL_PROTECTED},
    {u"AI", SE_DACL_AUTO_INHERITED},
    {u"AR", SE_DACL_AUTO_INHERIT_REQ},
};

std::u16string_view trimmed(std::u16string_view s) {
  while (!s.empty() && s.front() == u' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == u' ') s.remove_suffix(1);
  return s;
}

// A run of two-letter mnemonics from `table`, OR-ed together; nullopt if the
// run holds anything else.
template <std::size_t N>
std::optional<DWORD> mnemonics(std::u16string_view text, const mnemonic (&table)[N]) {
  DWORD value = 0;
  for (; !text.empty(); text.remove_prefix(2)) {
    if (text.size() < 2) return std::nullopt;
    const mnemonic* found = nullptr;
    for (const mnemonic& m : table)
      if (text.substr(0, 2) == m.text) found = &m;
    if (!found) return std::nullopt;
    value |= found->value;
  }
  return value;
}

std::optional<DWORD> access_rights(std::u16string_view text) {
  if (!text.empty() && text[0] >= u'0' && text[0] <= u'9') {
    std::uint64_t value = 0;
    if (!parse_c_number(text, 0xFFFFFFFFu, &value)) return std::nullopt;
    return static_cast<DWORD>(value);
  }
  return mnemonics(text, rights);
}

// "type;flags;rights;object;inherited-object;sid", the text between an ACE's
// parentheses.
std::optional<ace> parse_ace(std::u16string_view body) {
  std::u16string_view fields[6];
  for (std::size_t i = 0; i < 6; ++i) {
    const std::size_t end = body.find(u';');
    if ((end == std::u16string_view::npos) != (i == 5)) return std::nullopt;
    fields[i] = trimmed(body.substr(0, end));
    if (end != std::u16string_view::npos) body.remove_prefix(end + 1);
  }
  ace a;
  if (fields[0] == u"A") a.type = ACCESS_ALLOWED_ACE_TYPE;
  else if (fields[0] == u"D") a.type = ACCESS_DENIED_ACE_TYPE;
  else return std::nullopt;
  const std::optional<DWORD> flags = mnemonics(fields[1], ace_flags);
  const std::optional<DWORD> mask = access_rights(fields[2]);
  if (!flags || !mask || !fields[3].empty() || !fields[4].empty()) return std::nullopt;
  if (parse_sid_string(fields[5], &a.who) != STATUS_SUCCESS) return std::nullopt;
  a.flags = static_cast<std::uint8_t>(*flags);
  a.mask = *mask;
  return a;
}

// A DACL part: its flags, then its ACEs.
NTSTATUS parse_dacl(std::u16string_view text, descriptor* d,
                    SECURITY_DESCRIPTOR_CONTROL* control) {
  d->dacl_present = true;
  text = trimmed(text);
  while (!text.empty() && text.front() != u'(') {
    const dacl_flag* found = nullptr;
    for (const dacl_flag& f : dacl_flags)
      if (text.substr(0, f.text.size()) == f.text) found = &f;
    if (!found) return STATUS_INVALID_ACL;
    if (found->control == 0) d->dacl_null = true;
    *control = static_cast<SECURITY_DESCRIPTOR_CONTROL>(*control | found->control);
    text = trimmed(text.substr(found->text.size()));
  }
  while (!text.empty()) {
    const std::size_t close = text.find(u')');
    if (d->dacl_null || text.front() != u'(' || close == std::u16string_view::npos)
      return STATUS_INVALID_ACL;
    std::optional<ace> a = parse_ace(text.substr(1, close - 1));
    if (!a) return STATUS_INVALID_ACL;
    d->dacl.push_back(std::move(*a));
    text = trimmed(text.substr(close + 1));
  }
  return STATUS_SUCCESS;
}

NTSTATUS parse_principal(std::u16string_view text, std::optional<sid>* out) {
  sid s;
  if (NTSTATUS st = parse_sid_string(trimmed(text), &s); st != STATUS_SUCCESS) return st;
  *out = std::move(s);
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS parse_sddl(std::u16string_view text, std::vector<std::uint8_t>* self_relative) {
  descriptor d;
  SECURITY_DESCRIPTOR_CONTROL control = 0;
  bool seen_owner = false, seen_group = false;
  text = trimmed(text);
  while (!text.empty()) {
    if (text.size() < 2 || text[1] != u':') return STATUS_INVALID_PARAMETER;
    const char16_t kind = text[0];
    // The part runs to the letter before the next ':', or to the end.
    const std::size_t next_colon = text.find(u':', 3);
    const std::size_t end = next_colon == std::u16string_view::npos ? text.size() : next_colon - 1;
    const std::u16string_view body = text.substr(2, end - 2);
    text = text.substr(end);
    NTSTATUS s = STATUS_SUCCESS;
    switch (kind) {
      case u'O':
        if (std::exchange(seen_owner, true)) return STATUS_INVALID_PARAMETER;
        s = parse_principal(body, &d.owner);
        break;
      case u'G':
        if (std::exchange(seen_group, true)) return STATUS_INVALID_PARAMETER;
        s = parse_principal(body, &d.group);
        break;
      case u'D':
        if (d.dacl_present) return STATUS_INVALID_PARAMETER;
        s = parse_dacl(body, &d, &control);
        break;
      case u'S':
        return STATUS_NOT_SUPPORTED;
      default:
        return STATUS_INVALID_PARAMETER;
    }
    if (s != STATUS_SUCCESS) return s;
  }
  std::optional<std::vector<std::uint8_t>> bytes = self_relative_bytes(d, control);
  if (!bytes) return STATUS_INVALID_ACL;
  *self_relative = std::move(*bytes);
  return STATUS_SUCCESS;
}

}  // namespace ntsem::security
