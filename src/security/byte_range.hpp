// Reads of memory that a caller handed in (a SID, an ACL, a descriptor): the
// bytes are untrusted, so every read names its offset and is checked against
// the range's length first, and every value is copied out byte-wise, never
// loaded through a structure pointer (a descriptor may sit at any address of a
// byte buffer).  Values are in the machine's order, as the C structures hold
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ntsem::security {

class byte_range {
 public:
  byte_range(const void* data, std::size_t size)
      : data_(static_cast<const std::uint8_t*>(data)), size_(size) {}

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

  // Whether [offset, offset + count) lies inside; no overflow for any values.
  bool holds(std::size_t offset, std::size_t count) const {
    return offset <= size_ && count <= size_ - offset;
  }

  // The reads below require holds(offset, their size).
  byte_range part(std::size_t offset, std::size_t count) const {
    return byte_range(data_ + offset, count);
  }
  template <class T>
  T load(std::size_t offset) const {
    T value;
    std::memcpy(&value, data_ + offset, sizeof value);
    return value;
  }
  std::uint8_t u8(std::size_t offset) const { return data_[offset]; }
  std::uint16_t u16(std::size_t offset) const { return load<std::uint16_t>(offset); }
  std::uint32_t u32(std::size_t offset) const { return load<std::uint32_t>(offset); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

// Stores `value` at `at` in the machine's order, whatever the alignment.
template <class T>
void store(void* at, T value) {
  std::memcpy(at, &value, sizeof value);
}

}  // namespace ntsem::security
