#include "object/mutex.hpp"

#include <algorithm>
#include <climits>
#include <vector>

#include "object/arena.hpp"
#include "object/handoff.hpp"
#include "sys/fault_point.hpp"
#include "sys/robust_list.hpp"

namespace ntsem::object {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// The mutexes the calling thread owns, each with a reference of its own.
// At the thread's exit it abandons those it still owns, so that they are
// handed on at once (the kernel's mark, INV-OWNER, is for deaths that run
// no code: SIGKILL, exit_group).
class owned_mutexes {
 public:
  ~owned_mutexes();
  void add(const object_ref& ref) {
    if (add_ref(ref)) refs_.push_back(ref);
  }
  void remove(const object_ref& ref) {
    const auto at = std::find_if(refs_.rbegin(), refs_.rend(), [&](const object_ref& r) {
      return r.slot == ref.slot && r.incarnation == ref.incarnation;
    });
    if (at == refs_.rend()) return;
    const object_ref kept = *at;
    refs_.erase(std::next(at).base());
    drop_ref(kept);
  }

 private:
  std::vector<object_ref> refs_;
};

owned_mutexes& owned() {
  thread_local owned_mutexes mine;
  return mine;
}

// The last hold of the owner `tid` ends, leaving `freed` (0 released, or
// OWNER_DIED abandoned): under the queue lock, the owner word's entry
// leaves the owner's list for its pending slot, the mutex goes to the
// oldest waiter that can take it, and the owner word changes only in the
// store (INV-OWNER).  A death anywhere before the store leaves the word
// holding this thread's id, covered, so the kernel marks it abandoned and
// wakes a sleeper.  The hold is a listed one: a brief hold would need the
// pending slot.  STATUS_MUTANT_NOT_OWNED if `tid` does not own it.
NTSTATUS hand_over_in(queue_hold& hold, const object_ref& ref, std::uint32_t tid,
                      std::uint32_t freed) {
  shm::object_slot& slot = *ref.slot;
  std::uint64_t s = 0;
  if (NTSTATUS status = hold.freeze(ref.incarnation, &s); status != STATUS_SUCCESS)
    return status;
  const std::uint32_t v = shm::state::value(s);
  if (mutex_ops::owner_of(v) != tid) {
    hold.store(s, v);
    return STATUS_MUTANT_NOT_OWNED;
  }
  sys::robust_set_pending(&slot.state_entry);
  sys::robust_remove(slot.state_entry);
  sys::reach(sys::fault_point::mutex_release_unlisted);
  // A wait-all met first is served (wait/serve_all.hpp), the mutex held
  // for it.
  std::uint32_t n = freed;
  const NTSTATUS status = hand_off_serving<mutex_ops>(hold, ref, &s, &n);
  if (status == STATUS_SUCCESS) hold.store(s, n);
  // The word holds another id, or none: nothing of this thread's to cover
  // (the store moved the slot on to a waiter claimed here, INV-DEATHWAKE).
  if (!hold.covers_a_death()) sys::robust_set_pending(nullptr);
  return status;
}

NTSTATUS hand_over(const object_ref& ref, std::uint32_t tid, std::uint32_t freed) {
  queue_hold hold(*ref.slot, ref.home->queue_area, sys::lock_hold::listed);
  return hand_over_in(hold, ref, tid, freed);
}

owned_mutexes::~owned_mutexes() {
  const std::uint32_t tid = sys::current_thread_id();
  while (!refs_.empty()) {
    const object_ref ref = refs_.back();
    refs_.pop_back();
    hand_over(ref, tid, sys::robust_owner_died);
    drop_ref(ref);
  }
}

}  // namespace

void mutex_ops::before_take(const object_ref& ref, std::uint32_t v, std::uint32_t tid) {
  if (owner_of(v) != tid) sys::robust_push(ref.slot->state_entry);
}

void mutex_ops::after_take(const object_ref& ref, std::uint32_t v, std::uint32_t tid) {
  if (owner_of(v) == tid) {
    ref.slot->maximum.fetch_add(1, relaxed);
    return;
  }
  ref.slot->maximum.store(0, relaxed);
  note_owned(ref);
}

void note_owned(const object_ref& ref) { owned().add(ref); }

namespace {

// The owner word held for the offer of entry `index` becomes the calling
// thread's id, listed first (INV-OWNER); then the entry goes.  In that
// order: a death before the entry goes leaves it holding the offer, and
// the mutex either still held for it (a lapsed offer: abandoned by the
// next holder) or the kernel's to mark (abandoned).  Whether it was
// abandoned; the thread owns it once.
bool take_offered(queue_hold& hold, const object_ref& ref, std::uint32_t index,
                  std::uint32_t tid) {
  shm::object_slot& slot = *ref.slot;
  std::uint64_t s = 0;
  if (hold.freeze(ref.incarnation, &s) != STATUS_SUCCESS) return false;
  const std::uint32_t v = shm::state::value(s);
  const bool abandoned = (v & sys::robust_owner_died) != 0;
  if (mutex_ops::is_offered(v)) {
    sys::robust_push(slot.state_entry);
    hold.store(s, tid);
    mutex_ops::after_take(ref, v, tid);
  } else {
    hold.store(s, v);  // not held for it (a bogus entry): left as it is
  }
  hold.queue().remove(index);
  wait_queue::free(hold.area(), index);
  return abandoned && mutex_ops::is_offered(v);
}

}  // namespace

bool take_offered_mutex(queue_hold& hold, const object_ref& ref, std::uint32_t index) {
  return take_offered(hold, ref, index, sys::current_thread_id());
}

void decline_offered_mutex(queue_hold& hold, const object_ref& ref, std::uint32_t index) {
  const std::uint32_t tid = sys::current_thread_id();
  const bool abandoned = take_offered(hold, ref, index, tid);
  if (mutex_ops::owner_of(shm::state::value(ref.slot->state.load(order))) != tid) return;
  hand_over_in(hold, ref, tid, abandoned ? sys::robust_owner_died : 0);
  owned().remove(ref);
}

NTSTATUS create_mutex(bool initial_owner, object_ref* out) {
  const std::uint32_t tid = initial_owner ? sys::current_thread_id() : 0;
  const bool ok = process_arena().create(
      shm::object_type::mutex, tid,
      [&](shm::object_slot& slot) {
        clear_maximum(slot);
        // Listed before the value holds the id (INV-OWNER).
        if (initial_owner) sys::robust_push(slot.state_entry);
      },
      out);
  if (!ok) return STATUS_INSUFFICIENT_RESOURCES;
  if (initial_owner) note_owned(*out);
  return STATUS_SUCCESS;
}

take_result try_take_mutex(const object_ref& ref) {
  shm::object_slot& slot = *ref.slot;
  const std::uint32_t tid = sys::current_thread_id();
  std::uint64_t s = slot.state.load(order);
  for (;;) {
    if (shm::state::incarnation(s) != ref.incarnation) return take_result::dead;
    if (s & shm::state::locked) return take_result::needs_lock;  // INV-LOCK
    const std::uint32_t v = shm::state::value(s);
    const std::uint32_t owner = mutex_ops::owner_of(v);
    if (owner == tid) {
      // The owner's own take: nobody else changes the count.
      if (slot.maximum.load(relaxed) == INT_MAX) return take_result::limit_exceeded;
      mutex_ops::after_take(ref, v, tid);
      return take_result::taken;
    }
    // Held for an offer: the lock's holder sees whether its waiter is alive
    // to take it (a dead one abandoned it, INV-OFFER).
    if (owner != 0)
      return mutex_ops::is_offered(v) || repair_owed(slot, s) ? take_result::needs_lock
                                                              : take_result::not_signaled;
    if (s & shm::state::queued) return take_result::needs_lock;
    // The pending slot covers the word from the swap to the push.
    sys::robust_set_pending(&slot.state_entry);
    const bool won = slot.state.compare_exchange_weak(s, shm::state::with_value(s, tid), order);
    if (won) sys::robust_push(slot.state_entry);
    sys::robust_set_pending(nullptr);
    if (won) {
      mutex_ops::after_take(ref, v, tid);
      return mutex_ops::abandoned(v) ? take_result::taken_abandoned : take_result::taken;
    }
  }
}

NTSTATUS release_mutex(const object_ref& ref, LONG* previous) {
  shm::object_slot& slot = *ref.slot;
  const std::uint32_t tid = sys::current_thread_id();
  std::uint64_t s = slot.state.load(order);
  if (shm::state::incarnation(s) != ref.incarnation) return STATUS_INVALID_HANDLE;
  const std::uint32_t v = shm::state::value(s);
  // Only this thread makes the value its id, and only it takes the id out.
  if (mutex_ops::owner_of(v) != tid) return STATUS_MUTANT_NOT_OWNED;
  const std::int32_t holds = slot.maximum.load(relaxed);
  if (holds > 0) {
    slot.maximum.store(holds - 1, relaxed);
    if (previous) *previous = -holds;
    return STATUS_SUCCESS;
  }
  NTSTATUS status = STATUS_SUCCESS;
  bool released = false;
  if (!(s & (shm::state::queued | shm::state::locked))) {
    // Nobody waits: out of the list (the pending slot covering the word
    // meanwhile), then free, in one swap.
    sys::robust_set_pending(&slot.state_entry);
    sys::robust_remove(slot.state_entry);
    released = slot.state.compare_exchange_strong(s, shm::state::with_value(s, 0), order);
    if (!released) sys::robust_push(slot.state_entry);
    sys::robust_set_pending(nullptr);
  }
  if (!released) status = hand_over(ref, tid, 0);
  if (status != STATUS_SUCCESS) return status;  // *previous untouched, as on Windows
  owned().remove(ref);
  if (previous) *previous = 0;
  return STATUS_SUCCESS;
}

NTSTATUS query_mutex(const object_ref& ref, LONG* current_count, bool* owned_by_caller,
                     bool* abandoned) {
  std::uint32_t v = 0;
  if (NTSTATUS s = read_value(ref, &v); s != STATUS_SUCCESS) return s;
  const std::uint32_t owner = mutex_ops::owner_of(v);
  *owned_by_caller = owner != 0 && owner == sys::current_thread_id();
  *abandoned = mutex_ops::abandoned(v);
  *current_count = owner == 0 ? 1 : -ref.slot->maximum.load(relaxed);
  return STATUS_SUCCESS;
}

}  // namespace ntsem::object
