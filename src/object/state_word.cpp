#include "object/state_word.hpp"

namespace ntsem::object {

void wake_multi_waiters(shm::object_slot& slot) {
  slot.wake_seq.fetch_add(1, order);
  sys::futex_wake(shm::wake_seq_word(slot), sys::wake_all);
}

std::uint64_t wait_while_locked(shm::object_slot& slot, std::uint64_t s) {
  while (s & shm::state::locked) {
    // INV-LOCK-WAKE: sample lock_seq first, then make sure the current state
    // carries LOCK_WAITERS; an unlock after that sample bumps lock_seq.
    const std::uint32_t seq = slot.lock_seq.load(order);
    s = slot.state.load(order);
    if (!(s & shm::state::locked)) break;
    if (!(s & shm::state::lock_waiters) &&
        !slot.state.compare_exchange_strong(s, s | shm::state::lock_waiters, order))
      continue;
    sys::futex_wait(shm::lock_seq_word(slot), seq, sys::deadline::infinite());
    s = slot.state.load(order);
  }
  return s;
}

void wake_lock_waiters(shm::object_slot& slot) {
  slot.lock_seq.fetch_add(1, order);
  sys::futex_wake(shm::lock_seq_word(slot), sys::wake_all);
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
