#include "object/wait_queue.hpp"

namespace ntsem::object {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;
constexpr auto free_state = static_cast<std::uint32_t>(shm::entry_state::free);
constexpr auto taken_state = static_cast<std::uint32_t>(shm::entry_state::taken);

}  // namespace

std::optional<std::uint32_t> wait_queue::allocate(entry_area area, std::uint32_t hint) {
  for (std::uint32_t n = 0; n < area.count; ++n) {
    const std::uint32_t index = (hint + n) % area.count;
    std::uint32_t expected = free_state;
    // Acquire: the previous user's writes to the entry are done before ours.
    if (area.entries[index].state.compare_exchange_strong(expected, taken_state,
                                                          std::memory_order_acquire, relaxed)) {
      area.entries[index].next.store(0, relaxed);
      return index;
    }
  }
  return std::nullopt;
}

void wait_queue::free(entry_area area, std::uint32_t index) {
  area.entries[index].state.store(free_state, std::memory_order_release);
}

std::optional<std::uint32_t> wait_queue::checked(std::uint32_t link) const {
  if (link == 0 || link > area_.count) return std::nullopt;
  return link - 1;
}

std::optional<std::uint32_t> wait_queue::first() const { return checked(head_.load(relaxed)); }

std::optional<std::uint32_t> wait_queue::after(std::uint32_t index) const {
  return checked(at(index).next.load(relaxed));
}

void wait_queue::append(std::uint32_t index) {
  at(index).next.store(0, relaxed);
  // Linked first, tail moved second: a death in between leaves the entry
  // reachable with a stale tail, which repair() moves.
  if (std::optional<std::uint32_t> last = checked(tail_.load(relaxed)); last && !empty()) {
    // Closed before anything stands behind it: a stale last entry revived
    // now would jump the queue (INV-REVIVE).
    at(*last).waiter.fetch_or(shm::entry_closed, std::memory_order_acq_rel);
    at(*last).next.store(index + 1, relaxed);
  } else {
    head_.store(index + 1, relaxed);
  }
  tail_.store(index + 1, relaxed);
}

bool wait_queue::remove(std::uint32_t index) {
  std::optional<std::uint32_t> previous;
  std::optional<std::uint32_t> current = first();
  for (std::uint32_t steps = 0; current && steps < area_.count; ++steps) {
    if (*current == index) {
      const std::uint32_t next = at(index).next.load(relaxed);
      if (previous)
        at(*previous).next.store(next, relaxed);
      else
        head_.store(next, relaxed);
      if (tail_.load(relaxed) == index + 1) tail_.store(previous ? *previous + 1 : 0, relaxed);
      at(index).next.store(0, relaxed);
      return true;
    }
    previous = current;
    current = after(*current);
  }
  return false;
}

void wait_queue::clear() {
  std::optional<std::uint32_t> i = first();
  for (std::uint32_t steps = 0; i && steps < area_.count; ++steps) {
    const std::optional<std::uint32_t> next = after(*i);
    at(*i).next.store(0, relaxed);
    free(area_, *i);
    i = next;
  }
  head_.store(0, relaxed);
  tail_.store(0, relaxed);
}

std::uint32_t wait_queue::repair() {
  // First pass: cut the list before the first bad link, free entry, or the
  // step that would go beyond the area's size (a loop).
  std::optional<std::uint32_t> previous;
  std::uint32_t link = head_.load(relaxed);
  for (std::uint32_t steps = 0; link != 0; ++steps) {
    const std::optional<std::uint32_t> current = checked(link);
    if (!current || at(*current).state.load(relaxed) == free_state || steps == area_.count) {
      if (previous)
        at(*previous).next.store(0, relaxed);
      else
        head_.store(0, relaxed);
      break;
    }
    previous = current;
    link = at(*current).next.load(relaxed);
  }
  // Second pass, over a list that now ends: count it and find its tail.
  std::uint32_t count = 0;
  std::optional<std::uint32_t> last;
  for (std::optional<std::uint32_t> i = first(); i && count < area_.count; i = after(*i)) {
    ++count;
    last = i;
  }
  tail_.store(last ? *last + 1 : 0, relaxed);
  return count;
}

std::uint32_t wait_queue::reclaim_unqueued() {
  if (!area_.one_queue) return 0;
  std::vector<bool> queued(area_.count);
  std::uint32_t steps = 0;
  for (std::optional<std::uint32_t> i = first(); i && steps < area_.count; i = after(*i), ++steps)
    queued[*i] = true;
  std::uint32_t freed = 0;
  for (std::uint32_t i = 0; i < area_.count; ++i) {
    if (queued[i] || at(i).state.load(relaxed) == free_state) continue;
    at(i).next.store(0, relaxed);
    free(area_, i);
    ++freed;
  }
  return freed;
}

}  // namespace ntsem::object
