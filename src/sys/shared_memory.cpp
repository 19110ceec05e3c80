#include "sys/shared_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace ntsem::sys {

shared_region::~shared_region() {
  if (base_) munmap(base_, reserved_);
  if (fd_ >= 0) close(fd_);
}

bool shared_region::create(const char* name, std::size_t reserve_bytes) {
  // MFD_CLOEXEC: a child process gets the region only when ntsem hands it over
  // on purpose (inheritance, duplication), never by accident through exec.
  int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) return false;
  void* p = mmap(nullptr, reserve_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) {
    close(fd);
    return false;
  }
  fd_ = fd;
  base_ = static_cast<std::byte*>(p);
  reserved_ = reserve_bytes;
  return true;
}

bool shared_region::grow_to(std::size_t bytes) {
  if (bytes <= mapped_) return true;
  if (bytes > reserved_) return false;
  if (ftruncate(fd_, static_cast<off_t>(bytes)) != 0) return false;
  void* p = mmap(base_ + mapped_, bytes - mapped_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
                 fd_, static_cast<off_t>(mapped_));
  if (p == MAP_FAILED) return false;
  mapped_ = bytes;
  return true;
}

void* reserve_address_space(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void* reserve_zeroed_memory(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

bool map_shared_at(void* address, std::size_t bytes, int fd) {
  return mmap(address, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED;
}

void* map_file(int fd, std::size_t bytes, bool writable) {
  void* p = mmap(nullptr, bytes, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void unmap_file(void* address, std::size_t bytes) { munmap(address, bytes); }

bool unmap_to_zero_page(void* address, std::size_t bytes) {
  return mmap(address, bytes, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) != MAP_FAILED;
}

}  // namespace ntsem::sys
