// The ownership table of the wait-all stress test: one word per object, in a
// file that the test makes in a directory of its own and that every helper
// process maps by path (tests/child/wait_all_stress_child.cpp).  Whoever
// holds an object after a wait-all marks it with its holder id, by a
// compare-and-swap from 0; the swap fails only if someone else's mark is
// there, that is, if two threads hold the object at once, which an atomic
// wait-all never allows.  The holder clears its mark before it releases the
// object, so a correct run never sees a mark it did not expect.
//
// Layout (shared by the test and its helpers, built from this one header):
// `slots` 32-bit words; word i is the holder of object i, 0 for nobody.
// Every access is a sequentially consistent atomic on the word (atomic_ref:
// the words live in a mapping, not in C++ objects).
//
// Nothing here depends on GoogleTest or on ntsem: the helper links neither.
#pragma once

#include <sys/mman.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ntsem::test {

class ownership_table {
 public:
  static constexpr std::size_t slots = 64;
  static constexpr std::size_t bytes = 4096;
  static_assert(slots * sizeof(std::uint32_t) <= bytes);

  // The test's side: a zeroed table in a new directory that only this user
  // may enter (mkdtemp, 0700); both are removed when the table goes.
  // ok() is false if any step failed.
  static ownership_table make_private() {
    ownership_table t;
    std::string dir = "/dev/shm/ntsem-wait-all-owners.XXXXXX";
    if (::mkdtemp(dir.data()) == nullptr) return t;
    t.directory_ = dir;
    t.path_ = dir + "/owners";
    t.map(O_RDWR | O_CREAT | O_EXCL);
    return t;
  }
  // A helper's side: maps the table the test made at `path`.
  static ownership_table open(const std::string& path) {
    ownership_table t;
    t.path_ = path;
    t.map(O_RDWR);
    return t;
  }

  ownership_table(ownership_table&& other) noexcept
      : path_(std::move(other.path_)), directory_(std::move(other.directory_)),
        words_(other.words_) {
    other.words_ = nullptr;
    other.directory_.clear();
  }
  ownership_table& operator=(ownership_table&&) = delete;
  ownership_table(const ownership_table&) = delete;
  ~ownership_table() {
    if (words_) ::munmap(words_, bytes);
    if (!directory_.empty()) {
      ::unlink(path_.c_str());
      ::rmdir(directory_.c_str());
    }
  }

  bool ok() const { return words_ != nullptr; }
  const std::string& path() const { return path_; }

  // Marks `object` as `holder`'s.  0 on success; otherwise the mark found
  // there (and nothing is written).
  std::uint32_t mark(std::size_t object, std::uint32_t holder) {
    std::uint32_t expected = 0;
    word(object).compare_exchange_strong(expected, holder);
    return expected;
  }
  // Clears `holder`'s mark.  0 on success; otherwise what was there instead,
  // left as it is: another holder's mark, or ~0 if the word was 0 (the mark
  // had vanished).
  std::uint32_t clear(std::size_t object, std::uint32_t holder) {
    std::uint32_t expected = holder;
    if (word(object).compare_exchange_strong(expected, 0)) return 0;
    return expected == 0 ? ~0u : expected;
  }
  std::uint32_t holder_of(std::size_t object) { return word(object).load(); }

 private:
  ownership_table() = default;

  void map(int flags) {
    const int fd = ::open(path_.c_str(), flags | O_CLOEXEC, 0600);
    if (fd < 0) return;
    const bool sized = (flags & O_CREAT) == 0 || ::ftruncate(fd, bytes) == 0;
    void* p =
        sized ? ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    ::close(fd);
    if (p != MAP_FAILED) words_ = static_cast<std::uint32_t*>(p);
  }
  // `object` < slots: the callers check the number of objects once.
  std::atomic_ref<std::uint32_t> word(std::size_t object) {
    return std::atomic_ref<std::uint32_t>(words_[object]);
  }

  std::string path_;
  std::string directory_;  // set on the test's side only: removed at the end
  std::uint32_t* words_ = nullptr;
};

// Holder ids: thread t of helper process p (both from 0); never 0.
inline std::uint32_t holder_id(unsigned process, unsigned thread) {
  return ((process + 1u) << 16) | (thread + 1u);
}

}  // namespace ntsem::test
