#include "namespace/namespace_root.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "sys/file.hpp"

namespace ntsem::names {
namespace {

constexpr mode_t directory_mode = 01777;

std::string session_name() {
  if (const char* forced = std::getenv("NTSEM_SESSION"); forced && *forced) return forced;
  std::ifstream in("/proc/self/sessionid");
  unsigned long id = 0;
  // 4294967295 is the kernel's "no audit session" value.
  if (in >> id && id != 4294967295ul) return std::to_string(id);
  // Appended, not "u" + ...: g++ 12 warns falsely (-Wrestrict) on that at -O3.
  std::string name(1, 'u');
  return name.append(std::to_string(getuid()));
}

struct opened_directories {
  std::mutex mutex;
  int fds[3] = {-1, -1, -1};  // global, session, waiters
};

opened_directories& directories() {
  static opened_directories* d = new opened_directories;  // never destroyed
  return *d;
}

NTSTATUS status_of(sys::file_error e) {
  switch (e) {
    case sys::file_error::ok: return STATUS_SUCCESS;
    case sys::file_error::access_denied: return STATUS_ACCESS_DENIED;
    case sys::file_error::no_descriptors:
    case sys::file_error::no_space: return STATUS_INSUFFICIENT_RESOURCES;
    default: return STATUS_OBJECT_PATH_NOT_FOUND;
  }
}

}  // namespace

std::string root_path() {
  if (const char* root = std::getenv("NTSEM_ROOT"); root && *root) return root;
  return "/dev/shm/ntsem";
}

std::string scope_directory_name(scope s) {
  if (s == scope::global) return "global";
  std::string name = "session-";
  return name.append(session_name());
}

namespace {

// The directory named `name()` under the root, opened once (in `fd_slot`)
// and created first if missing.  The name is worked out only then: the
// session's takes four system calls, and every open by name comes here.
template <class Name>
NTSTATUS root_directory(Name name, int* fd_slot, int* dir_fd) {
  opened_directories& d = directories();
  std::lock_guard lock(d.mutex);
  int& fd = *fd_slot;
  if (fd < 0) {
    const std::string path = root_path() + "/" + name();
    sys::file_error e = sys::make_directories(path, directory_mode);
    sys::unique_fd opened;
    if (e == sys::file_error::ok) e = sys::open_directory(path, &opened);
    if (e != sys::file_error::ok) return status_of(e);
    fd = opened.release();
  }
  *dir_fd = fd;
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS scope_directory(scope s, int* dir_fd) {
  return root_directory([s] { return scope_directory_name(s); },
                        &directories().fds[s == scope::global ? 0 : 1], dir_fd);
}

NTSTATUS records_directory(int* dir_fd) {
  return root_directory([] { return std::string(records_directory_name); },
                        &directories().fds[2], dir_fd);
}

}  // namespace ntsem::names
