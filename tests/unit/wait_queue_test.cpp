// object::wait_queue: FIFO order, removal anywhere, allocation shared by
// threads, and repair of every state a dead lock holder, or a process that
// wrote nonsense, can leave behind.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "object/wait_queue.hpp"

namespace {

using ntsem::object::entry_area;
using ntsem::object::wait_queue;

struct queue_fixture {
  // `one_queue`: the area serves this queue alone (entry_area::one_queue).
  explicit queue_fixture(bool one_queue = false)
      : area{entries.data(), static_cast<std::uint32_t>(entries.size()), one_queue} {}

  std::array<ntsem::shm::queue_entry, 8> entries{};
  std::atomic<std::uint32_t> head{0}, tail{0};
  entry_area area;
  wait_queue queue{head, tail, area};

  std::uint32_t take() {
    std::optional<std::uint32_t> index = wait_queue::allocate(area, 0);
    if (!index) throw std::runtime_error("area full");
    return *index;
  }
  // The queue from head to end, as indices.
  std::vector<std::uint32_t> order() const {
    std::vector<std::uint32_t> out;
    for (std::optional<std::uint32_t> i = queue.first(); i && out.size() <= entries.size();
         i = queue.after(*i))
      out.push_back(*i);
    return out;
  }
  std::uint32_t tail_index() const { return tail.load() - 1; }
};

using list = std::vector<std::uint32_t>;

TEST(WaitQueue, EntriesComeOutInTheOrderTheyWentIn) {
  queue_fixture f;
  EXPECT_TRUE(f.queue.empty());
  const std::uint32_t a = f.take(), b = f.take(), c = f.take();
  f.queue.append(b);
  f.queue.append(a);
  f.queue.append(c);
  EXPECT_FALSE(f.queue.empty());
  EXPECT_EQ(f.order(), (list{b, a, c}));
  EXPECT_EQ(f.tail_index(), c);
}

TEST(WaitQueue, RemovalWorksAtEveryPlaceAndKeepsTheTail) {
  queue_fixture f;
  const std::uint32_t a = f.take(), b = f.take(), c = f.take(), d = f.take();
  for (std::uint32_t i : {a, b, c, d}) f.queue.append(i);
  EXPECT_TRUE(f.queue.remove(b));  // middle
  EXPECT_EQ(f.order(), (list{a, c, d}));
  EXPECT_TRUE(f.queue.remove(d));  // tail
  EXPECT_EQ(f.tail_index(), c);
  f.queue.append(b);  // after the new tail
  EXPECT_EQ(f.order(), (list{a, c, b}));
  EXPECT_TRUE(f.queue.remove(a));  // head
  EXPECT_EQ(f.order(), (list{c, b}));
  EXPECT_FALSE(f.queue.remove(a));  // not in it any more
  EXPECT_FALSE(f.queue.remove(d));
  EXPECT_TRUE(f.queue.remove(c));
  EXPECT_TRUE(f.queue.remove(b));
  EXPECT_TRUE(f.queue.empty());
  EXPECT_EQ(f.tail.load(), 0u);
}

// INV-REVIVE: the entry that an append follows is closed, so that its
// waiter cannot revive it in front of the one appended; the new last entry
// stays open, and close_entry fails on a word that has moved on.
TEST(WaitQueue, AnAppendClosesTheEntryItFollows) {
  queue_fixture f;
  namespace shm = ntsem::shm;
  const std::uint32_t a = f.take(), b = f.take();
  f.entries[a].waiter.store(shm::entry_waiter(5, 100));
  f.entries[b].waiter.store(shm::entry_waiter(9, 200));
  f.queue.append(a);
  EXPECT_EQ(f.entries[a].waiter.load(), shm::entry_waiter(5, 100));
  f.queue.append(b);
  EXPECT_EQ(f.entries[a].waiter.load(), shm::entry_waiter(5, 100) | shm::entry_closed);
  EXPECT_EQ(shm::entry_serial(f.entries[a]), 5u);
  EXPECT_EQ(shm::entry_thread(f.entries[a]), 100u);
  EXPECT_EQ(f.entries[b].waiter.load(), shm::entry_waiter(9, 200));
  EXPECT_FALSE(shm::close_entry(f.entries[b], shm::entry_waiter(8, 200)));
  EXPECT_EQ(f.entries[b].waiter.load(), shm::entry_waiter(9, 200));
  EXPECT_TRUE(shm::close_entry(f.entries[b], shm::entry_waiter(9, 200)));
  EXPECT_EQ(f.entries[b].waiter.load(), shm::entry_waiter(9, 200) | shm::entry_closed);
}

TEST(WaitQueue, AllocationFailsOnlyWhenEveryEntryIsTaken) {
  queue_fixture f;
  std::vector<std::uint32_t> taken;
  for (std::uint32_t hint = 5; taken.size() < f.entries.size(); ++hint) {
    std::optional<std::uint32_t> i = wait_queue::allocate(f.area, hint);
    ASSERT_TRUE(i.has_value());
    taken.push_back(*i);
  }
  EXPECT_FALSE(wait_queue::allocate(f.area, 0).has_value());
  wait_queue::free(f.area, taken[3]);
  EXPECT_EQ(wait_queue::allocate(f.area, 0), taken[3]);
}

TEST(WaitQueue, ThreadsNeverGetTheSameEntry) {
  std::array<ntsem::shm::queue_entry, 16> entries{};
  const entry_area area{entries.data(), static_cast<std::uint32_t>(entries.size())};
  constexpr int threads = 4, rounds = 20000;
  std::atomic<int> clashes{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      const auto me = static_cast<std::uint32_t>(t + 1);
      for (int r = 0; r < rounds; ++r) {
        std::optional<std::uint32_t> i = wait_queue::allocate(area, static_cast<std::uint32_t>(r));
        if (!i) continue;  // all taken by the others for a moment
        entries[*i].pid.store(me, std::memory_order_relaxed);
        std::this_thread::yield();
        if (entries[*i].pid.load(std::memory_order_relaxed) != me) ++clashes;
        wait_queue::free(area, *i);
      }
    });
  for (std::thread& w : workers) w.join();
  EXPECT_EQ(clashes.load(), 0);
}

TEST(WaitQueue, RepairMovesATailLeftBehindByAnAppend) {
  queue_fixture f;
  const std::uint32_t a = f.take(), b = f.take();
  f.queue.append(a);
  // An append that died after linking b, before moving the tail.
  f.entries[a].next.store(b + 1);
  EXPECT_EQ(f.queue.repair(), 2u);
  EXPECT_EQ(f.tail_index(), b);
  EXPECT_EQ(f.order(), (list{a, b}));
}

TEST(WaitQueue, RepairFinishesARemovalOfTheTail) {
  queue_fixture f;
  const std::uint32_t a = f.take(), b = f.take();
  f.queue.append(a);
  f.queue.append(b);
  // A removal of b that died after unlinking it, before moving the tail.
  f.entries[a].next.store(0);
  EXPECT_EQ(f.queue.repair(), 1u);
  EXPECT_EQ(f.tail_index(), a);
  f.queue.append(b);
  EXPECT_EQ(f.order(), (list{a, b}));
}

TEST(WaitQueue, RepairCutsTheListAtNonsense) {
  queue_fixture f;
  const std::uint32_t a = f.take(), b = f.take(), c = f.take();
  for (std::uint32_t i : {a, b, c}) f.queue.append(i);
  // A loop back to the head: cut somewhere, leaving a list that ends, with
  // no entry twice and the tail at its end.
  f.entries[c].next.store(a + 1);
  const std::uint32_t left = f.queue.repair();
  const list after_repair = f.order();
  EXPECT_EQ(after_repair.size(), left);
  EXPECT_GE(left, 1u);
  EXPECT_LE(left, 3u);
  EXPECT_EQ(std::set<std::uint32_t>(after_repair.begin(), after_repair.end()).size(), left);
  EXPECT_EQ(f.tail_index(), after_repair.back());
  EXPECT_EQ(f.entries[f.tail_index()].next.load(), 0u);

  queue_fixture g;
  const std::uint32_t x = g.take(), y = g.take();
  g.queue.append(x);
  g.queue.append(y);
  g.entries[x].next.store(1000);  // out of the area
  EXPECT_EQ(g.queue.repair(), 1u);
  EXPECT_EQ(g.order(), (list{x}));

  queue_fixture h;
  const std::uint32_t p = h.take(), q = h.take();
  h.queue.append(p);
  h.queue.append(q);
  wait_queue::free(h.area, q);  // a free entry in the list
  EXPECT_EQ(h.queue.repair(), 1u);
  EXPECT_EQ(h.order(), (list{p}));

  queue_fixture k;
  k.head.store(99);  // a head out of the area
  EXPECT_EQ(k.queue.repair(), 0u);
  EXPECT_TRUE(k.queue.empty());
  EXPECT_EQ(k.tail.load(), 0u);
}

// INV-QALONE: in an area that serves one queue alone, an entry in use out of
// the queue when a holder finds its predecessor dead was the dead holder's.
TEST(WaitQueue, ReclaimFreesTheEntriesInUseOutOfTheQueueOfAnAreaOfItsOwn) {
  queue_fixture f(true);
  const std::uint32_t linked = f.take(), allocated = f.take(), unlinked = f.take();
  f.queue.append(linked);
  f.queue.append(unlinked);
  EXPECT_TRUE(f.queue.remove(unlinked));  // and not freed
  EXPECT_EQ(f.queue.reclaim_unqueued(), 2u);
  EXPECT_EQ(f.order(), (list{linked}));
  for (std::uint32_t i : {allocated, unlinked})
    EXPECT_EQ(f.entries[i].state.load(), static_cast<std::uint32_t>(ntsem::shm::entry_state::free));
  EXPECT_EQ(f.queue.reclaim_unqueued(), 0u);
  EXPECT_EQ(f.order(), (list{linked}));
}

// In an area that other queues share, an entry out of this queue may be in
// another one, or about to be: nothing is freed.
TEST(WaitQueue, ReclaimLeavesASharedAreaAlone) {
  queue_fixture f;
  const std::uint32_t mine = f.take(), elsewhere = f.take();
  f.queue.append(mine);
  EXPECT_EQ(f.queue.reclaim_unqueued(), 0u);
  EXPECT_EQ(f.entries[elsewhere].state.load(),
            static_cast<std::uint32_t>(ntsem::shm::entry_state::taken));
}

}  // namespace
