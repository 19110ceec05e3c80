#include "wait/settle_on.hpp"

#include "object/mutex.hpp"

namespace ntsem::wait {
namespace {

// A change that changes nothing.
NTSTATUS unchanged(std::uint32_t, std::uint32_t*) { return STATUS_SUCCESS; }

object::settle_result broken() {
  object::settle_result r;
  r.status = STATUS_INVALID_HANDLE;
  return r;
}

}  // namespace

object::settle_result settle_on(const target& t, object::queue_hold& hold,
                                const object::own_entry* mine) {
  return object::visit_type(
      t.type,
      [&](auto ops) { return object::settle<decltype(ops)>(hold, t.object, unchanged, mine); },
      broken());
}

object::settle_result decline_on(const target& t, object::queue_hold& hold, std::uint32_t index) {
  if (t.type == shm::object_type::mutex) {
    // Taken, then handed on as a release does (INV-OFFER, object/mutex.hpp).
    object::decline_offered_mutex(hold, t.object, index);
    return {};
  }
  return object::visit_type(
      t.type,
      [&](auto ops) { return object::decline_offer<decltype(ops)>(hold, t.object, index); },
      broken());
}

bool take_offer_on(const target& t, object::queue_hold& hold, std::uint32_t index) {
  if (t.type == shm::object_type::mutex) return object::take_offered_mutex(hold, t.object, index);
  // The take came out of the value when it was offered.
  hold.queue().remove(index);
  object::wait_queue::free(hold.area(), index);
  return false;
}

}  // namespace ntsem::wait
