#include "namespace/process_record.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <vector>

#include "namespace/dead_records.hpp"
#include "namespace/namespace_root.hpp"
#include "sys/file.hpp"
#include "sys/identity.hpp"
#include "sys/robust_list.hpp"
#include "sys/shared_memory.hpp"

namespace ntsem::names {
namespace {

constexpr mode_t record_mode = 0644;
// What a normal exit looks at of the records of processes killed before
// it, and how many of them it removes at most (remove_at_exit).
constexpr std::size_t exit_sweep_sample = 32;
constexpr std::size_t exit_sweep_limit = 4;
constexpr std::size_t record_bytes = shm::process_record_bytes(wait_blocks_per_record);
// More blocks than any build of ntsem makes: a header that claims more is
// not trusted.
constexpr std::uint32_t max_blocks = 1u << 16;
static_assert(wait_blocks_per_record <= max_blocks);

NTSTATUS status_of(sys::file_error e) {
  switch (e) {
    case sys::file_error::ok: return STATUS_SUCCESS;
    case sys::file_error::access_denied: return STATUS_ACCESS_DENIED;
    default: return STATUS_INSUFFICIENT_RESOURCES;
  }
}

// Field 22 of /proc/self/stat: when the process started, in clock ticks
// after boot (0 if unreadable: it only helps tools tell processes apart).
std::uint64_t start_time() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold blanks and parentheses: count the
  // fields after its last ')'.
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  const char* p = text.c_str() + close + 1;
  for (int field = 3; field < 22 && *p; ++p)
    if (*p == ' ') ++field;
  return std::strtoull(p, nullptr, 10);
}

shm::process_record_header header_for(std::uint32_t pid) {
  shm::process_record_header h{};
  std::memcpy(h.magic, shm::process_record_magic, sizeof h.magic);
  h.version = shm::process_record_version;
  h.block_offset = static_cast<std::uint32_t>(shm::process_record_block_offset);
  h.block_size = sizeof(shm::wait_block);
  h.block_count = wait_blocks_per_record;
  h.pid = pid;
  h.targets_size = sizeof(shm::published_targets);
  h.start_time = start_time();
  return h;
}

// This process's record.  Everything here is guarded by `mutex`; the
// blocks' shared fields are the protocol's (shm/process_record.hpp).
struct own_record {
  std::mutex mutex;
  // Bumped in the child after fork(): blocks taken before belong to the
  // parent's record, and the child's robust list starts empty (glibc resets
  // it), so a holder of an older generation must leave its block alone.
  std::uint64_t generation = 1;
  int fd = -1;  // holds the liveness lock; never closed while the record lives
  record_name name;
  shm::wait_block* blocks = nullptr;
  std::uint32_t used = 0;           // blocks [0, used) have been handed out once
  std::vector<std::uint32_t> free;  // given back, to hand out again
};

own_record& record() {
  static own_record* r = new own_record;  // never destroyed: threads outlive statics
  return *r;
}

// Removes this process's record at a normal exit.  A forked child that has
// not made its own has nothing to remove (the name is the parent's).
void remove_at_exit() {
  {
    own_record& r = record();
    std::lock_guard lock(r.mutex);
    if (r.fd < 0 || r.name.pid != static_cast<std::uint32_t>(::getpid())) return;
    int dir = -1;
    if (records_directory(&dir) != STATUS_SUCCESS) return;
    sys::unlink_in(dir, record_file_name(r.name));
  }
  // A killed process cannot remove its own record; a process that exits
  // normally removes a few of those (dead_records.hpp).  Bounded, so that
  // an exit costs at most some tens of system calls however many records
  // there are.
  sweep_dead_records(exit_sweep_sample, exit_sweep_limit);
}

// Around fork(): the record's mutex is held across it, so that the child's
// copy is not left locked by a thread the child does not have.
void lock_before_fork() { record().mutex.lock(); }
void unlock_after_fork() { record().mutex.unlock(); }

// In the child after fork(): forget the parent's record.  Its descriptor is
// the parent's open file description, so closing this copy keeps the
// parent's lock; the mapping stays, unused.
void forget_after_fork() {
  own_record& r = record();
  ++r.generation;
  if (r.fd >= 0) ::close(r.fd);
  r.fd = -1;
  r.name = {};
  r.blocks = nullptr;
  r.used = 0;
  r.free.clear();
  r.mutex.unlock();
}

// Makes the record file, locked and linked, and maps it.  Called holding
// r.mutex.  The file is written and locked before it gets its name, so
// nobody ever sees a record without its header or its liveness lock.
NTSTATUS make_record(own_record& r) {
  int dir = -1;
  if (NTSTATUS s = records_directory(&dir); s != STATUS_SUCCESS) return s;
  sys::unique_fd fd;
  sys::file_error e = sys::create_unnamed_in(dir, record_mode, &fd);
  // The umask narrows the creation mode; others must be able to read.
  if (e == sys::file_error::ok) e = sys::set_mode(fd.get(), record_mode);
  if (e == sys::file_error::ok) e = sys::set_size(fd.get(), record_bytes);
  const auto pid = static_cast<std::uint32_t>(::getpid());
  const shm::process_record_header header = header_for(pid);
  if (e == sys::file_error::ok) e = sys::write_at(fd.get(), &header, sizeof header, 0);
  if (e == sys::file_error::ok)
    e = sys::try_lock_byte(fd.get(), shm::process_record_liveness_byte, sys::lock_kind::exclusive);
  if (e != sys::file_error::ok) return status_of(e);
  record_name name{pid, 0};
  // A taken name is another process's (or this one's before an exec):
  // draw again.
  for (int attempt = 0;; ++attempt) {
    name.nonce = sys::random_number();
    e = sys::link_into(fd.get(), dir, record_file_name(name));
    if (e != sys::file_error::exists || attempt == 8) break;
  }
  if (e != sys::file_error::ok) return status_of(e);
  void* mapping = sys::map_file(fd.get(), record_bytes, true);
  if (!mapping) {
    sys::unlink_in(dir, record_file_name(name));
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  static std::once_flag hooks;
  std::call_once(hooks, [] {
    std::atexit(remove_at_exit);
    ::pthread_atfork(lock_before_fork, unlock_after_fork, forget_after_fork);
  });
  r.fd = fd.release();
  r.name = name;
  r.blocks = reinterpret_cast<shm::wait_block*>(static_cast<std::byte*>(mapping) +
                                                shm::process_record_block_offset);
  return STATUS_SUCCESS;
}

// The calling thread's hold on a wait block; gives it back when the thread
// ends (thread_local destructor), unless a fork made it the parent's.
class block_hold {
 public:
  ~block_hold() { give_back(); }

  // The block's index and the record's name, once get() has succeeded.
  std::uint32_t index() const { return index_; }
  const record_name& record_of_block() const { return name_; }

  NTSTATUS get(shm::wait_block** out) {
    if (block_ && generation_ == record().generation) {
      *out = block_;
      return STATUS_SUCCESS;
    }
    block_ = nullptr;  // the parent's, after a fork: not ours to touch
    if (!sys::robust_list_usable()) return STATUS_NOT_SUPPORTED;
    own_record& r = record();
    std::lock_guard lock(r.mutex);
    if (r.fd < 0)
      if (NTSTATUS s = make_record(r); s != STATUS_SUCCESS) return s;
    std::uint32_t index;
    if (!r.free.empty()) {
      index = r.free.back();
      r.free.pop_back();
    } else if (r.used < wait_blocks_per_record) {
      index = r.used++;
    } else {
      return STATUS_INSUFFICIENT_RESOURCES;
    }
    shm::wait_block& b = r.blocks[index];
    // Not waiting: the robust half holds no thread id, so the kernel leaves
    // it alone; the serial (high half) carries on from the last user.
    b.claim.store(b.claim.load() & ~shm::claim_robust_mask);
    b.thread_id.store(sys::current_thread_id());
    sys::robust_push(b.entry);
    block_ = &b;
    index_ = index;
    name_ = r.name;
    generation_ = r.generation;
    *out = block_;
    return STATUS_SUCCESS;
  }

 private:
  void give_back() {
    if (!block_) return;
    own_record& r = record();
    std::lock_guard lock(r.mutex);
    if (generation_ != r.generation) return;
    sys::robust_remove(block_->entry);
    block_->thread_id.store(0);
    r.free.push_back(index_);
    block_ = nullptr;
  }

  shm::wait_block* block_ = nullptr;
  std::uint32_t index_ = 0;
  record_name name_;
  std::uint64_t generation_ = 0;
};

block_hold& this_thread_hold() {
  thread_local block_hold hold;
  return hold;
}

}  // namespace

std::string record_file_name(const record_name& name) {
  char text[32];
  std::snprintf(text, sizeof text, "%" PRIu32 "-%08" PRIx32, name.pid, name.nonce);
  return text;
}

bool parse_record_file_name(const std::string& file_name, record_name* out) {
  unsigned pid = 0, nonce = 0;
  int used = 0;
  if (std::sscanf(file_name.c_str(), "%u-%8x%n", &pid, &nonce, &used) != 2) return false;
  const record_name name{pid, nonce};
  // Exactly the canonical spelling: no sign, no leading zeros, no tail.
  if (static_cast<std::size_t>(used) != file_name.size() || record_file_name(name) != file_name)
    return false;
  *out = name;
  return true;
}

NTSTATUS this_thread_wait_block(shm::wait_block** out) { return this_thread_hold().get(out); }

NTSTATUS this_thread_waiter(waiter_identity* out) {
  block_hold& hold = this_thread_hold();
  if (NTSTATUS s = hold.get(&out->block); s != STATUS_SUCCESS) return s;
  out->block_index = hold.index();
  // The record's mapping starts where block 0's offset says.
  std::byte* base = reinterpret_cast<std::byte*>(out->block - out->block_index) -
                    shm::process_record_block_offset;
  out->targets = shm::targets_in(base, wait_blocks_per_record, out->block_index);
  out->record = hold.record_of_block();
  out->thread_id = out->block->thread_id.load(std::memory_order_relaxed);
  return STATUS_SUCCESS;
}

bool own_record_mapping(const record_name& name, void** base, std::uint32_t* block_count) {
  own_record& r = record();
  std::lock_guard lock(r.mutex);
  if (!r.blocks || !(r.name == name)) return false;
  *base = reinterpret_cast<std::byte*>(r.blocks) - shm::process_record_block_offset;
  *block_count = wait_blocks_per_record;
  return true;
}

record_name this_process_record_name() {
  own_record& r = record();
  std::lock_guard lock(r.mutex);
  return r.name;
}

NTSTATUS check_record_file(int fd, const record_name& name, std::uint32_t* block_count) {
  sys::file_identity id{};
  shm::process_record_header h{};
  if (sys::identify(fd, &id) != sys::file_error::ok || !id.regular || id.size < sizeof h ||
      sys::read_at(fd, &h, sizeof h, 0) != sys::file_error::ok ||
      std::memcmp(h.magic, shm::process_record_magic, sizeof h.magic) != 0)
    return STATUS_FILE_CORRUPT_ERROR;
  if (h.version != shm::process_record_version) return STATUS_REVISION_MISMATCH;
  if (h.block_offset != shm::process_record_block_offset ||
      h.block_size != sizeof(shm::wait_block) ||
      h.targets_size != sizeof(shm::published_targets) || h.block_count == 0 ||
      h.block_count > max_blocks || h.pid != name.pid ||
      id.size < shm::process_record_bytes(h.block_count))
    return STATUS_FILE_CORRUPT_ERROR;
  *block_count = h.block_count;
  return STATUS_SUCCESS;
}

record_state probe_record(const record_name& name) {
  int dir = -1;
  if (records_directory(&dir) != STATUS_SUCCESS) return record_state::refused;
  sys::unique_fd fd;
  const sys::file_error e = sys::open_untrusted_in(dir, record_file_name(name), false, &fd);
  if (e == sys::file_error::not_found) return record_state::missing;
  std::uint32_t block_count = 0;
  if (e != sys::file_error::ok || check_record_file(fd.get(), name, &block_count) != STATUS_SUCCESS)
    return record_state::refused;
  switch (sys::probe_lock_byte(fd.get(), shm::process_record_liveness_byte,
                               sys::lock_kind::shared)) {
    case sys::file_error::would_block: return record_state::alive;
    case sys::file_error::ok: return record_state::ended;
    default: return record_state::refused;
  }
}

namespace {

// The 64-bit word at `offset` in wait block `block` of record `name`, read
// with pread (the record is never mapped here).
NTSTATUS read_block_word(const record_name& name, std::uint32_t block, std::size_t offset,
                         std::uint64_t* out) {
  int dir = -1;
  if (NTSTATUS s = records_directory(&dir); s != STATUS_SUCCESS) return s;
  sys::unique_fd fd;
  const sys::file_error e = sys::open_untrusted_in(dir, record_file_name(name), false, &fd);
  if (e == sys::file_error::not_found) return STATUS_OBJECT_NAME_NOT_FOUND;
  if (e != sys::file_error::ok) return STATUS_ACCESS_DENIED;
  std::uint32_t block_count = 0;
  if (NTSTATUS s = check_record_file(fd.get(), name, &block_count); s != STATUS_SUCCESS) return s;
  if (block >= block_count) return STATUS_FILE_CORRUPT_ERROR;
  std::uint64_t value = 0;
  const std::size_t at =
      shm::process_record_block_offset + std::size_t{block} * sizeof(shm::wait_block) + offset;
  if (sys::read_at(fd.get(), &value, sizeof value, at) != sys::file_error::ok)
    return STATUS_FILE_CORRUPT_ERROR;
  *out = value;
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS read_commit_intent(const record_name& name, std::uint32_t block, std::uint64_t* intent) {
  return read_block_word(name, block, offsetof(shm::wait_block, intent), intent);
}

NTSTATUS read_claim_word(const record_name& name, std::uint32_t block, std::uint64_t* claim) {
  return read_block_word(name, block, offsetof(shm::wait_block, claim), claim);
}

}  // namespace ntsem::names
