#include "object/object_ref.hpp"

#include "object/arena.hpp"

namespace ntsem::object {

bool add_ref(const object_ref& ref) {
  std::uint64_t l = ref.slot->life.load(std::memory_order_relaxed);
  for (;;) {
    if (shm::life::incarnation(l) != ref.incarnation || shm::life::refs(l) == 0) return false;
    // Relaxed is enough: taking a reference publishes nothing; the object's
    // state is read through the state word, which has its own ordering.
    if (ref.slot->life.compare_exchange_weak(l, l + 1, std::memory_order_relaxed)) return true;
  }
}

void drop_ref(const object_ref& ref) {
  // acq_rel: every use of the object through this reference happens-before the
  // destruction that the last drop performs.
  std::uint64_t before = ref.slot->life.fetch_sub(1, std::memory_order_acq_rel);
  if (shm::life::refs(before) == 1) process_arena().destroy(ref);
}

std::uint32_t ref_count(const object_ref& ref) {
  std::uint64_t l = ref.slot->life.load(std::memory_order_relaxed);
  return shm::life::incarnation(l) == ref.incarnation ? shm::life::refs(l) : 0;
}

}  // namespace ntsem::object
