// Process records: where each process keeps its threads' wait blocks
// (layout: shm/process_record.hpp; design: docs/wait-engine.md).
//
//   $NTSEM_ROOT/waiters/            mode 1777, like the scope directories
//     <pid>-<nonce>                 one record per process, mode 0644
//
// A process makes its record when one of its threads first needs a wait
// block, keeps it mapped until it ends, and removes it when it exits
// normally.  A process that dies otherwise leaves the file behind, with its
// liveness lock free.  The nonce (random) keeps the names of two processes
// apart even when the second reuses the first one's pid, or is the first
// one after an exec.
//
// After fork() the child has no record; its first wait block makes one of
// its own.  (It inherits the parent's mapping, which it never writes.)
#pragma once

#include <cstdint>
#include <string>

#include <ntsem/winternl.h>

#include "shm/process_record.hpp"

namespace ntsem::names {

// Wait blocks per record: threads of one process that may hold a block at
// once.
inline constexpr std::uint32_t wait_blocks_per_record = 1024;

struct record_name {
  std::uint32_t pid = 0;
  std::uint32_t nonce = 0;
  friend bool operator==(const record_name&, const record_name&) = default;
};

// "<pid>-<nonce as 8 hex digits>", and back (false for any other name).
std::string record_file_name(const record_name& name);
bool parse_record_file_name(const std::string& file_name, record_name* out);

// Whether the open file `fd` is the record `name` of this layout: a regular
// file whose header says what this build writes (magic, version, block
// offset and size, a block count no build exceeds, the pid of its name) and
// that is as large as its header says.  A record is untrusted: nothing of it
// is used before this check.  STATUS_SUCCESS with *block_count set,
// STATUS_REVISION_MISMATCH for a record of another layout version,
// STATUS_FILE_CORRUPT_ERROR for anything else.
NTSTATUS check_record_file(int fd, const record_name& name, std::uint32_t* block_count);

// The calling thread's wait block, taken from this process's record at the
// first call (which makes the record if needed) and given back when the
// thread ends.  While the thread holds it, the block's thread_id is the
// thread's id and its claim word is in the thread's robust list, so the
// kernel marks the word if the thread dies while the word holds its id.
// STATUS_NOT_SUPPORTED if the thread's robust list cannot take ntsem's
// entries; STATUS_INSUFFICIENT_RESOURCES when every block is in use or the
// record cannot be made.
NTSTATUS this_thread_wait_block(shm::wait_block** out);

// The calling thread as a waiter: its wait block (as this_thread_wait_block)
// and what a queue entry records of it.
struct waiter_identity {
  shm::wait_block* block = nullptr;
  std::uint32_t block_index = 0;
  shm::published_targets* targets = nullptr;  // the block's, in the same record
  record_name record;
  std::uint32_t thread_id = 0;
};
NTSTATUS this_thread_waiter(waiter_identity* out);

// This process's own mapping of its record, if `name` is its record's name:
// releasers in this process claim its waiters through the very words those
// waiters sleep on and read (one mapping, not two, of the same bytes).  The
// mapping lasts as long as the process.
bool own_record_mapping(const record_name& name, void** base, std::uint32_t* block_count);

// This process's record name; {0, 0} until it has a record.
record_name this_process_record_name();

enum class record_state : std::uint8_t {
  alive,    // its process holds the liveness lock
  ended,    // the file is there, its process is gone
  missing,  // no such file
  refused,  // not a record this build can read (or not readable at all)
};

// Looks at another process's record without mapping it.
record_state probe_record(const record_name& name);

// Reads the wait-all intent (shm::intent) of wait block `block` of the
// record `name`, without mapping it (any user may read a record; mapping
// one that another user could shrink is never done).  STATUS_SUCCESS,
// STATUS_OBJECT_NAME_NOT_FOUND if there is no such record, or an error
// for a record that cannot be read or trusted.
NTSTATUS read_commit_intent(const record_name& name, std::uint32_t block, std::uint64_t* intent);
// The same for the claim word (shm::claim) of wait block `block`.
NTSTATUS read_claim_word(const record_name& name, std::uint32_t block, std::uint64_t* claim);

}  // namespace ntsem::names
