#include "support/deadlock_watchdog.hpp"

#include <cstdio>
#include <cstdlib>

namespace ntsem::test {

deadlock_watchdog::deadlock_watchdog(std::string context, std::chrono::milliseconds guard)
    : context_(std::move(context)), guard_(guard), thread_([this] { watch(); }) {}

deadlock_watchdog::~deadlock_watchdog() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_one();
  thread_.join();
}

void deadlock_watchdog::step(std::string what) {
  {
    std::lock_guard lock(mutex_);
    step_ = std::move(what);
    deadline_ = std::chrono::steady_clock::now() + guard_;
  }
  changed_.notify_one();
}

void deadlock_watchdog::idle() { step({}); }

void deadlock_watchdog::watch() {
  std::unique_lock lock(mutex_);
  while (!quit_) {
    if (step_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const auto deadline = deadline_;
    if (changed_.wait_until(lock, deadline) == std::cv_status::no_timeout ||
        deadline_ != deadline || step_.empty() || quit_)
      continue;
    // The step is stuck in the test process itself: the thread that runs it
    // can neither be woken nor joined, so only ending the process ends the
    // test.  stdout first, where GoogleTest's own lines are.
    std::fflush(stdout);
    std::fprintf(stderr,
                 "\ndeadlock guard: [%s] %s did not complete within %lld ms; ending the test "
                 "process\n",
                 context_.c_str(), step_.c_str(), static_cast<long long>(guard_.count()));
    std::fflush(stderr);
    std::_Exit(EXIT_FAILURE);
  }
}

}  // namespace ntsem::test
