#include "sys/fault_point.hpp"

#include <csignal>

namespace ntsem::sys {

std::atomic<fault_point> detail::armed_fault_point{fault_point::none};

void detail::die_at_fault_point() {
  ::raise(SIGKILL);
  __builtin_unreachable();
}

void arm_fault_point(fault_point p) { detail::armed_fault_point.store(p); }

}  // namespace ntsem::sys
