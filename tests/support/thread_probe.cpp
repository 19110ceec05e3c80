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

}  // namespace ntsem::test
