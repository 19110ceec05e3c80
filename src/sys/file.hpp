// Files, directories and file locks: the kernel facilities that named
// objects are built on.
//
// Both kinds of lock here, open-file-description (OFD) locks on bytes
// (F_OFD_SETLK) and a file's flock() lock, belong to an open file
// description, not to a process: the kernel drops them when the last
// descriptor of that description is closed, which a process that ends
// (however it ends) does for all of its descriptors.  That is what lets a
// killed process drop its references to named objects (flock) and its
// process record (OFD).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ntsem::sys {

enum class file_error : std::uint8_t {
  ok,
  not_found,       // ENOENT
  exists,          // EEXIST
  access_denied,   // EACCES, EPERM
  would_block,     // a conflicting lock is held (EAGAIN)
  no_descriptors,  // EMFILE, ENFILE even after raising the limit
  no_space,        // ENOSPC, ENOMEM
  other,
};

// An owned file descriptor.
class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
  unique_fd& operator=(unique_fd&& o) noexcept;
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd();
  int get() const { return fd_; }
  int release();
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Closes each of `fds` (open descriptors, each once; negative ones are not
// allowed), a run of consecutive numbers in one system call.
void close_all(std::vector<int> fds);

// Creates `path` and each missing parent as directories with `mode` (applied
// with chmod, so the umask does not narrow it).  ok if they exist.
file_error make_directories(const std::string& path, mode_t mode);
file_error open_directory(const std::string& path, unique_fd* out);
// Opens the directory `name` in `dir`; a link is not followed, so a link
// planted in a shared directory never leads elsewhere.
file_error open_directory_in(int dir, const std::string& name, unique_fd* out);
// The names in the directory `dir`, "." and ".." left out, in no particular
// order.  Reads through a descriptor of its own: `dir`'s offset is untouched.
file_error list_directory(int dir, std::vector<std::string>* names);

// Opens an existing file in `dir` for reading and writing (or reading only).
file_error open_in(int dir, const std::string& name, bool writable, unique_fd* out);
// The same for a file that anyone may have put there: never blocks (a FIFO),
// never follows a link, never becomes a controlling terminal.  The caller
// checks with identify() that it opened a regular file.
file_error open_untrusted_in(int dir, const std::string& name, bool writable, unique_fd* out);
// An unnamed file in `dir` (O_TMPFILE), to be initialised and then linked.
file_error create_unnamed_in(int dir, mode_t mode, unique_fd* out);
// Opens the file of `fd` again, for reading and writing: a descriptor of a
// new open file description (its own OFD locks), the file linked or not.
file_error reopen(int fd, unique_fd* out);
// Gives the unnamed file `fd` the name `name` in `dir`; `exists` if taken.
file_error link_into(int fd, int dir, const std::string& name);
file_error unlink_in(int dir, const std::string& name);
file_error set_mode(int fd, mode_t mode);
// fchown; pass -1 (as uid_t / gid_t) to leave either id as it is.
file_error set_owner(int fd, uid_t owner, gid_t group);
file_error set_size(int fd, std::size_t bytes);
file_error write_at(int fd, const void* data, std::size_t bytes, std::size_t offset);
file_error read_at(int fd, void* data, std::size_t bytes, std::size_t offset);

struct file_identity {
  dev_t device;
  ino_t inode;
  nlink_t links;  // 0 once unlinked
  std::size_t size;
  uid_t owner;
  gid_t group;
  mode_t mode;    // permission bits only
  bool regular;   // a regular file (not a directory, link, FIFO, device...)
};
file_error identify(int fd, file_identity* out);
// The entry `name` in `dir` itself (a link is not followed).
file_error identify_in(int dir, const std::string& name, file_identity* out);

// OFD locks on one byte.  try_* never block; wait_* block until granted.
enum class lock_kind : std::uint8_t { shared, exclusive, none };
file_error try_lock_byte(int fd, std::size_t byte, lock_kind kind);
file_error wait_lock_byte(int fd, std::size_t byte, lock_kind kind);
// Whether a lock of `kind` could be taken now (ok) or another open file
// description holds a conflicting one (would_block), without taking
// anything (F_OFD_GETLK).  Works on a descriptor open for reading only.
file_error probe_lock_byte(int fd, std::size_t byte, lock_kind kind);

// The file's flock() lock (whole file, shared or exclusive).  Like an OFD
// lock it belongs to the open file description, and the kernel drops it
// when the description's last reference goes (its last descriptor closed
// and its last mapping undone), which a process that ends does for all of
// its own.  It is independent of the OFD locks on the file's bytes.
//
// Asking for the other kind while holding one converts: the kernel removes
// the lock held, then grants the new one if nothing conflicts, both under
// the inode's lock list lock (one step for any other process).  A refused
// conversion (would_block) leaves no lock at all: so try_lock_file(fd,
// exclusive) while holding shared is "let go, and take it exclusively if
// nobody else has it" in one call.  `none` lets go.
file_error try_lock_file(int fd, lock_kind kind);
file_error wait_lock_file(int fd, lock_kind kind);

// Raises the soft limit on open descriptors to the hard limit (each named
// object a process holds costs one descriptor).  True if it was raised.
bool raise_descriptor_limit();

}  // namespace ntsem::sys
