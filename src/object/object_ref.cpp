#include "object/object_ref.hpp"

#include "object/wait_pins.hpp"

namespace ntsem::object {

bool add_ref(const object_ref& ref) {
  std::uint64_t l = ref.home->life.load(std::memory_order_relaxed);
  for (;;) {
    if (life::generation(l) != ref.home_generation || life::refs(l) == 0) return false;
    // Relaxed is enough: taking a reference publishes nothing; the object's
    // state is read through the state word, which has its own ordering.
    if (ref.home->life.compare_exchange_weak(l, l + 1, std::memory_order_relaxed)) return true;
  }
}

void drop_ref(const object_ref& ref) {
  // acq_rel: every use of the object through this reference happens-before the
  // release that the last drop performs.  Sequentially consistent, as the
  // last drop's loads of the pin sets after it (object/wait_pins.hpp,
  // INV-PIN); a locked instruction either way.
  std::uint64_t before = ref.home->life.fetch_sub(1, std::memory_order_seq_cst);
  if (life::refs(before) == 1) release_unless_pinned(*ref.home);
}

std::uint32_t start_home(object_home& home, const home_operations& operations) {
  // The home is not reachable through any live handle (it was released, so
  // every old handle fails its generation check): relaxed stores suffice;
  // the handle table publishes the reference with release ordering.
  const std::uint32_t generation = life::generation(home.life.load(std::memory_order_relaxed)) + 1;
  home.operations = &operations;
  home.life.store(life::make(generation, 1), std::memory_order_relaxed);
  return generation;
}

}  // namespace ntsem::object
