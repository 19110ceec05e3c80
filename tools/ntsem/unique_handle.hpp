// Ownership of a HANDLE: closed exactly once, when its owner goes away.
#pragma once

#include <ntsem/windows.h>

#include <utility>

namespace ntsem_tool {

class UniqueHandle {
 public:
  UniqueHandle() = default;
  explicit UniqueHandle(HANDLE handle) : handle_(handle) {}
  UniqueHandle(UniqueHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept {
    UniqueHandle(std::move(other)).swap(*this);
    return *this;
  }
  ~UniqueHandle() {
    if (handle_ != nullptr) {
      CloseHandle(handle_);
    }
  }

  [[nodiscard]] HANDLE get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }
  void swap(UniqueHandle& other) noexcept { std::swap(handle_, other.handle_); }

 private:
  HANDLE handle_ = nullptr;
};

}  // namespace ntsem_tool
