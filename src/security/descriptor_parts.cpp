#include "security/descriptor_parts.hpp"

#include <cstddef>
#include <cstring>

#include "security/acl.hpp"
#include "security/byte_range.hpp"
#include "security/sid.hpp"

namespace ntsem::security {
namespace {

constexpr std::size_t revision_at = offsetof(SECURITY_DESCRIPTOR, Revision);
constexpr std::size_t control_at = offsetof(SECURITY_DESCRIPTOR, Control);
static_assert(offsetof(SECURITY_DESCRIPTOR_RELATIVE, Control) == control_at);

// Indexed by `part`.
constexpr std::size_t absolute_field[] = {
    offsetof(SECURITY_DESCRIPTOR, Owner), offsetof(SECURITY_DESCRIPTOR, Group),
    offsetof(SECURITY_DESCRIPTOR, Sacl), offsetof(SECURITY_DESCRIPTOR, Dacl)};
constexpr std::size_t relative_field[] = {
    offsetof(SECURITY_DESCRIPTOR_RELATIVE, Owner), offsetof(SECURITY_DESCRIPTOR_RELATIVE, Group),
    offsetof(SECURITY_DESCRIPTOR_RELATIVE, Sacl), offsetof(SECURITY_DESCRIPTOR_RELATIVE, Dacl)};

constexpr std::size_t index_of(part p) { return static_cast<std::size_t>(p); }

constexpr SECURITY_DESCRIPTOR_CONTROL defaulted_bit(part p) {
  switch (p) {
    case part::owner: return SE_OWNER_DEFAULTED;
    case part::group: return SE_GROUP_DEFAULTED;
    case part::sacl: return SE_SACL_DEFAULTED;
    case part::dacl: return SE_DACL_DEFAULTED;
  }
  return 0;
}

constexpr std::size_t round_up_4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

void set_control(void* sd, SECURITY_DESCRIPTOR_CONTROL control) {
  store(static_cast<std::uint8_t*>(sd) + control_at, control);
}

// The Set* calls' common checks: Windows refuses an unknown revision, then a
// self-relative descriptor (its parts cannot be pointed elsewhere).
NTSTATUS settable(const descriptor_header& h) {
  if (h.revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  if (h.self_relative()) return STATUS_INVALID_SECURITY_DESCR;
  return STATUS_SUCCESS;
}

void set_field(void* sd, part p, const void* address, bool defaulted) {
  store(static_cast<std::uint8_t*>(sd) + absolute_field[index_of(p)], address);
  SECURITY_DESCRIPTOR_CONTROL control = header_of(sd).control;
  control = static_cast<SECURITY_DESCRIPTOR_CONTROL>(
      defaulted ? control | defaulted_bit(p) : control & ~defaulted_bit(p));
  set_control(sd, control);
}

// How many bytes the part takes, by its own header; 0 for none, or for a
// self-relative part whose header lies beyond largest_self_relative.
std::size_t part_size(const void* sd, const descriptor_header& h, part p) {
  const std::uintptr_t field = part_field(sd, p);
  if (!part_present(h, p) || field == 0) return 0;
  if (h.self_relative() && field > largest_self_relative - sid_header_size) return 0;
  const byte_range header(part_address(sd, p), sid_header_size);
  static_assert(sid_header_size == acl_header_size);
  if (p == part::owner || p == part::group) return sid_length(header.u8(1));
  return acl_size(header);
}

}  // namespace

descriptor_header header_of(const void* sd) {
  const byte_range bytes(sd, control_at + sizeof(SECURITY_DESCRIPTOR_CONTROL));
  return {bytes.u8(revision_at), bytes.u16(control_at)};
}

bool part_present(const descriptor_header& h, part p) {
  switch (p) {
    case part::owner:
    case part::group: return true;
    case part::sacl: return (h.control & SE_SACL_PRESENT) != 0;
    case part::dacl: return (h.control & SE_DACL_PRESENT) != 0;
  }
  return false;
}

std::uintptr_t part_field(const void* sd, part p) {
  if (header_of(sd).self_relative())
    return byte_range(sd, self_relative_header_size).u32(relative_field[index_of(p)]);
  return byte_range(sd, absolute_header_size).load<std::uintptr_t>(absolute_field[index_of(p)]);
}

const void* part_address(const void* sd, part p) {
  const descriptor_header h = header_of(sd);
  const std::uintptr_t field = part_field(sd, p);
  if (!part_present(h, p) || field == 0) return nullptr;
  if (h.self_relative()) return static_cast<const std::uint8_t*>(sd) + field;
  return reinterpret_cast<const void*>(field);
}

DWORD descriptor_length(const void* sd) {
  const descriptor_header h = header_of(sd);
  std::size_t length = h.self_relative() ? self_relative_header_size : absolute_header_size;
  for (part p : {part::owner, part::group, part::sacl, part::dacl})
    length += round_up_4(part_size(sd, h, p));
  return static_cast<DWORD>(length);
}

NTSTATUS create_descriptor(void* sd, DWORD revision) {
  if (revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  SECURITY_DESCRIPTOR empty{};
  empty.Revision = SECURITY_DESCRIPTOR_REVISION;
  std::memcpy(sd, &empty, sizeof empty);
  return STATUS_SUCCESS;
}

NTSTATUS set_principal(void* sd, part p, PSID sid, bool defaulted) {
  if (NTSTATUS s = settable(header_of(sd)); s != STATUS_SUCCESS) return s;
  set_field(sd, p, sid, defaulted);
  return STATUS_SUCCESS;
}

NTSTATUS get_principal(const void* sd, part p, PSID* sid, BOOL* defaulted) {
  const descriptor_header h = header_of(sd);
  if (h.revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  *sid = const_cast<void*>(part_address(sd, p));
  *defaulted = (h.control & defaulted_bit(p)) != 0;
  return STATUS_SUCCESS;
}

NTSTATUS set_dacl(void* sd, bool present, PACL dacl, bool defaulted) {
  if (NTSTATUS s = settable(header_of(sd)); s != STATUS_SUCCESS) return s;
  const SECURITY_DESCRIPTOR_CONTROL control = header_of(sd).control;
  // Without a DACL the pointer and the defaulted flag are left as they are.
  if (!present) {
    set_control(sd, static_cast<SECURITY_DESCRIPTOR_CONTROL>(control & ~SE_DACL_PRESENT));
    return STATUS_SUCCESS;
  }
  set_control(sd, static_cast<SECURITY_DESCRIPTOR_CONTROL>(control | SE_DACL_PRESENT));
  set_field(sd, part::dacl, dacl, defaulted);
  return STATUS_SUCCESS;
}

NTSTATUS get_dacl(const void* sd, BOOL* present, PACL* dacl, BOOL* defaulted) {
  const descriptor_header h = header_of(sd);
  if (h.revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  *present = part_present(h, part::dacl);
  if (*present) {
    *dacl = static_cast<PACL>(const_cast<void*>(part_address(sd, part::dacl)));
    *defaulted = (h.control & SE_DACL_DEFAULTED) != 0;
  }
  return STATUS_SUCCESS;
}

NTSTATUS get_control(const void* sd, SECURITY_DESCRIPTOR_CONTROL* control, DWORD* revision) {
  const descriptor_header h = header_of(sd);
  *revision = h.revision;
  if (h.revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  *control = h.control;
  return STATUS_SUCCESS;
}

}  // namespace ntsem::security
