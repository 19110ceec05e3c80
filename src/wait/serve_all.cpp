#include "wait/serve_all.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>

#include "namespace/held_elsewhere.hpp"
#include "namespace/named_object.hpp"
#include "namespace/record_map.hpp"
#include "object/handoff.hpp"
#include "sys/fault_point.hpp"
#include "sys/robust_list.hpp"
#include "wait/held_objects.hpp"
#include "wait/settle_on.hpp"

namespace ntsem::wait {
namespace {

namespace claim = shm::claim;
constexpr auto relaxed = std::memory_order_relaxed;

// The wait-all of each wait block of this process's record, if its thread
// is in one.  Written by that thread only.
std::array<std::atomic<const published_wait_all*>, names::wait_blocks_per_record> published{};

// The wait a release may serve: its objects (each held by a reference of
// this object's while it lives), its thread's wait block, and who it is.
class reached_wait {
 public:
  reached_wait() = default;
  ~reached_wait() {
    for (std::size_t i = 0; i < borrowed_; ++i) object::drop_ref(targets_[i].object);
  }
  reached_wait(const reached_wait&) = delete;
  reached_wait& operator=(const reached_wait&) = delete;

  // Through the wait's own process's publication (`wait`): its targets are
  // copied, each with a reference of its own, as the waiter may return as
  // soon as its claim word says served.  False if one has died.
  bool reach_own(const published_wait_all& wait, const object::waiter_stamp& who) {
    const std::span<const target> own = wait.targets();
    if (own.size() > targets_.size()) return false;
    for (; borrowed_ < own.size(); ++borrowed_) {
      if (!object::add_ref(own[borrowed_].object)) return false;
      targets_[borrowed_] = own[borrowed_];
    }
    block_ = wait.waiter().block;
    who_ = who;
    return true;
  }

  // Through the published targets `p` in the waiter's record `record`: each
  // location must be an object this process holds, or one it opens by name
  // through the waiter's descriptor (namespace/held_elsewhere.hpp), and the
  // locations must be distinct (they are untrusted).  False if they are not.
  bool reach_published(names::record_ref record, shm::wait_block* block,
                       const shm::published_targets& p, const object::waiter_stamp& who) {
    const std::uint32_t count = p.count.load(std::memory_order_acquire);
    if (count == 0 || count > targets_.size()) return false;
    std::array<object::object_location, shm::published_targets_max> where;
    std::array<std::int64_t, shm::published_targets_max> descriptor;
    for (std::uint32_t i = 0; i < count; ++i) {
      where[i] = {p.at[i].device.load(relaxed), p.at[i].inode.load(relaxed),
                  p.at[i].offset.load(relaxed)};
      descriptor[i] = p.at[i].descriptor.load(relaxed);
    }
    std::array<object::object_location, shm::published_targets_max> sorted = where;
    std::sort(sorted.begin(), sorted.begin() + count);
    if (std::adjacent_find(sorted.begin(), sorted.begin() + count) != sorted.begin() + count)
      return false;
    for (; borrowed_ < count; ++borrowed_)
      if (!names::reference_held_by(who.record.pid, descriptor[borrowed_], where[borrowed_],
                                    &targets_[borrowed_].object, &targets_[borrowed_].type))
        return false;
    record_ = std::move(record);
    block_ = block;
    who_ = who;
    return true;
  }

  std::span<const target> targets() const { return {targets_.data(), borrowed_}; }
  shm::wait_block& block() const { return *block_; }
  const object::waiter_stamp& who() const { return who_; }

 private:
  std::array<target, shm::published_targets_max> targets_{};
  std::size_t borrowed_ = 0;  // targets_[0, borrowed_) hold a reference
  names::record_ref record_;  // keeps block_ mapped
  shm::wait_block* block_ = nullptr;
  object::waiter_stamp who_{};
};

// Finds the wait of wait_all entry `e`: false if this process cannot reach
// it (see serve_all.hpp) or it is not waiting in the entry's round.
bool reach(const shm::queue_entry& e, reached_wait* wait) {
  const names::record_name record{e.pid.load(relaxed), e.nonce.load(relaxed)};
  const std::uint32_t block = e.block.load(relaxed);
  const object::waiter_stamp who{record, block, shm::entry_serial(e), shm::entry_thread(e)};
  shm::wait_block* b = nullptr;
  if (record == names::this_process_record_name()) {
    if (block >= published.size()) return false;
    const published_wait_all* own = published[block].load(std::memory_order_acquire);
    if (!own) return false;
    // INV-SERVE: the entry's thread, still waiting in the entry's round, so
    // `own` is that thread's current one.
    if (own->waiter().thread_id != who.thread_id) return false;
    b = own->waiter().block;
    if (!wait->reach_own(*own, who)) return false;
  } else {
    names::record_ref mapped;
    if (names::map_record(record, &mapped) != STATUS_SUCCESS) return false;
    b = mapped->block(block);
    const shm::published_targets* p = mapped->targets(block);
    if (!b || !p || !claim::still_waiting(b->claim.load(object::order), who.serial, who.thread_id))
      return false;
    // INV-SERVE: still waiting in the entry's round, so what it published
    // is this wait's.
    if (!wait->reach_published(std::move(mapped), b, *p, who)) return false;
  }
  return claim::still_waiting(b->claim.load(object::order), who.serial, who.thread_id);
}

// A mutex's release holds its owner word out of the owner's robust list,
// covered by the pending slot alone (object/mutex.cpp, INV-OWNER); the other
// objects' locks need that slot.  So while a release serves a wait-all,
// the word is listed again: it holds this thread's id until the commit's
// seal stores the value released (the kernel then marks it for a death
// before that, an abandonment, as the slot did), and no id after (a death
// after that leaves it to the commit's repair, INV-ALL).  After the
// serve, with the locks of the others let go, it goes back out of the
// list, covered by the slot again, as the release left it: its hold lasts
// until the store, and nobody else may list it before.
class owner_word_relisted {
 public:
  explicit owner_word_relisted(shm::object_slot* mutex) : mutex_(mutex) {
    if (!mutex_) return;
    sys::robust_push(mutex_->state_entry);
    sys::robust_set_pending(nullptr);
  }
  ~owner_word_relisted() {
    if (!mutex_) return;
    sys::robust_set_pending(&mutex_->state_entry);
    sys::robust_remove(mutex_->state_entry);
  }
  owner_word_relisted(const owner_word_relisted&) = delete;
  owner_word_relisted& operator=(const owner_word_relisted&) = delete;

 private:
  shm::object_slot* mutex_;
};

// Whether the objects of `targets` other than `place` may all be signaled
// (a look without the locks: an object whose value is not signaled now
// cannot be taken, a sealed value being the one before the seal's takes,
// never less).
bool others_signaled(std::span<const target> targets, std::size_t place) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (i == place) continue;
    const std::uint32_t value =
        shm::state::value(targets[i].object.slot->state.load(object::order));
    if (!object::visit_type(
            targets[i].type, [&](auto ops) { return decltype(ops)::signaled(value, 0); }, false))
      return false;
  }
  return true;
}

// Takes each mutex of the wait `who` that its server held for it
// (INV-SERVED-MUTEX), as a waiter takes an offer: true if one was
// abandoned (a wait-all reports that without an index).
bool take_served_mutexes(std::span<const target> targets, const object::waiter_stamp& who) {
  bool abandoned = false;
  for (const target& t : targets) {
    if (t.type != shm::object_type::mutex) continue;
    object::queue_hold hold(*t.object.slot, t.object.home->queue_area);
    if (const std::optional<std::uint32_t> offer = hold.first_offer(&who)) abandoned = take_offer_on(t, hold, *offer) || abandoned;
    settle_on(t, hold, nullptr);
  }
  return abandoned;
}

}  // namespace

published_wait_all::published_wait_all(std::span<const target> targets,
                                       const names::waiter_identity& me)
    : targets_(targets), me_(me) {
  shm::published_targets& p = *me_.targets;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const object::object_location& l = targets[i].object.home->location;
    p.at[i].device.store(l.device, relaxed);
    p.at[i].inode.store(l.inode, relaxed);
    p.at[i].offset.store(l.offset, relaxed);
    p.at[i].descriptor.store(names::descriptor_of(*targets[i].object.home), relaxed);
  }
  p.count.store(static_cast<std::uint32_t>(targets.size()), std::memory_order_release);
  published[me_.block_index].store(this, std::memory_order_release);
}

published_wait_all::~published_wait_all() {
  published[me_.block_index].store(nullptr, std::memory_order_release);
  me_.targets->count.store(0, std::memory_order_release);
}

std::optional<NTSTATUS> was_served(std::uint64_t c, std::uint32_t serial,
                                   std::span<const target> targets, std::size_t blocker,
                                   const names::waiter_identity& me) {
  if (claim::is_told(c)) return std::nullopt;
  const std::uint32_t place = claim::index(c);
  const std::uint64_t committed = shm::intent::committed(serial);
  const auto hold_once = [](const target& t) {
    object::queue_hold hold(*t.object.slot, t.object.home->queue_area);
  };
  if (c == claim::serving(serial, place)) {
    // The server's hold of the blocker lasts until the word says served.
    hold_once(targets[blocker]);
    if (me.block->claim.load(object::order) == claim::serving(serial, place)) {
      // The server died.  Past its commit point every object is to be
      // taken: each one's next holder rolls it forward (INV-ALL; a mutex
      // is held for this wait, INV-SERVED-MUTEX), this thread first, so
      // that the intent may go.
      if (me.block->intent.load(object::order) != committed) return std::nullopt;
      for (const target& t : targets) hold_once(t);
    }
  }
  std::uint64_t intent = committed;
  me.block->intent.compare_exchange_strong(intent, shm::intent::none, object::order);
  const object::waiter_stamp who{me.record, me.block_index, serial, me.thread_id};
  sys::reach(sys::fault_point::wait_all_served_untaken);
  return take_served_mutexes(targets, who) ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
}

served serve_wait_all(object::queue_hold& hold, const object::object_ref& ref,
                      std::uint32_t index, std::uint64_t s, std::uint32_t v,
                      bool released_owner) {
  const shm::queue_entry& e = hold.area().entries[index];
  reached_wait wait;
  if (!reach(e, &wait)) return served::not_now;
  const std::span<const target> targets = wait.targets();
  const std::size_t place = shm::place_index(e.place.load(relaxed));
  if (place >= targets.size() || targets[place].object.home->location != ref.home->location)
    return served::not_now;
  // The wait-all is told when one cannot be taken, as when the locks are
  // held, and attempts again under all of them, so a change after this
  // look is seen.
  if (!others_signaled(targets, place)) return served::cannot_complete;
  hold.become_listed();
  // The other objects' locks use the robust slot that covers the waiters
  // claimed so far (INV-DEATHWAKE): they are woken first; and that covers
  // a released mutex's owner word: it is listed again meanwhile.
  hold.wake_claimed();
  const owner_word_relisted relisted(released_owner ? ref.slot : nullptr);
  held_objects held(targets, place, hold, s, v);
  if (held.status() != STATUS_SUCCESS) return served::not_now;
  if (held.blocker()) return served::cannot_complete;
  if (!held.reserve_marks()) return served::not_now;
  // INV-CLAIM: the one move out of waiting; the wait may have ended since
  // (timed out, alerted), and then nothing is taken.  The claim is covered
  // from death from here (INV-DEATHWAKE).
  if (hold.claim(index, object::queue_hold::giving::all) != object::claim_outcome::claimed)
    return served::not_now;
  sys::reach(sys::fault_point::wait_all_served_unmarked);
  commit_served(held, wait.block(), wait.who(), static_cast<std::uint32_t>(place));
  // Woken before the other locks go (their release uses the slot that
  // covers it).
  hold.wake_claimed();
  return served::whole;
}

}  // namespace ntsem::wait
