#include "sys/file.hpp"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace ntsem::sys {
namespace {

file_error from_errno(int e) {
  switch (e) {
    case 0: return file_error::ok;
    case ENOENT: return file_error::not_found;
    case EEXIST: return file_error::exists;
    case EACCES:
    case EPERM: return file_error::access_denied;
    case EAGAIN: return file_error::would_block;
    case EMFILE:
    case ENFILE: return file_error::no_descriptors;
    case ENOSPC:
    case ENOMEM: return file_error::no_space;
    default: return file_error::other;
  }
}

file_error check(int rc) { return rc < 0 ? from_errno(errno) : file_error::ok; }

// Runs an open-like call; on running out of descriptors raises the limit once
// and tries again.
template <class Open>
file_error open_retrying(Open open, unique_fd* out) {
  int fd = open();
  if (fd < 0 && errno == EMFILE && raise_descriptor_limit()) fd = open();
  if (fd < 0) return from_errno(errno);
  *out = unique_fd(fd);
  return file_error::ok;
}

// Runs an F_OFD_* command on one byte; `lock` is what the kernel answered.
file_error lock_command(int fd, std::size_t byte, lock_kind kind, int command,
                        struct flock* lock) {
  *lock = {};
  lock->l_type = kind == lock_kind::shared ? F_RDLCK : kind == lock_kind::exclusive ? F_WRLCK
                                                                                    : F_UNLCK;
  lock->l_whence = SEEK_SET;
  lock->l_start = static_cast<off_t>(byte);
  lock->l_len = 1;
  lock->l_pid = 0;  // required for OFD locks
  int rc;
  do rc = fcntl(fd, command, lock);
  while (rc < 0 && errno == EINTR);
  return check(rc);
}

file_error lock_byte(int fd, std::size_t byte, lock_kind kind, int command) {
  struct flock lock {};
  return lock_command(fd, byte, kind, command, &lock);
}

file_identity identity_of(const struct stat& st) {
  return {st.st_dev,   st.st_ino,           st.st_nlink, static_cast<std::size_t>(st.st_size),
          st.st_uid,   st.st_gid,           st.st_mode & 07777, S_ISREG(st.st_mode)};
}

}  // namespace

unique_fd& unique_fd::operator=(unique_fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

unique_fd::~unique_fd() {
  if (fd_ >= 0) ::close(fd_);
}

int unique_fd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void close_all(std::vector<int> fds) {
  std::sort(fds.begin(), fds.end());
  for (std::size_t run = 0; run < fds.size();) {
    std::size_t end = run + 1;
    while (end < fds.size() && fds[end] == fds[end - 1] + 1) ++end;
    // Every number of the run is one of `fds`: close_range() closes nothing
    // else.  Where the kernel lacks it (before 5.9), one by one.
    if (end - run == 1 ||
        close_range(static_cast<unsigned>(fds[run]), static_cast<unsigned>(fds[end - 1]), 0) != 0)
      for (std::size_t i = run; i < end; ++i) ::close(fds[i]);
    run = end;
  }
}

file_error make_directories(const std::string& path, mode_t mode) {
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i != path.size() && path[i] != '/') continue;
    std::string part = path.substr(0, i);
    if (mkdir(part.c_str(), mode) == 0) {
      if (chmod(part.c_str(), mode) != 0) return from_errno(errno);
    } else if (errno != EEXIST) {
      return from_errno(errno);
    }
  }
  return file_error::ok;
}

file_error open_directory(const std::string& path, unique_fd* out) {
  return open_retrying([&] { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); },
                       out);
}

file_error open_directory_in(int dir, const std::string& name, unique_fd* out) {
  return open_retrying(
      [&] { return ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC); },
      out);
}

file_error list_directory(int dir, std::vector<std::string>* names) {
  // A fresh open file description: a dup would share (and move) dir's offset.
  unique_fd own;
  if (file_error e = open_directory_in(dir, ".", &own); e != file_error::ok) return e;
  DIR* stream = ::fdopendir(own.get());
  if (stream == nullptr) return from_errno(errno);
  own.release();  // the stream owns it now
  names->clear();
  file_error result = file_error::ok;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(stream);
    if (entry == nullptr) {
      result = from_errno(errno);
      break;
    }
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0)
      names->emplace_back(entry->d_name);
  }
  ::closedir(stream);
  return result;
}

file_error open_in(int dir, const std::string& name, bool writable, unique_fd* out) {
  const int flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW;
  return open_retrying([&] { return ::openat(dir, name.c_str(), flags); }, out);
}

file_error open_untrusted_in(int dir, const std::string& name, bool writable, unique_fd* out) {
  const int flags =
      (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
  return open_retrying([&] { return ::openat(dir, name.c_str(), flags); }, out);
}

file_error create_unnamed_in(int dir, mode_t mode, unique_fd* out) {
  return open_retrying([&] { return ::openat(dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode); },
                       out);
}

file_error reopen(int fd, unique_fd* out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  return open_retrying([&] { return ::open(path, O_RDWR | O_CLOEXEC); }, out);
}

file_error link_into(int fd, int dir, const std::string& name) {
  // linkat with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; through /proc it
  // needs nothing.
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  return check(::linkat(AT_FDCWD, path, dir, name.c_str(), AT_SYMLINK_FOLLOW));
}

file_error unlink_in(int dir, const std::string& name) {
  return check(::unlinkat(dir, name.c_str(), 0));
}

file_error set_mode(int fd, mode_t mode) { return check(::fchmod(fd, mode)); }

file_error set_owner(int fd, uid_t owner, gid_t group) {
  return check(::fchown(fd, owner, group));
}

file_error set_size(int fd, std::size_t bytes) {
  return check(::ftruncate(fd, static_cast<off_t>(bytes)));
}

file_error write_at(int fd, const void* data, std::size_t bytes, std::size_t offset) {
  const auto* p = static_cast<const char*>(data);
  while (bytes > 0) {
    ssize_t n = ::pwrite(fd, p, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? from_errno(errno) : file_error::no_space;
    p += n;
    bytes -= static_cast<std::size_t>(n);
    offset += static_cast<std::size_t>(n);
  }
  return file_error::ok;
}

file_error read_at(int fd, void* data, std::size_t bytes, std::size_t offset) {
  auto* p = static_cast<char*>(data);
  while (bytes > 0) {
    ssize_t n = ::pread(fd, p, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? from_errno(errno) : file_error::other;  // short file
    p += n;
    bytes -= static_cast<std::size_t>(n);
    offset += static_cast<std::size_t>(n);
  }
  return file_error::ok;
}

file_error identify(int fd, file_identity* out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return from_errno(errno);
  *out = identity_of(st);
  return file_error::ok;
}

file_error identify_in(int dir, const std::string& name, file_identity* out) {
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return from_errno(errno);
  *out = identity_of(st);
  return file_error::ok;
}

file_error try_lock_byte(int fd, std::size_t byte, lock_kind kind) {
  return lock_byte(fd, byte, kind, F_OFD_SETLK);
}

file_error wait_lock_byte(int fd, std::size_t byte, lock_kind kind) {
  return lock_byte(fd, byte, kind, F_OFD_SETLKW);
}

file_error probe_lock_byte(int fd, std::size_t byte, lock_kind kind) {
  struct flock lock {};
  if (file_error e = lock_command(fd, byte, kind, F_OFD_GETLK, &lock); e != file_error::ok)
    return e;
  return lock.l_type == F_UNLCK ? file_error::ok : file_error::would_block;
}

namespace {

file_error flock_command(int fd, lock_kind kind, int flags) {
  const int operation = kind == lock_kind::shared      ? LOCK_SH
                        : kind == lock_kind::exclusive ? LOCK_EX
                                                       : LOCK_UN;
  int rc;
  do rc = ::flock(fd, operation | flags);
  while (rc < 0 && errno == EINTR);
  return check(rc);
}

}  // namespace

file_error try_lock_file(int fd, lock_kind kind) { return flock_command(fd, kind, LOCK_NB); }

file_error wait_lock_file(int fd, lock_kind kind) { return flock_command(fd, kind, 0); }

bool raise_descriptor_limit() {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return false;
  limit.rlim_cur = limit.rlim_max;
  return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

}  // namespace ntsem::sys
