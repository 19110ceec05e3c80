// Helpers for tests with threads: waiting (with a generous deadlock guard) for
// a condition that other threads will make true.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

namespace ntsem::test {

// Deadlock guard for tests: far longer than any correct run needs, so that a
// slow or loaded machine never fails a correct test.
inline constexpr std::chrono::seconds deadlock_guard{60};
// The same, as a wait timeout in milliseconds.
inline constexpr std::uint32_t deadlock_guard_ms =
    static_cast<std::uint32_t>(std::chrono::milliseconds(deadlock_guard).count());

// Polls `condition` until it holds; false if the guard expired first.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds guard = deadlock_guard);

// Lets other threads run for a while: for checks that something does NOT
// happen (a blocked thread stays blocked).  Never used as synchronization.
void let_others_run(std::chrono::milliseconds how_long = std::chrono::milliseconds(100));

// A thread that runs until told to end (or the deadlock guard expires).
// It publishes the value `own_id` gives when run in it (its thread id, the
// caller's way) before the constructor returns.
class running_thread {
 public:
  explicit running_thread(const std::function<std::uint32_t()>& own_id);
  ~running_thread() { end(); }
  running_thread(const running_thread&) = delete;
  running_thread& operator=(const running_thread&) = delete;
  std::uint32_t id() const { return id_; }
  // Tells the thread to end and joins it.
  void end();

 private:
  std::atomic<std::uint32_t> id_{0};
  std::atomic<bool> started_{false};
  std::atomic<bool> end_{false};
  std::thread thread_;
};

}  // namespace ntsem::test
