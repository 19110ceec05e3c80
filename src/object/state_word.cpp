#include "object/state_word.hpp"

namespace ntsem::object {

std::uint64_t wait_while_locked(shm::object_slot& slot, std::uint64_t s) {
  while (s & shm::state::locked) {
    // INV-LOCK-WAKE: announce the sleep in the word itself; if the word
    // changed first, look again.
    if (!(s & shm::state::lock_waiters) &&
        !slot.state.compare_exchange_strong(s, s | shm::state::lock_waiters, order))
      continue;
    sys::futex_wait(shm::state_futex_word(slot), static_cast<std::uint32_t>(s),
                    sys::deadline::infinite());
    s = slot.state.load(order);
  }
  return s;
}

bool lock_object(const object_ref& ref) {
  std::uint64_t s = ref.slot->state.load(order);
  for (;;) {
    if (shm::state::incarnation(s) != ref.incarnation) return false;
    if (s & shm::state::locked) {
      s = wait_while_locked(*ref.slot, s);
      continue;
    }
    if (ref.slot->state.compare_exchange_weak(s, s | shm::state::locked, order)) return true;
  }
}

}  // namespace ntsem::object
