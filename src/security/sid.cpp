#include "security/sid.hpp"

namespace ntsem::security {
namespace {

constexpr std::size_t revision_at = 0;
constexpr std::size_t count_at = 1;
constexpr std::size_t authority_at = 2;

}  // namespace

std::size_t valid_sid_length(byte_range header) {
  const std::uint8_t count = header.u8(count_at);
  if (header.u8(revision_at) != SID_REVISION || count > SID_MAX_SUB_AUTHORITIES) return 0;
  return sid_length(count);
}

sid sid_from(byte_range bytes) {
  sid s;
  for (std::size_t i = 0; i < s.authority.size(); ++i) s.authority[i] = bytes.u8(authority_at + i);
  const std::uint8_t count = bytes.u8(count_at);
  s.sub_authorities.reserve(count);
  for (std::size_t i = 0; i < count; ++i) s.sub_authorities.push_back(bytes.u32(sid_length(i)));
  return s;
}

NTSTATUS read_sid_at(const void* p, sid* out) {
  const std::size_t length = valid_sid_length(byte_range(p, sid_header_size));
  if (length == 0) return STATUS_INVALID_SID;
  *out = sid_from(byte_range(p, length));
  return STATUS_SUCCESS;
}

void write_sid_header(void* at, const std::array<std::uint8_t, 6>& authority,
                      std::uint8_t sub_authority_count) {
  auto* bytes = static_cast<std::uint8_t*>(at);
  bytes[revision_at] = SID_REVISION;
  bytes[count_at] = sub_authority_count;
  for (std::size_t i = 0; i < authority.size(); ++i) bytes[authority_at + i] = authority[i];
}

void write_sid(void* at, const sid& s) {
  write_sid_header(at, s.authority, static_cast<std::uint8_t>(s.sub_authorities.size()));
  auto* bytes = static_cast<std::uint8_t*>(at);
  for (std::size_t i = 0; i < s.sub_authorities.size(); ++i)
    store(bytes + sid_length(i), s.sub_authorities[i]);
}

}  // namespace ntsem::security
