#include "namespace/namespace_scan.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>

#include "namespace/named_file_check.hpp"
#include "namespace/namespace_root.hpp"
#include "object/object_type.hpp"
#include "shm/named_file.hpp"

namespace ntsem::names {
namespace {

using sys::file_error;

// No object file is larger: the file of the longest name (a W name of
// max_wide_name_units units, at most 3 bytes each).  A larger file is
// refused before anything reads a length from it.
constexpr std::size_t largest_object_file = shm::named_file_bytes(3 * max_wide_name_units);

constexpr std::string_view session_prefix = "session-";

NTSTATUS failure_of(file_error e) {
  return e == file_error::access_denied ? STATUS_ACCESS_DENIED : STATUS_INSUFFICIENT_RESOURCES;
}

bool untrusted(scanned_file* info, file_state state, NTSTATUS why) {
  info->state = state;
  info->status = why;
  return false;
}

// The object's state, read through the descriptor: a snapshot that may be
// stale at once, shown only.  Left at -1 unless the slot is one of this
// layout and of the type the header says.
void read_state(const opened_file& file, scanned_file* info) {
  unsigned char bytes[sizeof(shm::object_slot)];
  if (sys::read_at(file.fd.get(), bytes, sizeof bytes, offsetof(shm::named_file, slot)) !=
      file_error::ok)
    return;
  std::uint32_t magic = 0;
  std::uint64_t state = 0;
  std::int32_t maximum = 0;
  std::memcpy(&magic, bytes + offsetof(shm::object_slot, magic), sizeof magic);
  std::memcpy(&state, bytes + offsetof(shm::object_slot, state), sizeof state);
  std::memcpy(&maximum, bytes + offsetof(shm::object_slot, maximum), sizeof maximum);
  if (magic != shm::slot_magic || bytes[offsetof(shm::object_slot, version)] != shm::layout_version ||
      bytes[offsetof(shm::object_slot, type)] != static_cast<std::uint8_t>(info->type))
    return;
  const std::uint32_t value = shm::state::value(state);
  switch (info->type) {
    case shm::object_type::semaphore:
      info->count = static_cast<std::int32_t>(value);
      info->maximum = maximum;
      break;
    case shm::object_type::event:
      info->count = object::event_ops::signaled(value) ? 1 : 0;
      info->manual_reset = object::event_ops::manual_reset(value) ? 1 : 0;
      break;
    case shm::object_type::mutex:
      info->count = object::mutex_ops::owner_of(value) == 0 ? 1 : 0;
      break;
    case shm::object_type::thread:  // never named
    case shm::object_type::none: break;
  }
}

// The directory `name` in `root` into *fd, if there is one (see
// open_scan_directory).
NTSTATUS open_existing_in(int root, const std::string& name, sys::unique_fd* fd) {
  const file_error e = sys::open_directory_in(root, name, fd);
  // Not there, or not a directory (a link is not followed): nothing in it.
  if (e == file_error::ok || e == file_error::not_found || e == file_error::other)
    return STATUS_SUCCESS;
  return failure_of(e);
}

}  // namespace

NTSTATUS open_scan_directory(scope where, const std::string& name, scan_directory* out) {
  *out = {where, name, {}};
  sys::unique_fd root;
  if (file_error e = sys::open_directory(root_path(), &root); e != file_error::ok)
    return e == file_error::not_found ? STATUS_SUCCESS : failure_of(e);
  return open_existing_in(root.get(), name, &out->fd);
}

NTSTATUS open_scan_directories(unsigned scopes, std::vector<scan_directory>* out) {
  if (scopes == 0 || (scopes & ~scan_every_scope) != 0) return STATUS_INVALID_PARAMETER;
  out->clear();
  sys::unique_fd root;
  if (file_error e = sys::open_directory(root_path(), &root); e != file_error::ok)
    return e == file_error::not_found ? STATUS_SUCCESS : failure_of(e);
  const auto add = [&](scope where, const std::string& name) {
    const bool listed = std::ranges::any_of(
        *out, [&](const scan_directory& d) { return d.name == name; });
    if (listed) return STATUS_SUCCESS;
    scan_directory d{where, name, {}};
    const NTSTATUS s = open_existing_in(root.get(), name, &d.fd);
    if (d.fd) out->push_back(std::move(d));
    return s;
  };
  NTSTATUS s = STATUS_SUCCESS;
  if (scopes & scan_global) s = add(scope::global, scope_directory_name(scope::global));
  if (s == STATUS_SUCCESS && (scopes & scan_all_sessions)) {
    std::vector<std::string> names;
    if (file_error e = sys::list_directory(root.get(), &names); e != file_error::ok)
      return failure_of(e);
    std::ranges::sort(names);
    for (const std::string& name : names)
      if (s == STATUS_SUCCESS && name.starts_with(session_prefix)) s = add(scope::session, name);
  } else if (s == STATUS_SUCCESS && (scopes & scan_session)) {
    s = add(scope::session, scope_directory_name(scope::session));
  }
  return s;
}

NTSTATUS object_file_names(const scan_directory& directory, std::vector<std::string>* out) {
  if (file_error e = sys::list_directory(directory.fd.get(), out); e != file_error::ok)
    return failure_of(e);
  std::erase_if(*out, [](const std::string& name) { return name.front() == reserved_marker; });
  std::ranges::sort(*out);
  return STATUS_SUCCESS;
}

open_outcome open_entry(const scan_directory& directory, const std::string& file_name,
                        bool want_write, opened_file* file, scanned_file* info) {
  info->where = directory.where;
  info->directory = directory.name;
  info->file_name = file_name;
  const int dir = directory.fd.get();
  sys::file_identity entry{};
  if (sys::identify_in(dir, file_name, &entry) != file_error::ok) return open_outcome::gone;
  info->owner = entry.owner;
  info->mode = entry.mode;
  // Opening anything else could block (a FIFO) or act (a device).
  if (!entry.regular) {
    untrusted(info, file_state::corrupt, STATUS_FILE_CORRUPT_ERROR);
    return open_outcome::untrusted;
  }
  file_error e = file_error::access_denied;
  if (want_write) e = sys::open_untrusted_in(dir, file_name, true, &file->fd);
  file->writable = e == file_error::ok;
  if (e == file_error::access_denied) e = sys::open_untrusted_in(dir, file_name, false, &file->fd);
  if (e == file_error::not_found) return open_outcome::gone;
  if (e != file_error::ok) {
    untrusted(info, file_state::inaccessible, failure_of(e));
    return open_outcome::untrusted;
  }
  if (sys::identify(file->fd.get(), &file->identity) != file_error::ok)
    return open_outcome::gone;
  info->owner = file->identity.owner;
  info->mode = file->identity.mode;
  if (!file->identity.regular) {  // replaced between the look and the open
    file->fd = sys::unique_fd();
    untrusted(info, file_state::corrupt, STATUS_FILE_CORRUPT_ERROR);
    return open_outcome::untrusted;
  }
  return open_outcome::opened;
}

bool describe(const opened_file& file, scanned_file* info) {
  if (file.identity.size > largest_object_file)
    return untrusted(info, file_state::corrupt, STATUS_FILE_CORRUPT_ERROR);
  named_request request;
  request.where = info->where;
  request.file_name = info->file_name;
  request.canonical_name = stored_name(file.fd.get(), file.identity.size);
  if (NTSTATUS s = validate(file.fd.get(), request); s != STATUS_SUCCESS)
    return untrusted(info, s == STATUS_REVISION_MISMATCH ? file_state::other_version
                                                         : file_state::corrupt,
                     s);
  // A valid file under another name than its own is no object: no open of
  // any name reaches it.
  const std::optional<std::u16string> name = name_from_canonical_bytes(request.canonical_name);
  if (!name || name->empty() || file_name_for(parsed_name{info->where, *name}) != info->file_name)
    return untrusted(info, file_state::corrupt, STATUS_FILE_CORRUPT_ERROR);
  info->name = display_utf8(*name);
  shm::named_file_header h{};
  if (sys::read_at(file.fd.get(), &h, sizeof h, 0) != file_error::ok)
    return untrusted(info, file_state::corrupt, STATUS_FILE_CORRUPT_ERROR);
  info->type = static_cast<shm::object_type>(h.type);
  read_state(file, info);
  return true;
}

NTSTATUS for_each_entry(
    unsigned scopes,
    const std::function<bool(const scan_directory&, const std::string& file_name)>& visit) {
  std::vector<scan_directory> directories;
  if (NTSTATUS s = open_scan_directories(scopes, &directories); s != STATUS_SUCCESS) return s;
  std::vector<std::string> names;
  for (const scan_directory& directory : directories) {
    if (NTSTATUS s = object_file_names(directory, &names); s != STATUS_SUCCESS) return s;
    for (const std::string& file_name : names)
      if (!visit(directory, file_name)) return STATUS_SUCCESS;
  }
  return STATUS_SUCCESS;
}

bool holders_listed(const sys::flock_table* locks, const opened_file& file) {
  return !locks || locks->locked(file.identity.device, file.identity.inode);
}

bool holders_listed(const opened_file& file) {
  sys::flock_table locks;
  return holders_listed(locks.read() ? &locks : nullptr, file);
}

NTSTATUS scan_namespace(unsigned scopes, const std::function<bool(const scanned_file&)>& each) {
  // One look at the machine's locks for the whole scan.
  sys::flock_table locks;
  const sys::flock_table* table = locks.read() ? &locks : nullptr;
  return for_each_entry(scopes, [&](const scan_directory& directory, const std::string& file_name) {
    scanned_file info;
    {
      opened_file file;
      const open_outcome opened = open_entry(directory, file_name, false, &file, &info);
      if (opened == open_outcome::gone) return true;
      if (opened == open_outcome::opened && describe(file, &info))
        info.state = holders_listed(table, file) ? file_state::held : file_state::leftover;
    }  // closed before the caller runs: it may do anything, this file included
    return each(info);
  });
}

}  // namespace ntsem::names
