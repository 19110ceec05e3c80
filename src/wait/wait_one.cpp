#include <array>

#include "namespace/process_record.hpp"
#include "object/handoff.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {
namespace {

using object::queue_hold;
using object::settled;
namespace claim = shm::claim;
constexpr auto relaxed = std::memory_order_relaxed;

// A change that changes nothing: settle() then only hands off what the
// object holds, and takes or queues the caller's entry.
NTSTATUS unchanged(std::uint32_t, std::uint32_t*) { return STATUS_SUCCESS; }

// One thread's wait in one object's queue (object/handoff.hpp), from its
// entry's allocation to its return.
//
// The claim word (shm/process_record.hpp) decides every race: a releaser
// satisfies the wait only by moving it from waiting(serial, tid) to
// satisfied, under the queue lock; the waiter gives up only by moving it to
// withdrawing.  Whoever moves it first wins; the loser sees the winner's
// value.  The entry belongs to the queue while it is linked: a releaser that
// satisfies the waiter unlinks and frees it, and the waiter never touches it
// again; otherwise the waiter unlinks and frees it itself.
template <class Ops>
class queued_wait {
 public:
  queued_wait(const object::object_ref& ref, const names::waiter_identity& me,
              std::uint32_t entry)
      : ref_(ref), me_(me), area_(ref.home->queue_area), entry_(entry) {}

  // Takes the object or queues the entry.  STATUS_WAIT_0 (taken),
  // STATUS_PENDING (queued), or an error (the entry is freed).
  NTSTATUS enter() {
    serial_ = (claim::serial(me_.block->claim.load(relaxed)) + 1) & claim::serial_mask;
    shm::queue_entry& e = area_.entries[entry_];
    e.pid.store(me_.record.pid, relaxed);
    e.nonce.store(me_.record.nonce, relaxed);
    e.block.store(static_cast<std::uint16_t>(me_.block_index), relaxed);
    e.place.store(shm::make_place(0, shm::entry_kind::wait_any), relaxed);
    e.thread_id.store(me_.thread_id, relaxed);
    return settle_mine();
  }

  // Sleeps until satisfied or the deadline; STATUS_WAIT_0 or STATUS_TIMEOUT.
  NTSTATUS sleep(const sys::deadline& until) {
    const auto* word = reinterpret_cast<const std::uint32_t*>(&me_.block->claim);
    shm::queue_entry& e = area_.entries[entry_];
    for (bool deadline_passed = false;;) {
      if (claim::low(me_.block->claim.load(object::order)) != me_.thread_id) return STATUS_WAIT_0;
      if (deadline_passed) return withdraw();
      sys::futex_result woke;
      if (ref_.home->foreign_releasers) {
        const std::uint32_t bell = e.doorbell.load(object::order);
        const std::array<sys::futex_vector_entry, 2> words{{{word, me_.thread_id},
                                                           {entry_doorbell(), bell}}};
        int which = -1;
        woke = sys::futex_wait_any(words, until, &which);
        if (woke == sys::futex_result::woken && which == 1) {
          if (NTSTATUS s = answer_doorbell(); s != STATUS_PENDING) return s;
          continue;
        }
      } else {
        woke = sys::futex_wait(word, me_.thread_id, until);
      }
      // A wake-up is always followed by one more look at the claim word, so
      // a wait satisfied just as the deadline passed returns satisfied.
      if (woke == sys::futex_result::timed_out) deadline_passed = true;
    }
  }

 private:
  const std::uint32_t* entry_doorbell() const {
    return reinterpret_cast<const std::uint32_t*>(&area_.entries[entry_].doorbell);
  }

  // Under a new serial: the entry is queued again, or the object taken.
  NTSTATUS settle_mine() {
    area_.entries[entry_].serial.store(serial_, relaxed);
    me_.block->claim.store(claim::waiting(serial_, me_.thread_id), object::order);
    object::settle_result r;
    {
      queue_hold hold(*ref_.slot, area_);
      r = object::settle<Ops>(hold, ref_, unchanged, entry_);
    }
    if (r.status == STATUS_SUCCESS && r.mine == settled::queued) return STATUS_PENDING;
    finish();
    return r.status == STATUS_SUCCESS ? STATUS_WAIT_0 : r.status;
  }

  // The entry is out of the queue (or was never in it): free it and go idle.
  void finish() {
    object::wait_queue::free(area_, entry_);
    me_.block->claim.store(claim::idle(serial_), object::order);
  }

  // The waiter's one move on its claim word: waiting -> withdrawing.  False
  // when a releaser moved it first (the wait is satisfied).
  bool stop_waiting() {
    std::uint64_t expected = claim::waiting(serial_, me_.thread_id);
    return me_.block->claim.compare_exchange_strong(
        expected, claim::withdrawing(serial_, me_.thread_id), object::order);
  }

  // Gives up: STATUS_TIMEOUT, or STATUS_WAIT_0 if a releaser won the race.
  NTSTATUS withdraw() {
    if (!stop_waiting()) return STATUS_WAIT_0;
    {
      queue_hold hold(*ref_.slot, area_);
      hold.queue().remove(entry_);
      // Units left for this waiter (its doorbell rung) go on to the others.
      object::settle<Ops>(hold, ref_, unchanged, std::nullopt);
    }
    finish();
    return STATUS_TIMEOUT;
  }

  // A releaser that may not write this process's record left a unit in the
  // count for us.  Under the lock, nobody else moves our claim word: take
  // the unit, or queue again at the tail (another queued waiter took it).
  NTSTATUS answer_doorbell() {
    {
      queue_hold hold(*ref_.slot, area_);
      if (!stop_waiting()) return STATUS_WAIT_0;  // satisfied before we took the lock
      hold.queue().remove(entry_);
    }
    serial_ = (serial_ + 1) & claim::serial_mask;
    return settle_mine();
  }

  const object::object_ref& ref_;
  const names::waiter_identity& me_;
  const shm::entry_area area_;
  const std::uint32_t entry_;
  std::uint32_t serial_ = 0;
};

template <class Ops>
NTSTATUS wait_until_taken(const object::object_ref& ref, const sys::deadline& timeout) {
  const sys::deadline until = timeout.resolved();
  names::waiter_identity me;
  if (NTSTATUS s = names::this_thread_waiter(&me); s != STATUS_SUCCESS) return s;
  const std::optional<std::uint32_t> entry =
      object::wait_queue::allocate(ref.home->queue_area, me.thread_id);
  if (!entry) return STATUS_INSUFFICIENT_RESOURCES;
  queued_wait<Ops> wait(ref, me, *entry);
  NTSTATUS s = wait.enter();
  if (s != STATUS_PENDING) return s;
  return wait.sleep(until);
}

}  // namespace

NTSTATUS wait_one_blocking(const target& t, const sys::deadline& until) {
  if (!object::add_ref(t.object)) return STATUS_INVALID_HANDLE;
  NTSTATUS result = object::visit_type(
      t.type, [&](auto ops) { return wait_until_taken<decltype(ops)>(t.object, until); },
      STATUS_INVALID_HANDLE);
  object::drop_ref(t.object);
  return result;
}

NTSTATUS sleep_until(const sys::deadline& timeout) {
  const sys::deadline until = timeout.resolved();
  static const std::uint32_t never_woken = 0;
  while (sys::futex_wait(&never_woken, 0, until) != sys::futex_result::timed_out) {
  }
  return STATUS_TIMEOUT;
}

}  // namespace ntsem::wait
