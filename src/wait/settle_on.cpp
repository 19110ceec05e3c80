#include "wait/settle_on.hpp"

namespace ntsem::wait {
namespace {

// A change that changes nothing.
NTSTATUS unchanged(std::uint32_t, std::uint32_t*) { return STATUS_SUCCESS; }

}  // namespace

object::settle_result settle_on(const target& t, object::queue_hold& hold,
                                const object::own_entry* mine) {
  object::settle_result broken;
  broken.status = STATUS_INVALID_HANDLE;
  return object::visit_type(
      t.type,
      [&](auto ops) { return object::settle<decltype(ops)>(hold, t.object, unchanged, mine); },
      broken);
}

}  // namespace ntsem::wait
