#include "wait/settle_on.hpp"

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
  return object::visit_type(
      t.type,
      [&](auto ops) { return object::decline_offer<decltype(ops)>(hold, t.object, index); },
      broken());
}

}  // namespace ntsem::wait
