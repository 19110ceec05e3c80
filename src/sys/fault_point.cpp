#include "sys/fault_point.hpp"

#include <csignal>

namespace ntsem::sys {
namespace {

std::atomic<void (*)()> armed_action{nullptr};

}  // namespace

std::atomic<fault_point> detail::armed_fault_point{fault_point::none};

void detail::act_at_fault_point() {
  if (void (*action)() = armed_action.load()) return action();
  ::raise(SIGKILL);
}

void arm_fault_point(fault_point p, void (*action)()) {
  armed_action.store(action);
  detail::armed_fault_point.store(p);
}

}  // namespace ntsem::sys
