#include "thread_probe.hpp"

#include <thread>

namespace ntsem::test {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds guard) {
  const auto until = std::chrono::steady_clock::now() + guard;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

void let_others_run(std::chrono::milliseconds how_long) { std::this_thread::sleep_for(how_long); }

running_thread::running_thread(const std::function<std::uint32_t()>& own_id) {
  thread_ = std::thread([this, own_id] {
    id_ = own_id();
    started_ = true;
    eventually([this] { return end_.load(); });
  });
  eventually([this] { return started_.load(); });
}

void running_thread::end() {
  end_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace ntsem::test
