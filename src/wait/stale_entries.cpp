#include "wait/stale_entries.hpp"

#include <algorithm>
#include <memory>

#include "sys/fault_point.hpp"
#include "sys/robust_list.hpp"
#include "wait/settle_on.hpp"

namespace ntsem::wait {

namespace {

// A thread's list, made at its first queued wait: on the heap, so that the
// static TLS of every thread (which glibc takes from its stack) stays
// small.  Its end takes out what is left.
//
// The list is its thread's, by thread id: a fork()ed child's thread has the
// list of the thread that forked, whose entries name the parent's wait
// block, and the parent's thread may revive them (INV-REVIVE).  The child
// forgets them, untouched.
struct list_holder {
  std::unique_ptr<stale_entries> list;
  std::uint32_t thread_id = 0;
  bool ours() const { return list && thread_id == sys::current_thread_id(); }
  ~list_holder() {
    if (ours()) list->take_out_all();
  }
};

}  // namespace

stale_entries& stale_entries::mine() {
  thread_local list_holder holder;
  if (!holder.ours()) {
    holder.list = std::make_unique<stale_entries>();
    holder.thread_id = sys::current_thread_id();
  }
  return *holder.list;
}

bool stale_entries::may_leave(const target& t) {
  return (t.type == shm::object_type::semaphore || t.type == shm::object_type::event) &&
         !t.object.home->foreign_releasers;
}

void stale_entries::begin_wait() {
  // Every wait ends its predecessor's turn with take_out_previous, which
  // empties the previous wait's; were any left (INV-STALE: never more than
  // one wait's before the current one's), they go now.
  if (previous().count != 0) take_out_rest(previous());
  current_ ^= 1;
  cursor_ = 0;
}

void stale_entries::keep(const target& t, std::uint32_t entry, const object::waiter_stamp& stamp) {
  generation& g = generations_[current_];
  // At most one entry per place of the wait; were it full, the entry would
  // stay for a releaser to drop.
  if (g.count == g.kept.size()) return;
  // Field by field, not from a braced temporary: the temporary's copy read
  // back 16-byte words just stored narrower (a store-forwarding stall),
  // which made this about 50 cycles a call, 63 calls after every wake of a
  // wait-any over 64 (rdtsc around the loop: 3,200 cycles, 1,350 then).
  stale& s = g.kept[g.count++];
  s.object = t;
  s.entry = entry;
  s.gone = false;
  g.stamp = stamp;
}

void stale_entries::take_out(const stale& s, const object::waiter_stamp& stamp,
                             object::queue_hold& hold) {
  const shm::queue_entry& e = hold.area().entries[s.entry];
  if (!object::stamped_by(e, stamp)) return;
  // An offer made to the wait after it was satisfied (INV-OFFER; only if
  // the object's file came to admit other users since it was opened): the
  // hold takes the entry out after handing the offer back.
  if (shm::holds_offer(e)) {
    decline_on(s.object, hold, s.entry);
    return;
  }
  if (hold.queue().remove(s.entry)) object::wait_queue::free(hold.area(), s.entry);
}

stale_entries::stale* stale_entries::previous_in(const target& t) {
  generation& g = previous();
  // No division: this runs once per object of every wait.
  std::size_t k = cursor_;
  for (std::size_t n = 0; n < g.count; ++n, ++k) {
    if (k == g.count) k = 0;
    stale& s = g.kept[k];
    if (s.gone || !(s.object.object == t.object)) continue;
    cursor_ = k + 1 == g.count ? 0 : k + 1;
    return &s;
  }
  return nullptr;
}

// An out-parameter, not an optional: returning std::optional<std::uint32_t>
// stored its two halves narrower than the word read back from them (a
// store-forwarding stall on every call, 64 calls a wait over 64 objects).
bool stale_entries::revive(const target& t, std::uint8_t place, const object::waiter_stamp& now,
                           std::uint32_t* entry) {
  stale* s = previous_in(t);
  if (!s) return false;
  const generation& g = previous();
  // Not revived: take_out_in, under the lock, finds it first.
  const auto keep_for_lock = [&] {
    cursor_ = static_cast<std::size_t>(s - g.kept.data());
    return false;
  };
  shm::queue_entry& e = t.object.home->queue_area.entries[s->entry];
  // At another place, it would report the wrong index; not the last, it
  // would stand before entries linked since (closed then, but a cheap test
  // first); not stamped so, it was dropped (or is another wait's).
  if (shm::place_index(e.place.load(std::memory_order_relaxed)) != place ||
      t.object.slot->queue_tail.load(std::memory_order_acquire) != s->entry + 1 ||
      !object::stamped_by(e, g.stamp))
    return keep_for_lock();
  sys::reach(sys::fault_point::entry_revive_checked);
  // Release: whoever reads the new serial sees the new wait waiting.
  std::uint64_t open = shm::entry_waiter(g.stamp.serial, g.stamp.thread_id);
  if (!e.waiter.compare_exchange_strong(open, shm::entry_waiter(now.serial, now.thread_id),
                                        std::memory_order_acq_rel))
    return keep_for_lock();  // closed: taken out under the lock instead
  s->gone = true;
  sys::reach(sys::fault_point::entry_revived);
  *entry = s->entry;
  return true;
}

void stale_entries::take_out_in(const target& t, object::queue_hold& hold) {
  if (stale* s = previous_in(t)) {
    s->gone = true;
    take_out(*s, previous().stamp, hold);
  }
}

void stale_entries::take_out_rest(generation& g) {
  for (std::size_t i = 0; i < g.count; ++i) {
    stale& s = g.kept[i];
    if (s.gone) continue;
    s.gone = true;
    // Released in this process meanwhile: nothing here may touch it.
    if (!object::add_ref(s.object.object)) continue;
    {
      object::queue_hold hold(*s.object.object.slot, s.object.object.home->queue_area);
      take_out(s, g.stamp, hold);
      // QUEUED as the queue now is (INV-QUEUE).
      settle_on(s.object, hold, nullptr);
    }
    object::drop_ref(s.object.object);
  }
  g.count = 0;
}

void stale_entries::take_out_previous() {
  take_out_rest(previous());
  cursor_ = 0;
}

}  // namespace ntsem::wait
