// The per-type operations table.  The wait engine and the handle layer know
// objects only through it, so a new object type adds one traits struct here
// and one file of its own operations; nothing in the waits changes.
//
// Each traits struct gives:
//   type, name          the shared-memory tag and the name tools print
//   signaled(v)         can a wait be satisfied now, given the state value
//   after_wait(v)       the state value after one satisfied wait
//   mapping, all_access how GENERIC_* rights map to this type's rights
//   state_rights        the rights whose calls change the object's state
#pragma once

#include <cstdint>

#include <ntsem/windows.h>

#include "shm/object_slot.hpp"

namespace ntsem::object {

struct generic_mapping {
  ACCESS_MASK read, write, execute, all;
};

// Maps GENERIC_* bits (and MAXIMUM_ALLOWED) to specific rights; other bits
// pass through unchanged.
constexpr ACCESS_MASK map_generic_access(ACCESS_MASK access, const generic_mapping& m) {
  ACCESS_MASK out = access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL |
                               MAXIMUM_ALLOWED);
  if (access & GENERIC_READ) out |= m.read;
  if (access & GENERIC_WRITE) out |= m.write;
  if (access & GENERIC_EXECUTE) out |= m.execute;
  if (access & (GENERIC_ALL | MAXIMUM_ALLOWED)) out |= m.all;
  return out;
}

struct semaphore_ops {
  static constexpr shm::object_type type = shm::object_type::semaphore;
  static constexpr const char* name = "Semaphore";
  static constexpr bool signaled(std::uint32_t count) { return count > 0; }
  static constexpr std::uint32_t after_wait(std::uint32_t count) { return count - 1; }
  // Windows' mapping for semaphores.
  static constexpr generic_mapping mapping{READ_CONTROL | SEMAPHORE_QUERY_STATE,
                                           READ_CONTROL | SEMAPHORE_MODIFY_STATE,
                                           READ_CONTROL | SYNCHRONIZE, SEMAPHORE_ALL_ACCESS};
  static constexpr ACCESS_MASK all_access = SEMAPHORE_ALL_ACCESS;
  // The rights that change the object's state (a wait takes a unit).
  static constexpr ACCESS_MASK state_rights = SYNCHRONIZE | SEMAPHORE_MODIFY_STATE;
};

// An event's state value (INV-EVENT, shm/object_slot.hpp) holds two bits:
//   bit 0  signaled
//   bit 1  manual-reset, fixed at creation
// Keeping the reset mode in the value makes signaled() and after_wait() pure
// functions of it, as for a semaphore's count: the wait engine needs no other
// field, and a wait-all that takes an event changes only the state word.
//   value  meaning                   after a satisfied wait
//   0      auto-reset, not signaled  (not satisfiable)
//   1      auto-reset, signaled      0: one waiter takes the signal
//   2      manual-reset, not signaled (not satisfiable)
//   3      manual-reset, signaled    3: stays signaled for every waiter
struct event_ops {
  static constexpr shm::object_type type = shm::object_type::event;
  static constexpr const char* name = "Event";
  static constexpr std::uint32_t signaled_bit = 1;
  static constexpr std::uint32_t manual_reset_bit = 2;
  static constexpr std::uint32_t value_of(bool manual_reset, bool signaled) {
    return (manual_reset ? manual_reset_bit : 0) | (signaled ? signaled_bit : 0);
  }
  static constexpr bool signaled(std::uint32_t v) { return (v & signaled_bit) != 0; }
  static constexpr bool manual_reset(std::uint32_t v) { return (v & manual_reset_bit) != 0; }
  static constexpr std::uint32_t after_wait(std::uint32_t v) {
    return manual_reset(v) ? v : v & ~signaled_bit;
  }
  // Windows' mapping for events (Wine's server/event.c agrees).
  static constexpr generic_mapping mapping{READ_CONTROL | EVENT_QUERY_STATE,
                                           READ_CONTROL | EVENT_MODIFY_STATE,
                                           READ_CONTROL | SYNCHRONIZE, EVENT_ALL_ACCESS};
  static constexpr ACCESS_MASK all_access = EVENT_ALL_ACCESS;
  // The rights that change the object's state (a wait resets an auto-reset
  // event; SetEvent and ResetEvent need EVENT_MODIFY_STATE).
  static constexpr ACCESS_MASK state_rights = SYNCHRONIZE | EVENT_MODIFY_STATE;
};

// Calls f(Ops{}) with the traits of `type`; returns `otherwise` for a type
// that has none (a free or foreign slot).
template <class F, class R>
R visit_type(shm::object_type type, F&& f, R otherwise) {
  switch (type) {
    case shm::object_type::semaphore: return f(semaphore_ops{});
    case shm::object_type::event: return f(event_ops{});
    case shm::object_type::none: break;
  }
  return otherwise;
}

const char* type_name(shm::object_type type);

// Whether a type byte read from shared memory names a type this build knows.
inline bool is_known_type(std::uint8_t type) {
  return visit_type(static_cast<shm::object_type>(type), [](auto) { return true; }, false);
}

}  // namespace ntsem::object
