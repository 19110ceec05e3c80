#include "security/descriptor.hpp"

#include <optional>
#include <utility>

#include "security/acl.hpp"
#include "security/byte_range.hpp"
#include "security/descriptor_parts.hpp"
#include "security/sid.hpp"

namespace ntsem::security {
namespace {

// A part found by a locator: its bytes (exactly its own size), none, or why
// it cannot be read.
struct located {
  NTSTATUS status = STATUS_SUCCESS;
  std::optional<byte_range> bytes;
};

located failed(NTSTATUS status) { return {status, std::nullopt}; }

// A SID's and an ACL's header are both 8 bytes: enough to know the size.
constexpr std::size_t part_header_size = sid_header_size;
static_assert(acl_header_size == part_header_size);

// The size a part's header gives it, 0 when the header makes it invalid.
// `header` holds the part's first part_header_size bytes.
std::size_t claimed_size(byte_range header, bool is_sid) {
  if (is_sid) return valid_sid_length(header);
  const std::size_t size = acl_size(header);
  return size < acl_header_size ? 0 : size;
}

NTSTATUS invalid_part(bool is_sid) { return is_sid ? STATUS_INVALID_SID : STATUS_INVALID_ACL; }

// An absolute descriptor's parts, through its pointers.
struct absolute_parts {
  const void* sd;
  located locate(part p, bool is_sid) const {
    const void* at = part_address(sd, p);
    if (!at) return {};
    const std::size_t size = claimed_size(byte_range(at, part_header_size), is_sid);
    if (size == 0) return failed(invalid_part(is_sid));
    return {STATUS_SUCCESS, byte_range(at, size)};
  }
};

// A self-relative descriptor's parts, inside `all`.
struct self_relative_parts {
  const void* sd;
  byte_range all;
  located locate(part p, bool is_sid) const {
    if (!part_present(header_of(sd), p)) return {};
    const std::uintptr_t offset = part_field(sd, p);
    if (offset == 0) return {};
    if (offset < self_relative_header_size || offset % sizeof(DWORD) != 0 ||
        !all.holds(offset, part_header_size))
      return failed(STATUS_INVALID_SECURITY_DESCR);
    const std::size_t size = claimed_size(all.part(offset, part_header_size), is_sid);
    if (size == 0) return failed(invalid_part(is_sid));
    if (!all.holds(offset, size)) return failed(STATUS_INVALID_SECURITY_DESCR);
    return {STATUS_SUCCESS, all.part(offset, size)};
  }
};

template <class Parts>
NTSTATUS read_principal(const Parts& parts, part p, std::optional<sid>* out) {
  const located l = parts.locate(p, true);
  if (l.status == STATUS_SUCCESS && l.bytes) *out = sid_from(*l.bytes);
  return l.status;
}

template <class Parts>
NTSTATUS read_acl_part(const Parts& parts, part p, std::vector<ace>* aces) {
  const located l = parts.locate(p, false);
  if (l.status != STATUS_SUCCESS) return l.status;
  if (l.bytes && !read_acl(*l.bytes, aces)) return STATUS_INVALID_ACL;
  return STATUS_SUCCESS;
}

// The descriptor's revision has been checked.
template <class Parts>
NTSTATUS read_parts(const void* sd, const Parts& parts, descriptor* out) {
  descriptor d;
  if (NTSTATUS s = read_principal(parts, part::owner, &d.owner); s != STATUS_SUCCESS) return s;
  if (NTSTATUS s = read_principal(parts, part::group, &d.group); s != STATUS_SUCCESS) return s;
  d.dacl_present = part_present(header_of(sd), part::dacl);
  d.dacl_null = d.dacl_present && part_field(sd, part::dacl) == 0;
  if (NTSTATUS s = read_acl_part(parts, part::dacl, &d.dacl); s != STATUS_SUCCESS) return s;
  if (NTSTATUS s = read_acl_part(parts, part::sacl, nullptr); s != STATUS_SUCCESS) return s;
  *out = std::move(d);
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS read_descriptor(const void* security_descriptor, descriptor* out) {
  const descriptor_header h = header_of(security_descriptor);
  if (h.revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  if (h.self_relative())
    return read_descriptor_bounded(security_descriptor, descriptor_length(security_descriptor),
                                   out);
  return read_parts(security_descriptor, absolute_parts{security_descriptor}, out);
}

NTSTATUS read_descriptor_bounded(const void* security_descriptor, std::size_t length,
                                 descriptor* out) {
  const byte_range all(security_descriptor, length);
  if (!all.holds(0, self_relative_header_size)) return STATUS_INVALID_SECURITY_DESCR;
  const descriptor_header h = header_of(security_descriptor);
  if (h.revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  if (!h.self_relative()) return STATUS_BAD_DESCRIPTOR_FORMAT;
  return read_parts(security_descriptor, self_relative_parts{security_descriptor, all}, out);
}

}  // namespace ntsem::security
