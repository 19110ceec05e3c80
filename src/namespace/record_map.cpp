#include "namespace/record_map.hpp"

#include <sys/mman.h>

#include <mutex>
#include <unordered_map>

#include "namespace/namespace_root.hpp"
#include "sys/file.hpp"
#include "sys/shared_memory.hpp"

namespace ntsem::names {
namespace {

// Records kept mapped after their last user let go, for the next release
// to the same process.  Beyond this many, records nobody uses are unmapped.
constexpr std::size_t cached_records = 256;

std::uint64_t key_of(const record_name& name) {
  return (std::uint64_t{name.pid} << 32) | name.nonce;
}

struct record_cache {
  std::mutex mutex;
  std::unordered_map<std::uint64_t, record_ref> by_name;
};

record_cache& cache() {
  static record_cache* c = new record_cache;  // never destroyed
  return *c;
}

NTSTATUS open_record(const record_name& name, sys::unique_fd* fd) {
  int dir = -1;
  if (NTSTATUS s = records_directory(&dir); s != STATUS_SUCCESS) return s;
  switch (sys::open_untrusted_in(dir, record_file_name(name), true, fd)) {
    case sys::file_error::ok: return STATUS_SUCCESS;
    case sys::file_error::not_found: return STATUS_OBJECT_NAME_NOT_FOUND;
    case sys::file_error::access_denied: return STATUS_ACCESS_DENIED;
    default: return STATUS_INSUFFICIENT_RESOURCES;
  }
}

NTSTATUS map_uncached(const record_name& name, record_ref* out) {
  void* own = nullptr;
  std::uint32_t own_blocks = 0;
  if (own_record_mapping(name, &own, &own_blocks)) {
    *out = std::make_shared<const mapped_record>(own, 0, own_blocks);
    return STATUS_SUCCESS;
  }
  sys::unique_fd fd;
  if (NTSTATUS s = open_record(name, &fd); s != STATUS_SUCCESS) return s;
  std::uint32_t block_count = 0;
  // Another layout version is as unusable here as a damaged file.
  if (check_record_file(fd.get(), name, &block_count) != STATUS_SUCCESS)
    return STATUS_FILE_CORRUPT_ERROR;
  // Only the header's count, checked, decides how much is mapped.
  const std::size_t bytes = shm::process_record_bytes(block_count);
  void* base = sys::map_file(fd.get(), bytes, true);
  if (!base) return STATUS_INSUFFICIENT_RESOURCES;
  *out = std::make_shared<const mapped_record>(base, bytes, block_count);
  return STATUS_SUCCESS;
}

}  // namespace

mapped_record::mapped_record(void* base, std::size_t bytes, std::uint32_t block_count)
    : base_(static_cast<std::byte*>(base)), bytes_(bytes), block_count_(block_count) {}

mapped_record::~mapped_record() {
  if (bytes_ != 0) ::munmap(base_, bytes_);
}

shm::wait_block* mapped_record::block(std::uint32_t index) const {
  return index < block_count_ ? shm::block_in(base_, index) : nullptr;
}

shm::published_targets* mapped_record::targets(std::uint32_t index) const {
  return index < block_count_ ? shm::targets_in(base_, block_count_, index) : nullptr;
}

NTSTATUS map_record(const record_name& name, record_ref* out) {
  record_cache& c = cache();
  const std::uint64_t key = key_of(name);
  {
    std::lock_guard lock(c.mutex);
    if (auto it = c.by_name.find(key); it != c.by_name.end()) {
      *out = it->second;
      return STATUS_SUCCESS;
    }
  }
  // Mapped outside the lock: opening a file may take a while.  Two threads
  // that map the same record at once both succeed; the cache keeps one.
  record_ref fresh;
  if (NTSTATUS s = map_uncached(name, &fresh); s != STATUS_SUCCESS) return s;
  std::lock_guard lock(c.mutex);
  if (auto it = c.by_name.find(key); it != c.by_name.end()) {
    *out = it->second;
    return STATUS_SUCCESS;
  }
  if (c.by_name.size() >= cached_records)
    std::erase_if(c.by_name, [](const auto& entry) { return entry.second.use_count() == 1; });
  if (c.by_name.size() < cached_records) c.by_name.emplace(key, fresh);
  *out = std::move(fresh);
  return STATUS_SUCCESS;
}

}  // namespace ntsem::names
