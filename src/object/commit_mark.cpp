#include "object/commit_mark.hpp"

#include "object/mutex.hpp"

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

// Whether the waiter that commit entry `e` names was served (its claim word
// satisfied, not told, in the entry's round): the commit was a release's
// for it, not its own.  Read without mapping its record (any user may); a
// record that cannot be read counts as not (its process is gone).
bool served_waiter(const shm::queue_entry& e) {
  namespace claim = shm::claim;
  std::uint64_t word = 0;
  if (names::read_claim_word({e.pid.load(relaxed), e.nonce.load(relaxed)}, e.block.load(relaxed),
                             &word) != STATUS_SUCCESS)
    return false;
  return claim::phase_of(word) == claim::phase::satisfied && !claim::is_told(word) &&
         claim::serial(word) == (shm::entry_serial(e) & claim::serial_mask);
}

// The value of a sealed mutex held for an offer; LOCKED cleared.  A value
// no longer sealed was stored so already.
void seal_to_offer(shm::object_slot& slot) {
  std::uint64_t s = slot.state.load(order);
  while ((s & shm::state::locked) &&
         !slot.state.compare_exchange_weak(
             s, shm::state::with_value(s, mutex_ops::offered(shm::state::value(s))) &
                    ~shm::state::locked,
             order)) {
  }
}

// The commit entry `e`, its mutex held for it, becomes the offer's.  In
// this order: a repairer that meets a commit entry finishes the offer, and
// one that meets a wait_all entry finds it whole.
void entry_to_offer(shm::queue_entry& e) {
  shm::set_state(e, shm::entry_state::offered);
  e.place.store(shm::make_place(shm::place_index(e.place.load(relaxed)), shm::entry_kind::wait_all),
                relaxed);
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

void offer_to_served(queue_hold& hold, const object_ref& ref, std::uint32_t entry) {
  // The steps a repairer finishes, in the same order (INV-SERVED-MUTEX);
  // sealed and frozen, the word then changes no more.
  seal_to_offer(*ref.slot);
  entry_to_offer(hold.area().entries[entry]);
  const std::uint64_t held = ref.slot->state.load(order);
  hold.store(held, shm::state::value(held));
}

void repair_commit(queue_hold& hold, shm::object_slot& slot) {
  wait_queue& q = hold.queue();
  const bool mutex = slot.type == static_cast<std::uint8_t>(shm::object_type::mutex);
  std::optional<std::uint32_t> i = q.first();
  for (std::uint32_t steps = 0; i && steps < hold.area().count; ++steps) {
    const std::optional<std::uint32_t> next = q.after(*i);
    shm::queue_entry& e = hold.area().entries[*i];
    if (shm::entry_kind_of(e) == shm::entry_kind::commit) {
      const bool passed = passed_commit_point(e);
      if (mutex && passed && served_waiter(e)) {
        // INV-SERVED-MUTEX: it stays, as the offer.
        seal_to_offer(slot);
        entry_to_offer(e);
      } else {
        unseal(slot, passed);
        q.remove(*i);
        wait_queue::free(hold.area(), *i);
      }
    }
    i = next;
  }
  // A seal with no entry cannot come from a committer (the entry is linked
  // first); whatever made it, nothing was taken.
  unseal(slot, false);
}

}  // namespace ntsem::object
