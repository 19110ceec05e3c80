#include "sys/process.hpp"

#include <signal.h>

#include <cerrno>

namespace ntsem::sys {

bool has_ended(std::uint32_t pid) {
  // No process has id 0 or one above INT_MAX (which kill() would take for
  // a process group); EPERM: it lives, as another user's.
  if (pid == 0 || pid > 0x7FFF'FFFFu) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace ntsem::sys
