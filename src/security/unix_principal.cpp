#include "security/unix_principal.hpp"

namespace ntsem::security {
namespace {

constexpr std::uint8_t world_authority = 1;
constexpr std::uint8_t creator_authority = 3;
constexpr std::uint8_t nt_authority = 5;
constexpr std::uint8_t unix_authority = 22;

// The authority of a SID whose 48-bit value fits its last byte, else 0
// (no authority used here is larger).
std::uint8_t small_authority(const sid& s) {
  for (std::size_t i = 0; i + 1 < s.authority.size(); ++i)
    if (s.authority[i] != 0) return 0;
  return s.authority.back();
}

sid make_sid(std::uint8_t authority, std::uint32_t first, std::uint32_t second) {
  sid s;
  s.authority.back() = authority;
  s.sub_authorities = {first, second};
  return s;
}

}  // namespace

principal principal_of(const sid& s) {
  const auto& sub = s.sub_authorities;
  switch (small_authority(s)) {
    case world_authority:
      if (sub.size() == 1 && sub[0] == 0) return {principal_kind::everyone};
      break;
    case creator_authority:
      if (sub.size() == 1 && sub[0] == 4) return {principal_kind::file_owner};
      break;
    case nt_authority:
      if (sub.size() == 1 && (sub[0] == 11 || sub[0] == 4)) return {principal_kind::everyone};
      if (sub.size() == 1 && sub[0] == 18) return {principal_kind::superuser};
      if (sub.size() == 2 && sub[0] == 32 && sub[1] == 545) return {principal_kind::everyone};
      if (sub.size() == 2 && sub[0] == 32 && sub[1] == 544) return {principal_kind::superuser};
      break;
    case unix_authority:
      if (sub.size() == 2 && sub[0] == 1) return {principal_kind::unix_user, sub[1]};
      if (sub.size() == 2 && sub[0] == 2) return {principal_kind::unix_group, sub[1]};
      break;
    default: break;
  }
  return {};
}

sid unix_user_sid(std::uint32_t uid) { return make_sid(unix_authority, 1, uid); }
sid unix_group_sid(std::uint32_t gid) { return make_sid(unix_authority, 2, gid); }

}  // namespace ntsem::security
