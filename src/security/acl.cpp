#include "security/acl.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "security/sid.hpp"

namespace ntsem::security {
namespace {

constexpr std::size_t revision_at = 0;
constexpr std::size_t size_at = 2;
constexpr std::size_t count_at = 4;
constexpr std::size_t ace_size_at = 2;
constexpr std::size_t ace_mask_at = 4;
constexpr std::size_t max_acl_size = 0xFFFF;

bool revision_known(DWORD revision) {
  return revision >= MIN_ACL_REVISION && revision <= MAX_ACL_REVISION;
}

// Finds the first `count` ACEs of `acl` (AclSize bytes) one after another,
// each checked to lie inside before the next is looked for, and calls
// each(offset, size) for it.  The offset just past the last, or nullopt as
// soon as an ACE is not inside or `each` refuses it.
template <class Each>
std::optional<std::size_t> walk_aces(byte_range acl, std::size_t count, Each each) {
  std::size_t at = acl_header_size;
  for (std::size_t i = 0; i < count; ++i) {
    if (!acl.holds(at, ace_header_size)) return std::nullopt;
    const std::size_t size = acl.u16(at + ace_size_at);
    if (size < ace_header_size || !acl.holds(at, size) || !each(at, size)) return std::nullopt;
    at += size;
  }
  return at;
}

// One ACE, `bytes` exactly its AceSize.
bool read_ace(byte_range bytes, std::vector<ace>* aces) {
  const std::uint8_t type = bytes.u8(0);
  if (bytes.size() % 2 != 0) return false;
  // Object, callback and other kinds: only their extent is checked.
  if (type > ACCESS_MAX_MS_V2_ACE_TYPE) return true;
  if (bytes.size() % 4 != 0 || !bytes.holds(known_ace_sid_at, sid_header_size)) return false;
  const std::size_t sid_size = valid_sid_length(bytes.part(known_ace_sid_at, sid_header_size));
  if (sid_size == 0 || !bytes.holds(known_ace_sid_at, sid_size)) return false;
  if (aces && (type == ACCESS_ALLOWED_ACE_TYPE || type == ACCESS_DENIED_ACE_TYPE))
    aces->push_back(ace{type, bytes.u8(1), bytes.u32(ace_mask_at),
                        sid_from(bytes.part(known_ace_sid_at, sid_size))});
  return true;
}

}  // namespace

std::size_t acl_size(byte_range header) { return header.u16(size_at); }

bool read_acl(byte_range bytes, std::vector<ace>* aces) {
  const std::size_t size = acl_size(bytes);
  if (!revision_known(bytes.u8(revision_at)) || size < acl_header_size || !bytes.holds(0, size))
    return false;
  const byte_range acl = bytes.part(0, size);
  return walk_aces(acl, acl.u16(count_at), [&](std::size_t at, std::size_t ace_size) {
           return read_ace(acl.part(at, ace_size), aces);
         }).has_value();
}

bool read_acl_at(const void* p, std::vector<ace>* aces) {
  const std::size_t size = acl_size(byte_range(p, acl_header_size));
  return read_acl(byte_range(p, std::max(size, acl_header_size)), aces);
}

NTSTATUS create_acl(void* acl, DWORD length, DWORD revision) {
  if (length < acl_header_size) return STATUS_BUFFER_TOO_SMALL;
  if (!revision_known(revision) || length > max_acl_size) return STATUS_INVALID_PARAMETER;
  const ACL header{static_cast<BYTE>(revision), 0, static_cast<WORD>(length), 0, 0};
  std::memcpy(acl, &header, sizeof header);
  return STATUS_SUCCESS;
}

NTSTATUS add_known_ace(void* acl, DWORD revision, DWORD flags, ACCESS_MASK mask, const void* sid,
                       std::uint8_t type) {
  const std::size_t sid_size = valid_sid_length(byte_range(sid, sid_header_size));
  if (sid_size == 0) return STATUS_INVALID_SID;
  const byte_range header(acl, acl_header_size);
  const std::uint8_t acl_revision = header.u8(revision_at);
  if (acl_revision > MAX_ACL_REVISION || revision > MAX_ACL_REVISION)
    return STATUS_REVISION_MISMATCH;
  if (flags & ~static_cast<DWORD>(VALID_INHERIT_FLAGS)) return STATUS_INVALID_PARAMETER;
  if (!read_acl_at(acl, nullptr)) return STATUS_INVALID_ACL;
  const byte_range bytes(acl, acl_size(header));
  const std::size_t count = bytes.u16(count_at);
  const std::size_t end = *walk_aces(bytes, count, [](std::size_t, std::size_t) { return true; });
  const ace added{type, static_cast<std::uint8_t>(flags), mask,
                  sid_from(byte_range(sid, sid_size))};
  if (!bytes.holds(end, known_ace_size(added.who))) return STATUS_ALLOTTED_SPACE_EXCEEDED;
  auto* base = static_cast<std::uint8_t*>(acl);
  write_known_ace(base + end, added);
  store(base + count_at, static_cast<std::uint16_t>(count + 1));
  base[revision_at] = static_cast<std::uint8_t>(std::max<DWORD>(revision, acl_revision));
  return STATUS_SUCCESS;
}

NTSTATUS find_ace(const void* acl, DWORD index, void** out) {
  const byte_range header(acl, acl_header_size);
  if (!revision_known(header.u8(revision_at)) || index >= header.u16(count_at))
    return STATUS_INVALID_PARAMETER;
  std::size_t found = 0;
  const bool inside = walk_aces(byte_range(acl, acl_size(header)), std::size_t{index} + 1,
                                [&](std::size_t at, std::size_t) {
                                  found = at;
                                  return true;
                                })
                          .has_value();
  if (!inside) return STATUS_INVALID_PARAMETER;
  *out = const_cast<std::uint8_t*>(header.data()) + found;
  return STATUS_SUCCESS;
}

std::size_t known_ace_size(const sid& who) { return known_ace_sid_at + length_of(who); }

void write_known_ace(void* at, const ace& a) {
  auto* bytes = static_cast<std::uint8_t*>(at);
  bytes[0] = a.type;
  bytes[1] = a.flags;
  store(bytes + ace_size_at, static_cast<std::uint16_t>(known_ace_size(a.who)));
  store(bytes + ace_mask_at, static_cast<std::uint32_t>(a.mask));
  write_sid(bytes + known_ace_sid_at, a.who);
}

}  // namespace ntsem::security
