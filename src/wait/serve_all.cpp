#include "wait/serve_all.hpp"

#include <array>
#include <atomic>

#include "object/handoff.hpp"
#include "sys/fault_point.hpp"
#include "wait/held_objects.hpp"

namespace ntsem::wait {
namespace {

// The wait-all of each wait block of this process's record, if its thread
// is in one.  Written by that thread only.
std::array<std::atomic<const published_wait_all*>, names::wait_blocks_per_record> published{};

}  // namespace

published_wait_all::published_wait_all(std::span<const target> targets,
                                       const names::waiter_identity& me)
    : targets_(targets), me_(me) {
  published[me_.block_index].store(this, std::memory_order_release);
}

published_wait_all::~published_wait_all() {
  published[me_.block_index].store(nullptr, std::memory_order_release);
}

bool served_whole(std::uint64_t c, std::uint32_t serial) {
  namespace claim = shm::claim;
  return claim::phase_of(c) == claim::phase::satisfied && !claim::is_told(c) &&
         claim::serial(c) == (serial & claim::serial_mask);
}

served serve_wait_all(object::queue_hold& hold, const object::object_ref& ref,
                      std::uint32_t index, std::uint64_t s, std::uint32_t v) {
  const shm::queue_entry& e = hold.area().entries[index];
  constexpr auto relaxed = std::memory_order_relaxed;
  const std::uint32_t block = e.block.load(relaxed);
  if (block >= published.size()) return served::not_now;
  const published_wait_all* wait = published[block].load(std::memory_order_acquire);
  if (!wait) return served::not_now;
  const names::waiter_identity& me = wait->waiter();
  // The entry is this process's (may_serve) and names block `block`, so it
  // is `me`'s but for the round.
  const object::waiter_stamp who{me.record, me.block_index, shm::entry_serial(e),
                                 me.thread_id};
  // INV-SERVE: the entry's thread, still waiting in the entry's round, so
  // `wait` is that thread's current one.
  if (shm::entry_thread(e) != me.thread_id ||
      !shm::claim::still_waiting(me.block->claim.load(object::order), who.serial, who.thread_id))
    return served::not_now;
  const std::span<const target> targets = wait->targets();
  const std::size_t place = shm::place_index(e.place.load(relaxed));
  if (place >= targets.size() || targets[place].object.home->location != ref.home->location)
    return served::not_now;
  // An owned object is handed with its owner word in its owner's robust
  // list (INV-OWNER), which no other thread may write.
  for (const target& t : targets)
    if (t.type == shm::object_type::mutex) return served::not_now;
  // A look without the locks first: an object whose value is not signaled
  // now cannot be taken (a sealed value is the one before the seal's takes,
  // never less).  The wait-all is then told, as when the locks are held, and
  // attempts again under all of them, so a change after this look is seen.
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (i == place) continue;
    const std::uint32_t value = shm::state::value(targets[i].object.slot->state.load(object::order));
    if (!object::visit_type(
            targets[i].type, [&](auto ops) { return decltype(ops)::signaled(value, 0); }, false))
      return served::cannot_complete;
  }
  hold.become_listed();
  // The other objects' locks use the robust slot that covers the waiters
  // claimed so far (INV-DEATHWAKE): they are woken first.
  hold.wake_claimed();
  held_objects held(targets, place, hold, s, v);
  if (held.status() != STATUS_SUCCESS) return served::not_now;
  if (held.blocker()) return served::cannot_complete;
  if (!held.reserve_marks()) return served::not_now;
  // INV-CLAIM: the one move out of waiting; the wait may have ended since
  // (timed out, alerted), and then nothing is taken.
  if (hold.claim(index, object::queue_hold::giving::all) != object::claim_outcome::claimed)
    return served::not_now;
  sys::reach(sys::fault_point::wait_all_served_unmarked);
  commit_reserved(held, *me.block, who);
  return served::whole;
}

}  // namespace ntsem::wait
