// One page of a file in /dev/shm that a test maps and hands to a helper
// process by path (never shared by fork alone); removed when it goes.
#pragma once

#include <sys/mman.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <stdexcept>
#include <string>

#include "sys/robust_list.hpp"

namespace ntsem::test {

class shared_page {
 public:
  static constexpr std::size_t bytes = 4096;
  shared_page() {
    char name[] = "/dev/shm/ntsem-test-page-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) throw std::runtime_error("shared page: mkstemp");
    path_ = name;
    const bool sized = ::ftruncate(fd, bytes) == 0;
    void* p = sized ? ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    ::close(fd);
    if (p == MAP_FAILED) {
      ::unlink(path_.c_str());
      throw std::runtime_error("shared page: map");
    }
    data_ = static_cast<unsigned char*>(p);
  }
  ~shared_page() {
    ::munmap(data_, bytes);
    ::unlink(path_.c_str());
  }
  shared_page(const shared_page&) = delete;
  shared_page& operator=(const shared_page&) = delete;

  const std::string& path() const { return path_; }
  unsigned char* data() { return data_; }
  sys::robust_word& word_at(std::size_t offset) {
    return *reinterpret_cast<sys::robust_word*>(data_ + offset);
  }

 private:
  std::string path_;
  unsigned char* data_ = nullptr;
};

}  // namespace ntsem::test
