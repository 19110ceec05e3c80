#include "object/state_word.hpp"

#include "object/handoff.hpp"

namespace ntsem::object {

std::uint64_t wait_out_commit(const object_ref& ref) {
  { queue_hold hold(*ref.slot, ref.home->queue_area); }
  return ref.slot->state.load(order);
}

}  // namespace ntsem::object
