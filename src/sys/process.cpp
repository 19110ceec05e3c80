#include "sys/process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string_view>

namespace ntsem::sys {

bool has_ended(std::uint32_t pid) {
  // No process has id 0 or one above INT_MAX (which kill() would take for
  // a process group); EPERM: it lives, as another user's.
  if (pid == 0 || pid > 0x7FFF'FFFFu) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

bool descriptor_file_name(std::uint32_t pid, std::int64_t fd, std::string* out) {
  if (pid == 0 || pid > 0x7FFF'FFFFu || fd < 0 || fd > 0x7FFF'FFFF) return false;
  char link[64];
  std::snprintf(link, sizeof link, "/proc/%u/fd/%lld", pid, static_cast<long long>(fd));
  char target[4096];
  const ssize_t n = ::readlink(link, target, sizeof target);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof target || target[0] != '/') return false;
  const std::string_view path(target, static_cast<std::size_t>(n));
  constexpr std::string_view deleted = " (deleted)";
  if (path.ends_with(deleted)) return false;
  const std::string_view name = path.substr(path.rfind('/') + 1);
  if (name.empty()) return false;
  out->assign(name);
  return true;
}

}  // namespace ntsem::sys
