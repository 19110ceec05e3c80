// The per-type operations table.  The wait engine and the handle layer know
// objects only through it, so a new object type adds one traits struct here
// and one file of its own operations; nothing in the waits changes.
//
// Each traits struct gives:
//   type, name          the shared-memory tag and the name tools print
//   nameable            whether its objects may have a name (a named file)
//   signaled(v, tid)    can a wait of thread `tid` be satisfied now, given
//                       the state value
//   after_wait(v, tid)  the state value after one satisfied wait of `tid`
//   returned(v, max)    the state value once a wait's take, offered to a
//                       waiter that declined it, is given back (the inverse
//                       of after_wait; a semaphore's count stays within
//                       `max`; v for a mutex, which is never handed back)
//   owned, abandoned(v), before_take, after_take, taken_by_dead
//                       what an owned type (a mutex) does around a take
//                       (defaults in unowned_ops)
//   mapping, all_access how GENERIC_* rights map to this type's rights
//   state_rights        the rights whose calls change the object's state
#pragma once

#include <cstdint>

#include <ntsem/windows.h>

#include "shm/object_slot.hpp"
#include "sys/robust_list.hpp"

namespace ntsem::object {

struct object_ref;

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

// The defaults for the types that nobody owns: a take is the value change
// and nothing else.
struct unowned_ops {
  static constexpr bool owned = false;
  static constexpr bool abandoned(std::uint32_t) { return false; }
  // Around the store that takes value `v` for thread `tid`.
  static void before_take(const object_ref&, std::uint32_t, std::uint32_t) {}
  static void after_take(const object_ref&, std::uint32_t, std::uint32_t) {}
};

struct semaphore_ops : unowned_ops {
  static constexpr shm::object_type type = shm::object_type::semaphore;
  static constexpr const char* name = "Semaphore";
  static constexpr bool nameable = true;
  static constexpr bool signaled(std::uint32_t count, std::uint32_t = 0) { return count > 0; }
  static constexpr std::uint32_t after_wait(std::uint32_t count, std::uint32_t = 0) {
    return count - 1;
  }
  // The value a repairer stores for a take by a thread that died.
  static constexpr std::uint32_t taken_by_dead(std::uint32_t count) { return count - 1; }
  // A count at its maximum (released up to it while the unit was offered)
  // keeps it: the count never passes the maximum (INV-COUNT).
  static constexpr std::uint32_t returned(std::uint32_t count, std::uint32_t maximum) {
    return count < maximum ? count + 1 : count;
  }
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
struct event_ops : unowned_ops {
  static constexpr shm::object_type type = shm::object_type::event;
  static constexpr const char* name = "Event";
  static constexpr bool nameable = true;
  static constexpr std::uint32_t signaled_bit = 1;
  static constexpr std::uint32_t manual_reset_bit = 2;
  static constexpr std::uint32_t value_of(bool manual_reset, bool signaled) {
    return (manual_reset ? manual_reset_bit : 0) | (signaled ? signaled_bit : 0);
  }
  static constexpr bool signaled(std::uint32_t v, std::uint32_t = 0) {
    return (v & signaled_bit) != 0;
  }
  static constexpr bool manual_reset(std::uint32_t v) { return (v & manual_reset_bit) != 0; }
  static constexpr std::uint32_t after_wait(std::uint32_t v, std::uint32_t = 0) {
    return manual_reset(v) ? v : v & ~signaled_bit;
  }
  static constexpr std::uint32_t taken_by_dead(std::uint32_t v) { return after_wait(v); }
  static constexpr std::uint32_t returned(std::uint32_t v, std::uint32_t = 0) {
    return manual_reset(v) ? v : v | signaled_bit;
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

// A thread's state value: 0 while the thread runs, 1 once it has ended
// (object/thread.hpp).  A wait on it is satisfied once the thread has ended
// and takes nothing.
struct thread_ops : unowned_ops {
  static constexpr shm::object_type type = shm::object_type::thread;
  static constexpr const char* name = "Thread";
  static constexpr bool nameable = false;
  static constexpr std::uint32_t ended = 1;
  static constexpr bool signaled(std::uint32_t v, std::uint32_t = 0) { return v != 0; }
  static constexpr std::uint32_t after_wait(std::uint32_t v, std::uint32_t = 0) { return v; }
  static constexpr std::uint32_t taken_by_dead(std::uint32_t v) { return v; }
  static constexpr std::uint32_t returned(std::uint32_t v, std::uint32_t = 0) { return v; }
  // Windows' mapping for threads (Wine's server/thread.c agrees); 0x4 is
  // the old THREAD_ALERT right.
  static constexpr generic_mapping mapping{
      READ_CONTROL | THREAD_QUERY_INFORMATION | THREAD_GET_CONTEXT,
      READ_CONTROL | THREAD_SET_LIMITED_INFORMATION | THREAD_SET_INFORMATION |
          THREAD_SET_CONTEXT | THREAD_SUSPEND_RESUME | THREAD_TERMINATE | 0x4,
      READ_CONTROL | SYNCHRONIZE | THREAD_RESUME | THREAD_QUERY_LIMITED_INFORMATION,
      THREAD_ALL_ACCESS};
  static constexpr ACCESS_MASK all_access = THREAD_ALL_ACCESS;
  // Nothing changes a thread's state but its end.
  static constexpr ACCESS_MASK state_rights = 0;
};

// A mutex's state value is a robust word (object/mutex.hpp, INV-OWNER):
//   0                   free
//   tid                 owned by thread tid, its entry in tid's robust list
//                       (or pending slot: around a take or a release)
//   OWNER_DIED          free, abandoned: its owner ended while it owned it;
//                       the next take reports it (WAIT_ABANDONED) and clears it
//   offered_owner       held for the waiter whose queue entry holds its offer
//   (| OWNER_DIED)      (INV-OFFER, object/handoff.hpp; abandoned, with the
//                       flag): every owner bit set, which no thread id is
//                       (Linux's stay below 2^22), in no robust list
// The owner takes it again at once (recursion, counted in the slot's
// `maximum`); another thread only when no owner holds it.
struct mutex_ops {
  static constexpr shm::object_type type = shm::object_type::mutex;
  static constexpr const char* name = "Mutant";
  static constexpr bool nameable = true;
  static constexpr bool owned = true;
  static constexpr std::uint32_t owner_of(std::uint32_t v) { return v & sys::robust_tid_mask; }
  static constexpr bool abandoned(std::uint32_t v) {
    return owner_of(v) == 0 && (v & sys::robust_owner_died) != 0;
  }
  static constexpr bool signaled(std::uint32_t v, std::uint32_t tid) {
    return owner_of(v) == 0 || owner_of(v) == tid;
  }
  static constexpr std::uint32_t after_wait(std::uint32_t, std::uint32_t tid) { return tid; }
  // A take by a thread that died before it could list the owner word is
  // an abandonment.
  static constexpr std::uint32_t taken_by_dead(std::uint32_t) { return sys::robust_owner_died; }
  // Offered to a waiter that may not be claimed (another user's): held for
  // it, abandoned still if it was (object/mutex.hpp, take_offered_mutex).
  static constexpr std::uint32_t offered_owner = sys::robust_tid_mask;
  static constexpr bool is_offered(std::uint32_t v) { return owner_of(v) == offered_owner; }
  static constexpr std::uint32_t offered(std::uint32_t v) {
    return offered_owner | (v & sys::robust_owner_died);
  }
  // Never handed back: a waiter that declines it takes it and hands it
  // on as a release does (decline_offered_mutex).
  static constexpr std::uint32_t returned(std::uint32_t v, std::uint32_t = 0) { return v; }
  // Lists the owner word in the taking thread's robust list before it holds
  // the thread's id (a first take), so that the kernel marks it if the
  // thread dies from then on.
  static void before_take(const object_ref& ref, std::uint32_t v, std::uint32_t tid);
  // Counts a recursive take; a first one starts the count at 0 and keeps a
  // reference for the owner (object/mutex.hpp).
  static void after_take(const object_ref& ref, std::uint32_t v, std::uint32_t tid);
  // Windows' mapping for mutants (Wine's server/mutex.c agrees).
  static constexpr generic_mapping mapping{READ_CONTROL | MUTANT_QUERY_STATE, READ_CONTROL,
                                           READ_CONTROL | SYNCHRONIZE, MUTANT_ALL_ACCESS};
  static constexpr ACCESS_MASK all_access = MUTANT_ALL_ACCESS;
  // A wait takes ownership; ReleaseMutex needs no right of its own.
  static constexpr ACCESS_MASK state_rights = SYNCHRONIZE;
};

// Calls f(Ops{}) with the traits of `type`; returns `otherwise` for a type
// that has none (a free or foreign slot).
template <class F, class R>
R visit_type(shm::object_type type, F&& f, R otherwise) {
  switch (type) {
    case shm::object_type::semaphore: return f(semaphore_ops{});
    case shm::object_type::event: return f(event_ops{});
    case shm::object_type::mutex: return f(mutex_ops{});
    case shm::object_type::thread: return f(thread_ops{});
    case shm::object_type::none: break;
  }
  return otherwise;
}

const char* type_name(shm::object_type type);

// Whether a type byte read from a named object's file names a type this
// build knows and that may have a name.
inline bool is_named_type(std::uint8_t type) {
  return visit_type(static_cast<shm::object_type>(type),
                    [](auto ops) { return decltype(ops)::nameable; }, false);
}

}  // namespace ntsem::object
