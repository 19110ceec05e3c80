// One object's FIFO of waiting threads over an area of queue entries
// (shm/queue_entry.hpp; design in docs/wait-engine.md).
//
// The queue is a singly linked list: `head` and `tail` (words of the
// object's slot) and each entry's `next` hold 1 + an entry index, 0 for
// none.  The area may be shared by the queues of many objects (an arena's),
// so entries are allocated with a compare-and-swap on their state; every
// other operation requires the object's queue lock (sys/robust_lock.hpp).
//
// Invariants, while nobody holds the queue lock:
//   INV-QLIST   Following `next` from `head` reaches `tail` and then 0, in
//               at most `count` steps, through entries that are not free
//               (taken, or holding or handing back an offer).
//   INV-QOWN    An entry is in at most one queue, and an entry in a queue is
//               never free.
// A holder that dies mid-change can leave INV-QLIST broken in one of two
// ways, both of which `repair` fixes: a last entry linked but `tail` not yet
// moved to it, or an entry unlinked whose successor is still the old tail.
// Links from shared memory are never trusted: a link out of range, to a free
// entry, or a list longer than the area ends the walk there.
//
// Entries out of every queue, and not free, are kept from leaking by where
// they may exist:
//   INV-QALONE  In an area that serves one queue alone (entry_area::
//               one_queue, a named object's), an entry that is not free and
//               not in the queue exists only under a hold of that queue's
//               lock: a thread allocates an entry only in the hold in which
//               it links it (or frees it), and frees an entry in the hold
//               in which it unlinks it.
// So the holder that finds its predecessor died holding the lock frees every
// such entry (reclaim_unqueued): they were the dead holder's, allocated and
// not yet linked, or unlinked and not yet freed.  In an area that many
// queues share (an arena's), an entry that a thread killed in between left
// behind stays taken (today only the arena's own process, which dies whole,
// uses it).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "shm/queue_entry.hpp"

namespace ntsem::object {

using shm::entry_area;

class wait_queue {
 public:
  wait_queue(std::atomic<std::uint32_t>& head, std::atomic<std::uint32_t>& tail, entry_area area)
      : head_(head), tail_(tail), area_(area) {}

  // An entry of the area in state taken, searched from `hint` on (any
  // value); nullopt when every entry is in use.  Needs no lock.
  static std::optional<std::uint32_t> allocate(entry_area area, std::uint32_t hint);
  // Back to free (the entry must be in no queue).  Needs no lock.
  static void free(entry_area area, std::uint32_t index);

  bool empty() const { return head_.load(std::memory_order_relaxed) == 0; }
  // The first entry, or nullopt (an out-of-range head counts as none).
  std::optional<std::uint32_t> first() const;
  // The entry after `index`, or nullopt.
  std::optional<std::uint32_t> after(std::uint32_t index) const;
  // Links a taken entry at the tail, closing the one it follows
  // (INV-REVIVE, shm/queue_entry.hpp).
  void append(std::uint32_t index);
  // Unlinks `index`; false if it is not in this queue.  Does not free it.
  bool remove(std::uint32_t index);
  // Unlinks and frees every entry (the object dies with its queue).
  void clear();
  // Restores INV-QLIST after a holder died (see above); returns the number
  // of entries left in the queue.
  std::uint32_t repair();
  // After repair(), in an area that serves this queue alone (INV-QALONE):
  // frees every entry that is in use and not in the queue; returns how many.
  // Does nothing in a shared area.
  std::uint32_t reclaim_unqueued();

 private:
  shm::queue_entry& at(std::uint32_t index) const { return area_.entries[index]; }
  // 1 + index read from shared memory, checked: nullopt for 0 or out of range.
  std::optional<std::uint32_t> checked(std::uint32_t link) const;

  std::atomic<std::uint32_t>& head_;
  std::atomic<std::uint32_t>& tail_;
  entry_area area_;
};

}  // namespace ntsem::object
