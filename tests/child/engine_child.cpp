// engine_child — the helper process of the tests of the wait engine's
// foundations (tests/process/robust_list_test.cpp, process_record_test.cpp).
// It puts words of a shared file into its threads' robust lists, and makes
// its process record, on command, so that the test can kill it and look at
// what the kernel did.
//
// Commands come from argv (one per argument), then from stdin, one per line;
// each prints one line.  OFF is a byte offset into the mapped file; the word
// there is a sys::robust_word (its list entry 24 bytes further on).
//   map PATH          map PATH (4096 bytes, shared)          -> "mapped"
//   push OFF          word := this thread's id; push it      -> "pushed"
//   push-waiters OFF  as push, with FUTEX_WAITERS set        -> "pushed"
//   remove OFF        take the entry out of the list         -> "removed"
//   pending OFF       word := id; the list's pending entry   -> "pending"
//   thread-push OFF   a new thread pushes OFF and exits      -> "thread ended"
//   lock-mutex OFF    pthread_mutex_lock of a robust mutex   -> "locked"
//   lock-brief OFF    sys::robust_lock, a brief hold         -> "locked normally"
//   lock-listed OFF   the same, a listed hold                   or "locked owner-died"
//   unlock-brief OFF, unlock-listed OFF                      -> "unlocked"
// Process records (namespace/process_record.hpp), no mapping needed:
//   record            take this thread's wait block          -> "record NAME"
//   claim             its claim word := this thread's id,
//                     as while waiting                       -> "claimed"
//   fork-record       fork(); the child takes a wait block,
//                     prints "child NAME" and exits 0; then  -> "parent NAME"
//   fork-run COMMAND...  fork(); the child runs COMMAND..., prints
//                     "forked <its reply>" and exits 0; then  -> "parent"
//   read-claim        this thread's claim word               -> "claim HIGH LOW" (hex)
//   map-record NAME   names::map_record of another record    -> "status 0xNNNNNNNN"
// A wait-all's commit (wait/held_objects.hpp), cut short by a SIGKILL:
//   die-in-commit STAGE NAME...   open the named semaphores NAME..., hold
//                     them as a wait-all attempt does, go on to STAGE,
//                     print "dying RECORD" and SIGKILL itself.  STAGE:
//                     held (locks held, values frozen), marked (every object
//                     marked), committed (the intent stored), applied-one
//                     (the first object in lock order taken, too)
// A queue lock held for a while, as a wait-all attempt holds it:
//   hold-lock NAME    open the named semaphore NAME and hold its queue lock
//                     (wait::held_objects) until let-go       -> "locked"
//   let-go            let go of it                            -> "let go"
// A death at a fault point (sys/fault_point.hpp), with a named object:
//   open-mutex NAME   OpenMutexA(MUTEX_ALL_ACCESS), kept      -> "opened"
//   open-semaphore NAME, open-event NAME: the same, with
//                     SEMAPHORE_ALL_ACCESS, EVENT_ALL_ACCESS  -> "opened"
//   wait MS           WaitForSingleObject on the object       -> "result=0x<8 hex>"
//   wait-any-also NAME MS   OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, NAME)
//                     (once: kept open), then WaitForMultipleObjects over
//                     it (index 0) and the object (index 1), wait-any
//                                                        -> "result=0x<8 hex>"
//   hold-semaphore NAME, hold-mutex NAME  OpenSemaphoreA
//                     (SEMAPHORE_ALL_ACCESS), OpenMutexA (MUTEX_ALL_ACCESS),
//                     kept open beside the object (a release of the object
//                     then reaches a wait-all on both, wait/serve_all.hpp)
//                                                            -> "held"
//   wait-all-thread NAME...  open the named semaphores (or mutexes)
//                     NAME..., and in a new thread wait for all of them,
//                     INFINITE (the result is not printed)   -> "waiting"
//   release-mutex     ReleaseMutex                            -> "released"
//   release-semaphore [N]  ReleaseSemaphore by N (default 1) -> "released"
//   set-event         SetEvent                                -> "set"
//   arm-fault POINT [stop]   on reaching POINT (release-unlisted,
//                     handed-unstored, unit-given-unstored, claimed-unwoken,
//                     offers-stored, returned-unstored, timed-out, named-published,
//                     served-unmarked, served-untaken, committed-untaken,
//                     entry-unqueued, revive-checked): die
//                     (SIGKILL), or
//                     with `stop` print "stopped" and SIGSTOP itself -> "armed"
//   create-owned-mutex NAME  CreateMutexA(NULL, TRUE, NAME)  -> "created err=<n>"
//   thread-own        a new thread takes the object (WaitForSingleObject,
//                     0 ms) and stays until thread-exit      -> "owned result=0x<8 hex>"
//   thread-exit       that thread returns, abandoning what it
//                     owns; joined                           -> "exited"
// A failure prints "fail <what>".
#include <pthread.h>
#include <sys/mman.h>

#include <sys/wait.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include <csignal>
#include <vector>

#include <ntsem/windows.h>

#include "handle/handle_table.hpp"
#include "namespace/process_record.hpp"
#include "namespace/record_map.hpp"
#include "wait/held_objects.hpp"
#include "sys/fault_point.hpp"
#include "sys/robust_list.hpp"
#include "sys/robust_lock.hpp"

namespace {

unsigned char* mapping = nullptr;

using ntsem::sys::robust_word;

robust_word& word_at(std::size_t offset) {
  return *reinterpret_cast<robust_word*>(mapping + offset);
}

std::string push(std::size_t offset, std::uint32_t extra) {
  if (!ntsem::sys::robust_list_usable()) return "fail unusable";
  ntsem::sys::robust_word& w = word_at(offset);
  w.word.store(ntsem::sys::current_thread_id() | extra);
  ntsem::sys::robust_push(w.entry);
  return "pushed";
}

// "record NAME" for the calling thread's wait block, or "fail STATUS".
std::string take_block(const char* what, ntsem::shm::wait_block** block) {
  NTSTATUS s = ntsem::names::this_thread_wait_block(block);
  if (s != STATUS_SUCCESS) return "fail " + std::to_string(s);
  return std::string(what) + " " +
         ntsem::names::record_file_name(ntsem::names::this_process_record_name());
}

std::string fork_record() {
  std::cout.flush();
  const pid_t child = ::fork();
  if (child < 0) return "fail fork";
  if (child == 0) {
    ntsem::shm::wait_block* block = nullptr;
    std::cout << take_block("child", &block) << std::endl;
    std::exit(0);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "fail child";
  ntsem::shm::wait_block* block = nullptr;
  return take_block("parent", &block);
}

std::string run(const std::string& line);

// The thread that forks keeps what it had (its handles, its last wait's
// stale entries), and its child runs `command` with them.
std::string fork_run(const std::string& command) {
  std::cout.flush();
  const pid_t child = ::fork();
  if (child < 0) return "fail fork";
  if (child == 0) {
    std::cout << "forked " << run(command) << std::endl;
    std::exit(0);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "fail child";
  return "parent";
}

// Goes through a wait-all commit on the named semaphores up to `stage`,
// then dies; returns only on a failure.
std::string die_in_commit(const std::string& stage, std::istringstream& names) {
  std::vector<ntsem::wait::target> targets;
  for (std::string name; names >> name;) {
    HANDLE h = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str());
    ntsem::handle::handle_info info;
    if (!h || ntsem::handle::lookup(h, &info) != STATUS_SUCCESS) return "fail open " + name;
    targets.push_back({info.object, info.type});
  }
  ntsem::names::waiter_identity me;
  if (ntsem::names::this_thread_waiter(&me) != STATUS_SUCCESS) return "fail block";
  const ntsem::object::waiter_stamp who{me.record, me.block_index, 1, me.thread_id};
  ntsem::wait::held_objects held(targets);
  if (held.status() != STATUS_SUCCESS || held.blocker()) return "fail not takeable";
  if (stage != "held") {
    if (!held.mark_all(who)) return "fail entries";
  }
  if (stage == "committed" || stage == "applied-one")
    me.block->intent.store(ntsem::shm::intent::committed(who.serial));
  if (stage == "applied-one") held.apply(0);
  std::cout << "dying " << ntsem::names::record_file_name(me.record) << std::endl;
  ::raise(SIGKILL);
  return "fail alive";
}

// The lock of hold-lock, held until let-go.
struct held_lock {
  std::vector<ntsem::wait::target> targets;
  std::optional<ntsem::wait::held_objects> held;
};
held_lock lock_held;

std::string hold_lock(const std::string& name) {
  HANDLE h = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str());
  ntsem::handle::handle_info info;
  if (!h || ntsem::handle::lookup(h, &info) != STATUS_SUCCESS) return "fail open " + name;
  lock_held.targets = {{info.object, info.type}};
  lock_held.held.emplace(lock_held.targets);
  return lock_held.held->status() == STATUS_SUCCESS ? "locked" : "fail hold";
}

HANDLE named_object = nullptr;

std::string object_command(const std::string& command, const std::string& argument) {
  if (command.rfind("open-", 0) == 0) {
    const char* name = argument.c_str();
    if (command == "open-mutex") named_object = OpenMutexA(MUTEX_ALL_ACCESS, FALSE, name);
    if (command == "open-semaphore") named_object = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name);
    if (command == "open-event") named_object = OpenEventA(EVENT_ALL_ACCESS, FALSE, name);
    return named_object ? "opened" : "fail open " + std::to_string(GetLastError());
  }
  if (!named_object) return "fail no object";
  if (command == "wait") {
    char text[32];
    const auto ms = static_cast<DWORD>(std::stoul(argument));
    std::snprintf(text, sizeof text, "result=0x%08x",
                  static_cast<unsigned>(WaitForSingleObject(named_object, ms)));
    return text;
  }
  if (command == "release-mutex") return ReleaseMutex(named_object) ? "released" : "fail release";
  if (command == "release-semaphore") {
    const LONG n = argument.empty() ? 1 : static_cast<LONG>(std::stol(argument));
    return ReleaseSemaphore(named_object, n, nullptr) ? "released" : "fail release";
  }
  if (command == "set-event") return SetEvent(named_object) ? "set" : "fail set";
  return "fail unknown command";
}

// wait-any-also: a wait-any over semaphore `name` (index 0) and the object.
// The semaphores wait-any-also opened, by name, kept open: a later wait on
// the same one finds the same object (and the stale entry the last wait
// left in it, wait/stale_entries.hpp).
std::map<std::string, HANDLE> also_opened;

std::string wait_any_also(const std::string& name, const std::string& ms) {
  if (!named_object) return "fail no object";
  HANDLE& also = also_opened[name];
  if (!also) also = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str());
  if (!also) return "fail open " + std::to_string(GetLastError());
  const HANDLE both[] = {also, named_object};
  char text[32];
  std::snprintf(text, sizeof text, "result=0x%08x",
                static_cast<unsigned>(WaitForMultipleObjects(
                    2, both, FALSE, static_cast<DWORD>(std::stoul(ms)))));
  return text;
}

// wait-all-thread: a thread of this process waiting for all the named
// semaphores or mutexes, for a release by another thread to serve
// (wait/serve_all.hpp).  The process ends before the wait does.
std::string wait_all_thread(std::istringstream& names) {
  std::vector<HANDLE> handles;
  for (std::string name; names >> name;) {
    HANDLE h = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name.c_str());
    if (!h) h = OpenMutexA(MUTEX_ALL_ACCESS, FALSE, name.c_str());
    if (!h) return "fail open " + name;
    handles.push_back(h);
  }
  std::thread([handles] {
    WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(), TRUE, INFINITE);
  }).detach();
  return "waiting";
}

// thread-own / thread-exit: a thread that owns the object until it ends,
// so that its end abandons it (object/mutex.cpp, owned_mutexes).
class owning_thread {
 public:
  std::string own() {
    if (!named_object) return "fail no object";
    if (thread_.joinable()) return "fail thread running";
    std::promise<DWORD> took;
    std::future<DWORD> result = took.get_future();
    end_ = std::promise<void>();
    thread_ = std::thread([&took, end = end_.get_future()] {
      took.set_value(WaitForSingleObject(named_object, 0));
      end.wait();
    });
    char text[40];
    std::snprintf(text, sizeof text, "owned result=0x%08x", static_cast<unsigned>(result.get()));
    return text;
  }
  std::string exit() {
    if (!thread_.joinable()) return "fail no thread";
    end_.set_value();
    thread_.join();
    return "exited";
  }

 private:
  std::thread thread_;
  std::promise<void> end_;
};

owning_thread owner_thread;

// The `stop` action: the test learns that the point is reached, then may
// act while this process cannot.
void stop_here() {
  std::cout << "stopped" << std::endl;
  ::raise(SIGSTOP);
}

std::string arm_fault(const std::string& point, const std::string& how) {
  using ntsem::sys::fault_point;
  fault_point p = fault_point::none;
  if (point == "release-unlisted") p = fault_point::mutex_release_unlisted;
  if (point == "handed-unstored") p = fault_point::mutex_handed_unstored;
  if (point == "unit-given-unstored") p = fault_point::unit_given_unstored;
  if (point == "claimed-unwoken") p = fault_point::claimed_unwoken;
  if (point == "offers-stored") p = fault_point::offers_stored;
  if (point == "returned-unstored") p = fault_point::offer_returned_unstored;
  if (point == "timed-out") p = fault_point::wait_timed_out;
  if (point == "named-published") p = fault_point::named_owned_published;
  if (point == "served-unmarked") p = fault_point::wait_all_served_unmarked;
  if (point == "served-untaken") p = fault_point::wait_all_served_untaken;
  if (point == "committed-untaken") p = fault_point::wait_all_committed_untaken;
  if (point == "entry-unqueued") p = fault_point::entry_unqueued;
  if (point == "revive-checked") p = fault_point::entry_revive_checked;
  if (p == fault_point::none || (!how.empty() && how != "stop")) return "fail point";
  ntsem::sys::arm_fault_point(p, how == "stop" ? &stop_here : nullptr);
  return "armed";
}

std::string run(const std::string& line) {
  std::istringstream in(line);
  std::string command, argument;
  in >> command >> argument;
  ntsem::shm::wait_block* block = nullptr;
  if (command == "die-in-commit") return die_in_commit(argument, in);
  if (command == "hold-lock") return hold_lock(argument);
  if (command == "let-go") {
    lock_held.held.reset();
    return "let go";
  }
  if (command == "arm-fault") {
    std::string how;
    in >> how;
    return arm_fault(argument, how);
  }
  if (command == "wait-all-thread") {
    std::istringstream names(line.substr(line.find(' ') + 1));
    return wait_all_thread(names);
  }
  if (command == "hold-semaphore" || command == "hold-mutex") {
    const HANDLE h = command == "hold-mutex"
                         ? OpenMutexA(MUTEX_ALL_ACCESS, FALSE, argument.c_str())
                         : OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, argument.c_str());
    return h ? "held" : "fail open " + std::to_string(GetLastError());
  }
  if (command == "create-owned-mutex") {
    named_object = CreateMutexA(nullptr, TRUE, argument.c_str());
    return "created err=" + std::to_string(GetLastError());
  }
  if (command == "thread-own") return owner_thread.own();
  if (command == "thread-exit") return owner_thread.exit();
  if (command == "wait-any-also") {
    std::string ms;
    in >> ms;
    return wait_any_also(argument, ms);
  }
  if (command == "open-mutex" || command == "open-semaphore" || command == "open-event" ||
      command == "wait" || command == "release-mutex" || command == "release-semaphore" ||
      command == "set-event")
    return object_command(command, argument);
  if (command == "record") return take_block("record", &block);
  if (command == "fork-record") return fork_record();
  if (command == "fork-run") return fork_run(line.substr(line.find(' ') + 1));
  if (command == "read-claim") {
    if (ntsem::names::this_thread_wait_block(&block) != STATUS_SUCCESS) return "fail block";
    const std::uint64_t claim = block->claim.load();
    char text[48];
    std::snprintf(text, sizeof text, "claim %x %x", static_cast<unsigned>(claim >> 32),
                  static_cast<unsigned>(claim & 0xFFFF'FFFFu));
    return text;
  }
  if (command == "map-record") {
    ntsem::names::record_name name;
    if (!ntsem::names::parse_record_file_name(argument, &name)) return "fail name";
    ntsem::names::record_ref record;
    char text[32];
    std::snprintf(text, sizeof text, "status 0x%08x",
                  static_cast<unsigned>(ntsem::names::map_record(name, &record)));
    return text;
  }
  if (command == "claim") {
    if (ntsem::names::this_thread_wait_block(&block) != STATUS_SUCCESS) return "fail block";
    const std::uint64_t serial = block->claim.load() & ~ntsem::shm::claim_robust_mask;
    block->claim.store(serial | ntsem::sys::current_thread_id());
    return "claimed";
  }
  if (command == "map") {
    const int fd = ::open(argument.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return "fail open";
    void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) return "fail mmap";
    mapping = static_cast<unsigned char*>(p);
    return "mapped";
  }
  if (!mapping) return "fail not mapped";
  const std::size_t offset = std::stoul(argument);
  if (offset + sizeof(ntsem::sys::robust_word) > 4096) return "fail offset";
  if (command == "push") return push(offset, 0);
  if (command == "push-waiters") return push(offset, ntsem::sys::robust_waiters);
  if (command == "remove") {
    ntsem::sys::robust_remove(word_at(offset).entry);
    return "removed";
  }
  if (command == "pending") {
    ntsem::sys::robust_word& w = word_at(offset);
    w.word.store(ntsem::sys::current_thread_id());
    ntsem::sys::robust_set_pending(&w.entry);
    return "pending";
  }
  if (command == "thread-push") {
    std::string result;
    std::thread([&] { result = push(offset, 0); }).join();
    return result == "pushed" ? "thread ended" : result;
  }
  if (command == "lock-brief" || command == "lock-listed") {
    robust_word& w = word_at(offset);
    const auto hold = command == "lock-brief" ? ntsem::sys::lock_hold::brief
                                              : ntsem::sys::lock_hold::listed;
    return ntsem::sys::robust_lock(w.word, w.entry, hold) == ntsem::sys::lock_taken::normally
               ? "locked normally"
               : "locked owner-died";
  }
  if (command == "unlock-brief" || command == "unlock-listed") {
    robust_word& w = word_at(offset);
    ntsem::sys::robust_unlock(w.word, w.entry,
                              command == "unlock-brief" ? ntsem::sys::lock_hold::brief
                                                        : ntsem::sys::lock_hold::listed);
    return "unlocked";
  }
  if (command == "lock-mutex") {
    auto* mutex = reinterpret_cast<pthread_mutex_t*>(mapping + offset);
    return ::pthread_mutex_lock(mutex) == 0 ? "locked" : "fail lock";
  }
  return "fail unknown command";
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) std::cout << run(argv[i]) << std::endl;
  std::string line;
  while (std::getline(std::cin, line))
    if (!line.empty()) std::cout << run(line) << std::endl;
  return 0;
}
