#include "support/thread_state.hpp"

#include "thread/thread_registry.hpp"

namespace ntsem::test {

bool in_alertable_wait(DWORD id) {
  const std::shared_ptr<thread::thread_object> t = thread::find_thread(id);
  return t && t->alert_armed.load() != 0;
}

}  // namespace ntsem::test
