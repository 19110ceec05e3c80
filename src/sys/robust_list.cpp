#include "sys/robust_list.hpp"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace ntsem::sys {
namespace {

// The head the kernel walks for this thread: glibc's, found once per thread.
// nullptr if there is none or its futex_offset is not ours.
robust_list_head* lookup_head() {
  robust_list_head* head = nullptr;
  std::size_t length = 0;
  if (::syscall(SYS_get_robust_list, 0, &head, &length) != 0) return nullptr;
  if (!head || length != sizeof(robust_list_head)) return nullptr;
  if (head->futex_offset != robust_word_offset) return nullptr;
  return head;
}

robust_list_head* thread_head() {
  thread_local robust_list_head* const head = lookup_head();
  return head;
}

// The entry whose `next` field is at `link` (the list's links are such
// addresses; glibc marks PI mutexes in bit 0, which is not part of them).
robust_entry* entry_at(void* link) {
  const auto address = reinterpret_cast<std::uintptr_t>(link) & ~std::uintptr_t{1};
  return reinterpret_cast<robust_entry*>(address - offsetof(robust_entry, next));
}

// The kernel reads the list when this thread ends, which may happen between
// any two instructions of it: the stores below must reach memory in program
// order, so that the list is whole at each of them.  Within the one thread a
// compiler barrier is all that takes.
void in_order() { std::atomic_signal_fence(std::memory_order_seq_cst); }

}  // namespace

namespace {

// Counts forks in the child, so that a thread id cached before a fork is
// not used by the child's thread, which has another one (the kernel
// compares robust words with the real id).
std::atomic<std::uint32_t> forks_seen{0};
void count_fork() { forks_seen.fetch_add(1, std::memory_order_relaxed); }
[[maybe_unused]] const int fork_counter = ::pthread_atfork(nullptr, nullptr, count_fork);

}  // namespace

std::uint32_t current_thread_id() {
  thread_local std::uint32_t id = 0;
  thread_local std::uint32_t forks = 0;
  const std::uint32_t now = forks_seen.load(std::memory_order_relaxed);
  if (id == 0 || forks != now) {
    id = static_cast<std::uint32_t>(::gettid());
    forks = now;
  }
  return id;
}

bool robust_list_usable() { return thread_head() != nullptr; }

// As glibc's ENQUEUE_MUTEX: the first entry's back link, then ours, then the
// head, which makes the entry visible to the kernel in one store.  An empty
// list's head points at itself, and glibc keeps a `prev` slot just before
// the head (struct pthread's robust_prev), so entry_at(head) is writable.
void robust_push(robust_entry& entry) {
  robust_list_head* head = thread_head();
  void* first = head->list.next;
  entry_at(first)->prev = &entry.next;
  entry.next = first;
  entry.prev = &head->list;
  in_order();
  head->list.next = reinterpret_cast<robust_list*>(&entry.next);
  in_order();
}

// As glibc's DEQUEUE_MUTEX: both neighbours skip the entry.  The forward
// link (the one the kernel follows) changes in one store.
void robust_remove(robust_entry& entry) {
  entry_at(entry.next)->prev = entry.prev;
  in_order();
  entry_at(entry.prev)->next = entry.next;
  in_order();
  entry.prev = nullptr;
  entry.next = nullptr;
}

void robust_set_pending(robust_entry* entry) {
  in_order();
  thread_head()->list_op_pending =
      entry ? reinterpret_cast<robust_list*>(&entry->next) : nullptr;
  in_order();
}

}  // namespace ntsem::sys
