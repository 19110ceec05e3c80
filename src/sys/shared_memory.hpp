// A growable shared mapping: a memfd mapped into a range of address space that
// is reserved up front, so the region grows in place and addresses inside it
// stay valid for the life of the process.  Another process can map the same
// memfd (after it receives the descriptor) and see the same bytes.
#pragma once

#include <cstddef>

namespace ntsem::sys {

class shared_region {
 public:
  shared_region() = default;
  shared_region(const shared_region&) = delete;
  shared_region& operator=(const shared_region&) = delete;
  ~shared_region();

  // Creates the memfd and reserves `reserve_bytes` of address space; maps
  // nothing yet.  False if the kernel refuses (descriptors or memory).
  bool create(const char* name, std::size_t reserve_bytes);
  // Extends the mapped (and zero-filled) part to `bytes`; never shrinks.
  // False when past the reservation or when the kernel refuses.
  bool grow_to(std::size_t bytes);

  std::byte* base() const { return base_; }
  std::size_t mapped_bytes() const { return mapped_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::byte* base_ = nullptr;
  std::size_t reserved_ = 0;
  std::size_t mapped_ = 0;
};

// Address space that faults on any access until something is mapped into it.
void* reserve_address_space(std::size_t bytes);
// Private memory, zero-filled on first touch; pages cost nothing until used.
void* reserve_zeroed_memory(std::size_t bytes);
// Maps `bytes` of `fd` read-write and shared at exactly `address` (inside a
// range the caller reserved).
bool map_shared_at(void* address, std::size_t bytes, int fd);
// Maps the first `bytes` of `fd`, shared, anywhere; read-only unless
// `writable`.  nullptr if the kernel refuses.
void* map_file(int fd, std::size_t bytes, bool writable);
// Undoes a map_file.
void unmap_file(void* address, std::size_t bytes);
// Replaces a mapping by private zero-filled memory: a stale reader of the old
// mapping then reads zeros instead of faulting.
bool unmap_to_zero_page(void* address, std::size_t bytes);

}  // namespace ntsem::sys
