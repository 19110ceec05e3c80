// Unnamed objects that a case owns: made at construction (the case ends
// with a failure if that fails), closed when the case's scope ends.
#pragma once

#include "harness.h"
#include "platform.h"

namespace conformance {

class owned_handle {
 public:
  explicit owned_handle(HANDLE h) : h_(h) { REQUIRE(h_ != nullptr); }
  ~owned_handle() { CloseHandle(h_); }
  owned_handle(const owned_handle&) = delete;
  owned_handle& operator=(const owned_handle&) = delete;
  HANDLE get() const { return h_; }
  operator HANDLE() const { return h_; }

 private:
  HANDLE h_;
};

class event : public owned_handle {
 public:
  event(bool manual_reset, bool signaled)
      : owned_handle(CreateEventA(nullptr, manual_reset ? TRUE : FALSE, signaled ? TRUE : FALSE,
                                  nullptr)) {}
};

class semaphore : public owned_handle {
 public:
  semaphore(LONG initial, LONG maximum)
      : owned_handle(CreateSemaphoreA(nullptr, initial, maximum, nullptr)) {}
};

}  // namespace conformance
