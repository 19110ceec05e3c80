#include "security/self_relative.hpp"

#include <cstddef>
#include <cstring>

#include "security/acl.hpp"
#include "security/sid.hpp"

namespace ntsem::security {

std::optional<std::vector<std::uint8_t>> self_relative_bytes(
    const descriptor& d, SECURITY_DESCRIPTOR_CONTROL extra_control) {
  std::size_t dacl_size = 0;
  if (d.dacl_present && !d.dacl_null) {
    dacl_size = acl_header_size;
    for (const ace& a : d.dacl) dacl_size += known_ace_size(a.who);
    if (dacl_size > 0xFFFF) return std::nullopt;
  }
  const std::size_t owner_size = d.owner ? length_of(*d.owner) : 0;
  const std::size_t group_size = d.group ? length_of(*d.group) : 0;

  SECURITY_DESCRIPTOR_RELATIVE header{};
  header.Revision = SECURITY_DESCRIPTOR_REVISION;
  header.Control = static_cast<SECURITY_DESCRIPTOR_CONTROL>(
      SE_SELF_RELATIVE | (d.dacl_present ? SE_DACL_PRESENT : 0) | extra_control);
  std::size_t next = sizeof header;
  const auto place = [&next](std::size_t size, DWORD* field) {
    if (size == 0) return;
    *field = static_cast<DWORD>(next);
    next += size;
  };
  place(dacl_size, &header.Dacl);
  place(owner_size, &header.Owner);
  place(group_size, &header.Group);

  std::vector<std::uint8_t> bytes(next);
  std::memcpy(bytes.data(), &header, sizeof header);
  if (dacl_size != 0) {
    std::uint8_t* acl = bytes.data() + header.Dacl;
    create_acl(acl, static_cast<DWORD>(dacl_size), ACL_REVISION);
    store(acl + offsetof(ACL, AceCount), static_cast<WORD>(d.dacl.size()));
    std::size_t at = acl_header_size;
    for (const ace& a : d.dacl) {
      write_known_ace(acl + at, a);
      at += known_ace_size(a.who);
    }
  }
  if (d.owner) write_sid(bytes.data() + header.Owner, *d.owner);
  if (d.group) write_sid(bytes.data() + header.Group, *d.group);
  return bytes;
}

}  // namespace ntsem::security
