// Other processes' records, as a releaser sees them: mapped on demand by
// name, read-write, and kept mapped while anyone uses them
// (docs/wait-engine.md, "Permissions").
//
// Only records this process may write are mapped (its user's, or any for
// root).  Whoever may write a file on tmpfs may also shrink it, and a reader
// of a shrunk mapping gets SIGBUS; tmpfs files cannot be sealed against it.
// So a process maps only the records of processes that could harm it
// anyway, never another user's.
//
// A record is untrusted memory (DESIGN.md property 7): the header is checked
// once, when the record is mapped; every block index a caller takes from a
// queue entry is checked against block_count; nothing read from a block is
// ever used as a pointer or a size.
#pragma once

#include <cstdint>
#include <memory>

#include <ntsem/winternl.h>

#include "namespace/process_record.hpp"
#include "shm/process_record.hpp"

namespace ntsem::names {

class mapped_record {
 public:
  // `bytes` == 0: a mapping this object does not own (never unmapped).
  mapped_record(void* base, std::size_t bytes, std::uint32_t block_count);
  ~mapped_record();
  mapped_record(const mapped_record&) = delete;
  mapped_record& operator=(const mapped_record&) = delete;

  std::uint32_t block_count() const { return block_count_; }
  // Block `index`, or nullptr when out of range.
  shm::wait_block* block(std::uint32_t index) const;
  // Block `index`'s published wait-all, or nullptr when out of range.
  shm::published_targets* targets(std::uint32_t index) const;

 private:
  std::byte* base_;
  std::size_t bytes_;
  std::uint32_t block_count_;
};

using record_ref = std::shared_ptr<const mapped_record>;

// The record `name`, mapped.  STATUS_OBJECT_NAME_NOT_FOUND if there is no
// such record (its process exited), STATUS_FILE_CORRUPT_ERROR if the file
// is not a record of this layout, STATUS_ACCESS_DENIED if this process may
// not write it.
NTSTATUS map_record(const record_name& name, record_ref* out);

}  // namespace ntsem::names
