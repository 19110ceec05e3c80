#include "wait/stale_entries.hpp"

#include <algorithm>
#include <bit>
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
  if (previous().kept != 0) take_out_rest(previous());
  current_ ^= 1;
}

void stale_entries::keep_wait(std::span<const target> targets,
                              const object::waiter_stamp& stamp) {
  generation& g = generations_[current_];
  // One copy of the whole span: element by element, each target was read
  // back in wider words than just stored (a store-forwarding stall).
  std::copy(targets.begin(), targets.end(), g.objects.begin());
  g.kept = 0;
  g.stamp = stamp;
}

void stale_entries::take_out(const target& t, std::uint32_t entry,
                             const object::waiter_stamp& stamp, object::queue_hold& hold) {
  const shm::queue_entry& e = hold.area().entries[entry];
  if (!object::stamped_by(e, stamp)) return;
  // An offer made to the wait after it was satisfied (INV-OFFER; only if
  // the object's file came to admit other users since it was opened): the
  // hold takes the entry out after handing the offer back.
  if (shm::holds_offer(e)) {
    decline_on(t, hold, entry);
    return;
  }
  if (hold.queue().remove(entry)) object::wait_queue::free(hold.area(), entry);
}

int stale_entries::previous_in(const target& t, std::size_t place) const {
  // A wait on the same objects in the same order finds each at its place.
  if (kept_at(t, place)) return static_cast<int>(place);
  const generation& g = previous();
  for (std::uint64_t rest = g.kept; rest != 0; rest &= rest - 1) {
    const int k = std::countr_zero(rest);
    if (g.objects[static_cast<std::size_t>(k)].object == t.object) return k;
  }
  return -1;
}

// An out-parameter, not an optional: returning std::optional<std::uint32_t>
// stored its two halves narrower than the word read back from them (a
// store-forwarding stall on every call, 64 calls a wait over 64 objects).
bool stale_entries::revive(const target& t, std::uint8_t place, const object::waiter_stamp& now,
                           std::uint32_t* entry) {
  // At another place, it would report the wrong index: take_out_in, under
  // the lock, finds it instead.
  if (!kept_at(t, place)) return false;
  generation& g = previous();
  const std::uint32_t stale = g.entry[place];
  shm::queue_entry& e = t.object.home->queue_area.entries[stale];
  // Not the last, it would stand before entries linked since (closed then,
  // but a cheap test first); not stamped so, it was dropped (or is another
  // wait's).  Not revived, take_out_in finds it under the lock.
  if (shm::place_index(e.place.load(std::memory_order_relaxed)) != place ||
      t.object.slot->queue_tail.load(std::memory_order_acquire) != stale + 1 ||
      !object::stamped_by(e, g.stamp))
    return false;
  sys::reach(sys::fault_point::entry_revive_checked);
  // Release: whoever reads the new serial sees the new wait waiting.
  std::uint64_t open = shm::entry_waiter(g.stamp.serial, g.stamp.thread_id);
  if (!e.waiter.compare_exchange_strong(open, shm::entry_waiter(now.serial, now.thread_id),
                                        std::memory_order_acq_rel))
    return false;  // closed: taken out under the lock instead
  g.kept &= ~(std::uint64_t{1} << place);
  sys::reach(sys::fault_point::entry_revived);
  *entry = stale;
  return true;
}

void stale_entries::take_out_in(const target& t, std::size_t place, object::queue_hold& hold) {
  if (const int k = previous_in(t, place); k >= 0) {
    generation& g = previous();
    g.kept &= ~(std::uint64_t{1} << k);
    take_out(t, g.entry[static_cast<std::size_t>(k)], g.stamp, hold);
  }
}

void stale_entries::take_out_rest(generation& g) {
  while (g.kept != 0) {
    const auto k = static_cast<std::size_t>(std::countr_zero(g.kept));
    g.kept &= g.kept - 1;
    const target& t = g.objects[k];
    // Released in this process meanwhile: nothing here may touch it.
    if (!object::add_ref(t.object)) continue;
    {
      object::queue_hold hold(*t.object.slot, t.object.home->queue_area);
      take_out(t, g.entry[k], g.stamp, hold);
      // QUEUED as the queue now is (INV-QUEUE).
      settle_on(t, hold, nullptr);
    }
    object::drop_ref(t.object);
  }
}

}  // namespace ntsem::wait
