#include "thread/apc_queue.hpp"

namespace ntsem::thread {

bool apc_queue::push(const user_apc& apc) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  apcs_.push_back(apc);
  size_.store(apcs_.size(), std::memory_order_seq_cst);  // INV-ALERT
  return true;
}

std::optional<user_apc> apc_queue::pop() {
  std::lock_guard lock(mutex_);
  if (apcs_.empty()) return std::nullopt;
  const user_apc apc = apcs_.front();
  apcs_.pop_front();
  size_.store(apcs_.size(), std::memory_order_seq_cst);
  return apc;
}

void apc_queue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  apcs_.clear();
  size_.store(0, std::memory_order_seq_cst);
}

}  // namespace ntsem::thread
