#include "sys/identity.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <vector>

namespace ntsem::sys {

uid_t effective_uid() { return ::geteuid(); }
gid_t effective_gid() { return ::getegid(); }

std::uint32_t random_number() {
  std::uint32_t n = 0;
  // Four bytes from the urandom pool never block and are never cut short
  // once the pool is ready; a signal can interrupt only before that.
  while (::getrandom(&n, sizeof n, 0) != static_cast<ssize_t>(sizeof n)) {
  }
  return n;
}

bool in_group(gid_t group) {
  if (group == ::getegid()) return true;
  const int n = ::getgroups(0, nullptr);
  if (n <= 0) return false;
  std::vector<gid_t> groups(static_cast<std::size_t>(n));
  const int got = ::getgroups(n, groups.data());
  for (int i = 0; i < got; ++i)
    if (groups[static_cast<std::size_t>(i)] == group) return true;
  return false;
}

}  // namespace ntsem::sys
