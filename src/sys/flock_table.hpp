// Which files carry flock() locks, as /proc/locks shows them: for tools
// that must tell a file in use from one nobody holds without taking its
// lock (a lock taken to look, however briefly, is one more holder to
// everyone else, or keeps a joiner waiting and then lets it in).
//
// /proc/locks lists every lock of the machine, once per granted lock, and
// each request still waiting for one ("->") after it.  One caveat: in a
// pid namespace other than the first, the kernel leaves out locks whose
// taker is not a process of that namespace, which includes a taker that has
// ended since (a fork()ed child that holds a description its parent locked
// for it, named_object.hpp INV-FORK).  Such a file then looks unheld here;
// whoever must be sure tries the lock instead.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string_view>
#include <unordered_set>

namespace ntsem::sys {

class flock_table {
 public:
  // Reads /proc/locks; false (and empty) when it cannot be read.
  bool read();
  // Adds the granted flock() locks of `text`, in /proc/locks' format.
  void parse(std::string_view text);
  // Whether the file (device, inode) had a granted flock() lock.
  bool locked(dev_t device, ino_t inode) const;

 private:
  struct file_key {
    std::uint32_t major, minor;
    std::uint64_t inode;
    friend bool operator==(const file_key&, const file_key&) = default;
  };
  struct key_hash {
    std::size_t operator()(const file_key& k) const {
      return std::hash<std::uint64_t>{}(k.inode ^ (std::uint64_t{k.major} << 52) ^
                                        (std::uint64_t{k.minor} << 32));
    }
  };
  std::unordered_set<file_key, key_hash> files_;
};

}  // namespace ntsem::sys
