#include "object/commit_mark.hpp"

namespace ntsem::object {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// Whether the dead committer of entry `e` had passed its commit point.  A
// record that is gone or cannot be read counts as not: `ntsem gc` never
// removes a record that holds an intent, so a missing record never held one.
bool passed_commit_point(const shm::queue_entry& e) {
  const names::record_name name{e.pid.load(relaxed), e.nonce.load(relaxed)};
  std::uint64_t intent = shm::intent::none;
  if (names::read_commit_intent(name, e.block.load(relaxed), &intent) != STATUS_SUCCESS)
    return false;
  return intent == shm::intent::committed(shm::entry_serial(e));
}

// Clears LOCKED, taking one wait's worth first when `take`.  The value is
// frozen (the repairer holds the lock, QUEUED is set with LOCKED).
void unseal(shm::object_slot& slot, bool take) {
  std::uint64_t s = slot.state.load(order);
  for (;;) {
    if (!(s & shm::state::locked)) return;
    std::uint32_t v = shm::state::value(s);
    // The taker is dead: a mutex it was to own is abandoned.
    if (take)
      v = visit_type(static_cast<shm::object_type>(slot.type),
                     [&](auto ops) { return decltype(ops)::taken_by_dead(v); }, v);
    if (slot.state.compare_exchange_weak(s, shm::state::with_value(s, v) & ~shm::state::locked,
                                         order))
      return;
  }
}

}  // namespace

void mark(queue_hold& hold, std::uint32_t entry, const waiter_stamp& who, std::uint64_t* s,
          std::uint32_t v) {
  stamp_entry(hold.area().entries[entry], who, shm::make_place(0, shm::entry_kind::commit));
  // The entry first: a repairer that finds LOCKED also finds whose it is.
  hold.queue().append(entry);
  hold.seal(s, v);
}

void repair_commit(queue_hold& hold, shm::object_slot& slot) {
  wait_queue& q = hold.queue();
  std::optional<std::uint32_t> i = q.first();
  for (std::uint32_t steps = 0; i && steps < hold.area().count; ++steps) {
    const std::optional<std::uint32_t> next = q.after(*i);
    const shm::queue_entry& e = hold.area().entries[*i];
    if (shm::entry_kind_of(e) == shm::entry_kind::commit) {
      unseal(slot, passed_commit_point(e));
      q.remove(*i);
      wait_queue::free(hold.area(), *i);
    }
    i = next;
  }
  // A seal with no entry cannot come from a committer (the entry is linked
  // first); whatever made it, nothing was taken.
  unseal(slot, false);
}

}  // namespace ntsem::object
