// An alertable wait-all, on top of the wait-all engine (wait_multiple.cpp)
// without changing it: a wait-all that can be satisfied at once is; one that
// cannot ends with STATUS_USER_APC if the thread has APCs queued; otherwise
// it waits as a wait-all that is not alertable.
//
// Not yet: a wait-all that sleeps is not ended by an APC queued meanwhile
// (it returns when satisfied or timed out, and the APC waits for the next
// alertable wait).  The hook for it is the wait-all engine on the queues
// (docs/wait-engine.md, step 5): its waiter sleeps on its claim word, and
// then arms a thread::alertable_wait before each sleep, as wait_queued does.
#include "wait/wait.hpp"

namespace ntsem::wait {

NTSTATUS wait_all_alertable(std::span<const target> targets, const sys::deadline& until) {
  if (NTSTATUS s = wait_all(targets, sys::deadline::poll()); s != STATUS_TIMEOUT) return s;
  if (thread::apcs_queued()) return STATUS_USER_APC;
  if (until.is_poll()) return STATUS_TIMEOUT;
  return wait_all(targets, until);
}

}  // namespace ntsem::wait
