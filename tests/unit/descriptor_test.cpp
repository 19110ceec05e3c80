// security::read_descriptor and read_descriptor_bounded: what they read from
// absolute and self-relative descriptors, every malformed input they refuse,
// and that no input makes them read outside the bytes they are allowed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <random>
#include <vector>

#include <ntsem/windows.h>

#include "security/descriptor.hpp"
#include "security/descriptor_parts.hpp"
#include "security/self_relative.hpp"

namespace {

using ntsem::security::ace;
using ntsem::security::descriptor;
using ntsem::security::largest_self_relative;
using ntsem::security::read_descriptor;
using ntsem::security::read_descriptor_bounded;
using ntsem::security::self_relative_bytes;
using ntsem::security::sid;
using bytes = std::vector<std::uint8_t>;

sid world() { return sid{{0, 0, 0, 0, 0, 1}, {SECURITY_WORLD_RID}}; }
sid admins() {
  return sid{{0, 0, 0, 0, 0, 5}, {SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS}};
}
sid system() { return sid{{0, 0, 0, 0, 0, 5}, {SECURITY_LOCAL_SYSTEM_RID}}; }

// A descriptor with a bit of everything: denied before allowed, inheritance
// flags, two principals.
descriptor sample() {
  descriptor d;
  d.owner = admins();
  d.group = system();
  d.dacl_present = true;
  d.dacl = {ace{ACCESS_DENIED_ACE_TYPE, 0, SEMAPHORE_MODIFY_STATE, world()},
            ace{ACCESS_ALLOWED_ACE_TYPE, INHERIT_ONLY_ACE, GENERIC_ALL, admins()},
            ace{ACCESS_ALLOWED_ACE_TYPE, 0, SYNCHRONIZE | SEMAPHORE_QUERY_STATE, world()}};
  return d;
}

bytes relative(const descriptor& d, SECURITY_DESCRIPTOR_CONTROL extra = 0) {
  return *self_relative_bytes(d, extra);
}

// The same descriptor in the absolute form: the parts are copied out of a
// self-relative one, each into a block of its own.
struct absolute {
  explicit absolute(const bytes& self_relative) {
    SECURITY_DESCRIPTOR_RELATIVE r;
    std::memcpy(&r, self_relative.data(), sizeof r);
    sd.Revision = r.Revision;
    sd.Control = static_cast<SECURITY_DESCRIPTOR_CONTROL>(r.Control & ~SE_SELF_RELATIVE);
    sd.Owner = part(self_relative, r.Owner, owner);
    sd.Group = part(self_relative, r.Group, group);
    sd.Dacl = static_cast<PACL>(part(self_relative, r.Dacl, dacl));
  }
  static void* part(const bytes& from, DWORD offset, bytes& to) {
    if (offset == 0) return nullptr;
    to.assign(from.begin() + offset, from.end());
    return to.data();
  }
  SECURITY_DESCRIPTOR sd{};
  bytes owner, group, dacl;
};

SECURITY_DESCRIPTOR_RELATIVE header_of(const bytes& b) {
  SECURITY_DESCRIPTOR_RELATIVE r;
  std::memcpy(&r, b.data(), sizeof r);
  return r;
}
void set_header(bytes& b, const SECURITY_DESCRIPTOR_RELATIVE& r) {
  std::memcpy(b.data(), &r, sizeof r);
}

// read_descriptor takes a self-relative descriptor to be as long as its
// parts say, and looks for their sizes no further than largest_self_relative
// bytes from its start: the descriptor gets that much room (zeros past its
// end), so that a sanitizer build catches any read beyond.
NTSTATUS read(const bytes& b, descriptor* out = nullptr) {
  bytes room(largest_self_relative, 0);
  std::copy(b.begin(), b.end(), room.begin());
  descriptor scratch;
  return read_descriptor(room.data(), out ? out : &scratch);
}
NTSTATUS read_bounded(const bytes& b, descriptor* out = nullptr) {
  descriptor scratch;
  return read_descriptor_bounded(b.data(), b.size(), out ? out : &scratch);
}

TEST(ReadDescriptor, SelfRelativeRoundTrips) {
  const descriptor d = sample();
  const bytes b = relative(d);
  descriptor out;
  ASSERT_EQ(read(b, &out), STATUS_SUCCESS);
  EXPECT_TRUE(out == d);
  ASSERT_EQ(read_bounded(b, &out), STATUS_SUCCESS);
  EXPECT_TRUE(out == d);
}

TEST(ReadDescriptor, AbsoluteReadsThroughItsPointers) {
  const descriptor d = sample();
  const absolute a(relative(d));
  descriptor out;
  ASSERT_EQ(read_descriptor(&a.sd, &out), STATUS_SUCCESS);
  EXPECT_TRUE(out == d);
}

TEST(ReadDescriptor, DenyBeforeAllowOrderIsKept) {
  descriptor out;
  ASSERT_EQ(read(relative(sample()), &out), STATUS_SUCCESS);
  ASSERT_EQ(out.dacl.size(), 3u);
  EXPECT_EQ(out.dacl[0].type, ACCESS_DENIED_ACE_TYPE);
  EXPECT_EQ(out.dacl[1].type, ACCESS_ALLOWED_ACE_TYPE);
  EXPECT_EQ(out.dacl[1].flags, INHERIT_ONLY_ACE);
  EXPECT_EQ(out.dacl[2].mask, SYNCHRONIZE | SEMAPHORE_QUERY_STATE);
}

TEST(ReadDescriptor, NullEmptyAndAbsentDacls) {
  descriptor null_dacl;
  null_dacl.dacl_present = true;
  null_dacl.dacl_null = true;
  descriptor empty_dacl;
  empty_dacl.dacl_present = true;
  const descriptor no_dacl;
  for (const descriptor& d : {null_dacl, empty_dacl, no_dacl}) {
    const bytes b = relative(d);
    descriptor out;
    ASSERT_EQ(read(b, &out), STATUS_SUCCESS);
    EXPECT_TRUE(out == d);
    const absolute a(b);
    ASSERT_EQ(read_descriptor(&a.sd, &out), STATUS_SUCCESS);
    EXPECT_TRUE(out == d);
  }
}

TEST(ReadDescriptor, AnAbsentDaclIsNotRead) {
  SECURITY_DESCRIPTOR sd{};
  sd.Revision = SECURITY_DESCRIPTOR_REVISION;
  sd.Dacl = reinterpret_cast<PACL>(std::uintptr_t{1});  // never dereferenced
  sd.Sacl = reinterpret_cast<PACL>(std::uintptr_t{1});
  descriptor out;
  ASSERT_EQ(read_descriptor(&sd, &out), STATUS_SUCCESS);
  EXPECT_FALSE(out.dacl_present);
  bytes b = relative(descriptor{});
  SECURITY_DESCRIPTOR_RELATIVE r = header_of(b);
  r.Dacl = 0xFFFFFFF0u;
  r.Sacl = 0xFFFFFFF0u;
  set_header(b, r);
  EXPECT_EQ(read(b), STATUS_SUCCESS);
}

// Audit, object and other kinds grant nothing: only their extent is checked.
TEST(ReadDescriptor, OtherAceKindsAreSkipped) {
  descriptor d;
  d.dacl_present = true;
  d.dacl = {ace{ACCESS_ALLOWED_ACE_TYPE, 0, GENERIC_READ, world()},
            ace{ACCESS_DENIED_ACE_TYPE, 0, GENERIC_WRITE, world()},
            ace{ACCESS_ALLOWED_ACE_TYPE, 0, GENERIC_ALL, system()}};
  bytes b = relative(d);
  const DWORD dacl_at = header_of(b).Dacl;
  b[dacl_at + sizeof(ACL)] = SYSTEM_AUDIT_ACE_TYPE;  // the first
  b[dacl_at + sizeof(ACL) + 20] = 5;                 // an object ACE, the second
  descriptor out;
  ASSERT_EQ(read(b, &out), STATUS_SUCCESS);
  ASSERT_EQ(out.dacl.size(), 1u);
  EXPECT_EQ(out.dacl[0].mask, GENERIC_ALL);
}

TEST(ReadDescriptor, UnknownRevisionInEitherForm) {
  for (int revision : {0, 2, 0xFF}) {
    bytes b = relative(sample());
    b[0] = static_cast<std::uint8_t>(revision);
    EXPECT_EQ(read(b), STATUS_UNKNOWN_REVISION);
    EXPECT_EQ(read_bounded(b), STATUS_UNKNOWN_REVISION);
    absolute a(relative(sample()));
    a.sd.Revision = static_cast<BYTE>(revision);
    descriptor out;
    EXPECT_EQ(read_descriptor(&a.sd, &out), STATUS_UNKNOWN_REVISION);
  }
}

TEST(ReadDescriptor, MalformedSidsAreInvalidSid) {
  // Revision 2, then 16 sub-authorities (the owner of `sample` is at the end
  // of its DACL, group after it).
  for (int byte : {0, 1}) {
    bytes b = relative(sample());
    const DWORD owner_at = header_of(b).Owner;
    b[owner_at + byte] = byte == 0 ? 2 : SID_MAX_SUB_AUTHORITIES + 1;
    EXPECT_EQ(read(b), STATUS_INVALID_SID);
    EXPECT_EQ(read_bounded(b), STATUS_INVALID_SID);
    absolute a(relative(sample()));
    a.owner[byte] = b[owner_at + byte];
    descriptor out;
    EXPECT_EQ(read_descriptor(&a.sd, &out), STATUS_INVALID_SID);
    a.owner[byte] = byte == 0 ? 1 : 2;
    a.group[byte] = b[owner_at + byte];
    EXPECT_EQ(read_descriptor(&a.sd, &out), STATUS_INVALID_SID);
  }
}

// Changes one field of the first ACE or of the DACL header, in place.
bytes with_dacl_change(std::size_t offset_in_dacl, std::vector<std::uint8_t> value) {
  bytes b = relative(sample());
  const DWORD dacl_at = header_of(b).Dacl;
  std::memcpy(b.data() + dacl_at + offset_in_dacl, value.data(), value.size());
  return b;
}

// The self-relative `b` read without and with bounds, and its absolute
// form: `unbounded` for the first, `otherwise` for the other two.
void expect_statuses(const bytes& b, NTSTATUS unbounded, NTSTATUS otherwise) {
  EXPECT_EQ(read(b), unbounded);
  EXPECT_EQ(read_bounded(b), otherwise);
  const absolute a(b);
  descriptor out;
  EXPECT_EQ(read_descriptor(&a.sd, &out), otherwise);
}

TEST(ReadDescriptor, MalformedDaclsAreInvalidAcl) {
  const std::size_t ace0 = sizeof(ACL);
  struct change {
    const char* what;
    std::size_t at;
    std::vector<std::uint8_t> value;
  };
  const change changes[] = {
      {"ACL revision 1", 0, {1}},
      {"ACL revision 5", 0, {5}},
      {"more ACEs counted than there are", 4, {4, 0}},
      {"ACE size below its header", ace0 + 2, {2, 0}},
      {"ACE size zero", ace0 + 2, {0, 0}},
      {"ACE size odd", ace0 + 2, {21, 0}},
      {"allowed ACE size not a multiple of 4", ace0 + 2, {18, 0}},
      {"ACE smaller than its SID", ace0 + 2, {16, 0}},
      {"ACE SID revision", ace0 + 8, {3}},
      {"ACE SID with 16 sub-authorities", ace0 + 9, {16}},
      {"ACE SID longer than the ACE", ace0 + 9, {2}},
  };
  for (const change& c : changes) {
    SCOPED_TRACE(c.what);
    expect_statuses(with_dacl_change(c.at, c.value), STATUS_INVALID_ACL, STATUS_INVALID_ACL);
  }
}

// A wrong AclSize is a bad ACL inside given bounds; without them it also
// moves the end of the descriptor, and the parts after the DACL fall outside.
TEST(ReadDescriptor, AWrongAclSize) {
  for (std::uint8_t size : {std::uint8_t{6}, std::uint8_t{8 + 20 + 20}}) {
    SCOPED_TRACE(size);
    expect_statuses(with_dacl_change(offsetof(ACL, AclSize), {size, 0}),
                    STATUS_INVALID_SECURITY_DESCR, STATUS_INVALID_ACL);
  }
}

TEST(ReadDescriptor, AnInvalidSaclIsInvalidAcl) {
  bytes b = relative(sample());
  SECURITY_DESCRIPTOR_RELATIVE r = header_of(b);
  // The DACL, read as a SACL, is valid; then made invalid.
  r.Control = static_cast<SECURITY_DESCRIPTOR_CONTROL>(r.Control | SE_SACL_PRESENT);
  r.Sacl = r.Dacl;
  set_header(b, r);
  EXPECT_EQ(read(b), STATUS_SUCCESS);
  b[r.Sacl] = 9;
  EXPECT_EQ(read(b), STATUS_INVALID_ACL);
}

TEST(ReadDescriptor, SelfRelativeOffsetsMustBeInside) {
  struct offsets {
    const char* what;
    DWORD owner;
  };
  const bytes good = relative(sample());
  const DWORD size = static_cast<DWORD>(good.size());
  for (const offsets& o : {offsets{"inside the header", 4}, offsets{"unaligned", 22},
                           offsets{"at the end", size}, offsets{"past the end", size + 8},
                           offsets{"far past the end", 0xFFFFFFF0u}}) {
    SCOPED_TRACE(o.what);
    bytes b = good;
    SECURITY_DESCRIPTOR_RELATIVE r = header_of(b);
    r.Owner = o.owner;
    set_header(b, r);
    EXPECT_EQ(read(b), STATUS_INVALID_SECURITY_DESCR);
    EXPECT_EQ(read_bounded(b), STATUS_INVALID_SECURITY_DESCR);
  }
}

// Only given bounds can tell a part that claims more than there is: without
// them its claim is the descriptor's length.
TEST(ReadDescriptorBounded, APartRunningPastTheEndIsInvalid) {
  bytes b = relative(sample());
  const SECURITY_DESCRIPTOR_RELATIVE r = header_of(b);
  bytes sid_too_long = b;
  sid_too_long[r.Group + 1] = 2;  // the last part, a SID, claims 4 more bytes
  EXPECT_EQ(read_bounded(sid_too_long), STATUS_INVALID_SECURITY_DESCR);
  b.resize(r.Dacl + sizeof(ACL) + 4);  // the DACL's header and a bit: no owner or group
  SECURITY_DESCRIPTOR_RELATIVE cut = r;
  cut.Owner = cut.Group = 0;
  set_header(b, cut);
  EXPECT_EQ(read_bounded(b), STATUS_INVALID_SECURITY_DESCR);
}

// read_descriptor takes a self-relative descriptor to be the
// GetSecurityDescriptorLength bytes at its start: a gap before a part puts the
// part outside.
TEST(ReadDescriptor, SelfRelativePartsLieWithinItsLength) {
  bytes b = relative(sample());
  SECURITY_DESCRIPTOR_RELATIVE r = header_of(b);
  const bytes group(b.begin() + r.Group, b.end());
  b.resize(r.Group + 16);  // 16 unused bytes, then the group
  b.insert(b.end(), group.begin(), group.end());
  r.Group += 16;
  set_header(b, r);
  EXPECT_EQ(read(b), STATUS_INVALID_SECURITY_DESCR);
  descriptor out;
  ASSERT_EQ(read_bounded(b, &out), STATUS_SUCCESS);
  EXPECT_TRUE(out == sample());
}

TEST(ReadDescriptorBounded, NeedsAWholeHeaderAndTheSelfRelativeForm) {
  const bytes b = relative(sample());
  descriptor out;
  for (std::size_t length : {0, 1, 19}) {
    EXPECT_EQ(read_descriptor_bounded(b.data(), length, &out), STATUS_INVALID_SECURITY_DESCR);
  }
  const absolute a(b);
  EXPECT_EQ(read_descriptor_bounded(&a.sd, sizeof a.sd, &out), STATUS_BAD_DESCRIPTOR_FORMAT);
}

TEST(ReadDescriptor, OutputIsWrittenOnlyOnSuccess) {
  descriptor out = sample();
  bytes b = relative(descriptor{});
  b[0] = 2;
  EXPECT_EQ(read(b, &out), STATUS_UNKNOWN_REVISION);
  EXPECT_TRUE(out == sample());
}

// Random bytes through the bounded reader, each input in a heap block of its
// exact size (so that a sanitizer build catches any read outside it).  The
// header is kept plausible half of the time and its offsets small, so that
// the parts are reached.  Whatever is read back must survive a round trip.
TEST(ReadDescriptorBounded, RandomBytesNeverReadOutside) {
  std::mt19937 random(20240611);  // fixed: a failure must reproduce
  std::uniform_int_distribution<int> byte(0, 255);
  int accepted = 0;
  for (int i = 0; i < 40000; ++i) {
    const std::size_t length = std::uniform_int_distribution<std::size_t>(0, 160)(random);
    bytes b(length);
    for (auto& x : b) x = static_cast<std::uint8_t>(byte(random));
    if (length >= sizeof(SECURITY_DESCRIPTOR_RELATIVE) && i % 2 == 0) {
      SECURITY_DESCRIPTOR_RELATIVE r = header_of(b);
      r.Revision = SECURITY_DESCRIPTOR_REVISION;
      r.Control = static_cast<SECURITY_DESCRIPTOR_CONTROL>(r.Control | SE_SELF_RELATIVE);
      for (DWORD* offset : {&r.Owner, &r.Group, &r.Sacl, &r.Dacl})
        *offset = static_cast<DWORD>(byte(random) % (length + 8)) & ~3u;
      set_header(b, r);
    }
    descriptor out;
    if (read_bounded(b, &out) != STATUS_SUCCESS) continue;
    ++accepted;
    descriptor again;
    ASSERT_EQ(read(relative(out), &again), STATUS_SUCCESS);
    EXPECT_TRUE(again == out);
  }
  EXPECT_GT(accepted, 0);
}

// Valid descriptors with a few bytes changed, through both readers: the
// unbounded one within a block as large as any self-relative descriptor can
// be, which it must never read past.
TEST(ReadDescriptor, MutatedDescriptorsNeverReadOutside) {
  std::mt19937 random(7);
  const bytes good = relative(sample());
  for (int i = 0; i < 20000; ++i) {
    bytes b = good;
    const int changes = std::uniform_int_distribution<int>(1, 4)(random);
    for (int c = 0; c < changes; ++c) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, b.size() - 1)(random);
      b[at] = static_cast<std::uint8_t>(std::uniform_int_distribution<int>(0, 255)(random));
    }
    b[3] |= SE_SELF_RELATIVE >> 8;
    descriptor out;
    read_descriptor_bounded(b.data(), b.size(), &out);
    bytes padded(largest_self_relative, 0);
    std::copy(b.begin(), b.end(), padded.begin());
    read_descriptor(padded.data(), &out);
  }
}

}  // namespace
