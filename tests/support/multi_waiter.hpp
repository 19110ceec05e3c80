// A thread blocked in WaitForMultipleObjects, for tests that release what
// it waits for and then look at what it got.
#pragma once

#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include <ntsem/windows.h>

namespace ntsem::test {

class multi_waiter {
 public:
  // Waits on `handles`, for all of them if `wait_all`, with a deadlock guard
  // of 60 s (never a bound on how long anything takes).
  multi_waiter(std::vector<HANDLE> handles, bool wait_all) : handles_(std::move(handles)) {
    thread_ = std::thread([this, wait_all] {
      result_ = WaitForMultipleObjects(static_cast<DWORD>(handles_.size()), handles_.data(),
                                       wait_all ? TRUE : FALSE, 60'000);
    });
  }
  ~multi_waiter() { join(); }
  multi_waiter(const multi_waiter&) = delete;
  multi_waiter& operator=(const multi_waiter&) = delete;

  // The wait's result, once the thread has returned.
  DWORD join() {
    if (thread_.joinable()) thread_.join();
    return result_.load();
  }
  bool returned() const { return result_.load() != still_waiting; }

 private:
  static constexpr DWORD still_waiting = 0xFFFF'FFFF;
  std::vector<HANDLE> handles_;
  std::atomic<DWORD> result_{still_waiting};
  std::thread thread_;
};

}  // namespace ntsem::test
