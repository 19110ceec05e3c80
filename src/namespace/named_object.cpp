#include "namespace/named_object.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <unordered_map>

#include "namespace/named_file_check.hpp"
#include "object/object_type.hpp"
#include "shm/named_file.hpp"
#include "sys/file.hpp"
#include "sys/shared_memory.hpp"

namespace ntsem::names {
namespace {

using sys::file_error;
using sys::lock_kind;

// One process's hold on one named object (see named_object.hpp).  The home
// comes first: the last reference's release finds the view from it.
struct named_view : object::object_home {
  sys::unique_fd file;
  shm::named_file* mapping = nullptr;
  int directory = -1;
  std::string key;        // scope + file name: the view table's key
  std::string file_name;  // in `directory`
};

void release_view(object::object_home& home);
const object::home_operations named_home{release_view};
void leave_all_at_exit();

// Address space for views, one page each.  Pages are handed out in order and
// reused first-in first-out once the range has been used, so a stale handle
// that races a close keeps reading the zero page that replaced its view for
// as long as possible.  2^20 pages (4 GiB of address space, no memory).
constexpr std::size_t view_pages = std::size_t{1} << 20;
constexpr std::size_t page = shm::named_file_mapped_bytes;

class view_table {
 public:
  std::mutex mutex;
  std::unordered_map<std::string, named_view*> by_key;
  std::size_t live = 0;

  // Under mutex.  nullptr when out of address space.
  void* take_page() {
    if (!base_) base_ = static_cast<std::byte*>(sys::reserve_address_space(view_pages * page));
    if (!base_) return nullptr;
    if (fresh_ < view_pages) return base_ + page * fresh_++;
    if (free_pages_.empty()) return nullptr;
    void* p = free_pages_.front();
    free_pages_.pop_front();
    return p;
  }
  // Under mutex.  View records are reused: their home's generation keeps
  // stale references out.
  named_view* take_view() {
    if (free_views_.empty()) return new (std::nothrow) named_view;
    named_view* v = free_views_.front();
    free_views_.pop_front();
    return v;
  }
  void give_back(named_view* v, void* p) {
    free_views_.push_back(v);
    if (p) free_pages_.push_back(p);
  }

 private:
  std::byte* base_ = nullptr;
  std::size_t fresh_ = 0;
  std::deque<void*> free_pages_;
  std::deque<named_view*> free_views_;
};

view_table& views() {
  static view_table* t = new view_table;  // never destroyed
  return *t;
}

std::string key_of(const named_request& r) {
  return (r.where == scope::global ? "G" : "S") + r.file_name;
}

NTSTATUS status_of(file_error e) {
  switch (e) {
    case file_error::ok: return STATUS_SUCCESS;
    case file_error::not_found: return STATUS_OBJECT_NAME_NOT_FOUND;
    case file_error::exists: return STATUS_OBJECT_NAME_COLLISION;
    case file_error::access_denied: return STATUS_ACCESS_DENIED;
    case file_error::no_descriptors:
    case file_error::no_space: return STATUS_INSUFFICIENT_RESOURCES;
    case file_error::would_block:
    case file_error::other: break;
  }
  return STATUS_INSUFFICIENT_RESOURCES;
}

std::size_t file_size_for(const named_request& r) {
  // At least the mapped page, so that every byte a holder maps is backed.
  return std::max(page, shm::named_file_name_offset + r.canonical_name.size());
}

// Writes a new object into `fd`, sized already (an unnamed file, or a
// leftover that this process holds exclusively): header, slot and name in one
// write.  Writing through the descriptor, not a mapping, spares the TLB
// flush that unmapping a touched page costs (about 55 us on this machine,
// measured with bench/named_bench.cpp).
file_error write_object(int fd, const named_request& r) {
  shm::named_file_header h{};
  std::memcpy(h.magic, shm::named_file_magic, sizeof h.magic);
  h.version = shm::named_file_version;
  h.slot_offset = offsetof(shm::named_file, slot);
  h.name_offset = shm::named_file_name_offset;
  h.name_bytes = static_cast<std::uint32_t>(r.canonical_name.size());
  h.type = static_cast<std::uint8_t>(r.type);
  shm::object_slot slot{};
  slot.magic = shm::slot_magic;
  slot.version = shm::layout_version;
  slot.type = static_cast<std::uint8_t>(r.type);
  if (r.initialize) r.initialize(slot);
  // Incarnation 1: nobody holds this file, so no handle refers to it.
  slot.state.store(shm::state::make(1, r.initial_value), std::memory_order_relaxed);
  // The bytes of the file's start, read through unsigned char (the object
  // representation of the atomics is their value: they are lock-free).
  std::string bytes(shm::named_file_name_offset + r.canonical_name.size(), '\0');
  std::memcpy(bytes.data(), &h, sizeof h);
  const auto* slot_bytes = reinterpret_cast<const unsigned char*>(&slot);
  std::copy(slot_bytes, slot_bytes + sizeof slot, bytes.begin() + sizeof h);
  std::copy(r.canonical_name.begin(), r.canonical_name.end(),
            bytes.begin() + static_cast<std::ptrdiff_t>(shm::named_file_name_offset));
  return sys::write_at(fd, bytes.data(), bytes.size(), 0);
}

}  // namespace

// Checks that an existing file is one this build can trust and holds the
// requested name; the type is checked apart (see join).  Reads through the
// descriptor, before anything is mapped.
NTSTATUS validate(int fd, const named_request& r) {
  sys::file_identity id{};
  if (sys::identify(fd, &id) != file_error::ok || id.size < sizeof(shm::named_file))
    return STATUS_FILE_CORRUPT_ERROR;
  shm::named_file_header h{};
  if (sys::read_at(fd, &h, sizeof h, 0) != file_error::ok) return STATUS_FILE_CORRUPT_ERROR;
  if (std::memcmp(h.magic, shm::named_file_magic, sizeof h.magic) != 0)
    return STATUS_FILE_CORRUPT_ERROR;
  if (h.version != shm::named_file_version) return STATUS_REVISION_MISMATCH;
  if (h.slot_offset != offsetof(shm::named_file, slot) ||
      h.name_offset != shm::named_file_name_offset || id.size < page ||
      h.name_bytes > id.size - shm::named_file_name_offset)
    return STATUS_FILE_CORRUPT_ERROR;
  if (!object::is_known_type(h.type)) return STATUS_FILE_CORRUPT_ERROR;
  std::string name(h.name_bytes, '\0');
  if (sys::read_at(fd, name.data(), name.size(), shm::named_file_name_offset) != file_error::ok ||
      name != r.canonical_name)
    return STATUS_FILE_CORRUPT_ERROR;
  return STATUS_SUCCESS;
}

namespace {

// A held object of another type owns the name (validate() read the header
// already; read its type again under the gate).
NTSTATUS held_type_matches(int fd, const named_request& r) {
  shm::named_file_header h{};
  if (sys::read_at(fd, &h, sizeof h, 0) != file_error::ok) return STATUS_FILE_CORRUPT_ERROR;
  return h.type == static_cast<std::uint8_t>(r.type) ? STATUS_SUCCESS
                                                    : STATUS_OBJECT_TYPE_MISMATCH;
}

// Checks the mapped slot (the header was checked by validate()).
NTSTATUS validate_slot(const shm::named_file& f, const named_request& r) {
  if (f.slot.magic != shm::slot_magic || f.slot.version != shm::layout_version ||
      f.slot.type != static_cast<std::uint8_t>(r.type))
    return STATUS_FILE_CORRUPT_ERROR;
  if (shm::state::incarnation(f.slot.state.load(std::memory_order_acquire)) == 0)
    return STATUS_FILE_CORRUPT_ERROR;
  return STATUS_SUCCESS;
}

// Maps `fd` into a fresh view and registers it (or, if another thread of
// this process registered the same object meanwhile, uses that one).
// Called with the gate held.
NTSTATUS make_view(const named_request& r, int directory, sys::unique_fd fd, bool created,
                   object::object_ref* out) {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  const std::string key = key_of(r);
  if (auto it = t.by_key.find(key); it != t.by_key.end()) {
    named_view* v = it->second;
    object::object_ref ref{&v->mapping->slot,
                           shm::state::incarnation(v->mapping->slot.state.load()), v,
                           object::life::generation(v->life.load())};
    if (object::add_ref(ref)) {
      *out = ref;
      return STATUS_OBJECT_NAME_EXISTS;  // `fd` closes, its locks go with it
    }
  }
  // Windows closes every handle of a process that ends; a process that
  // exits normally does the same here, so that it leaves no file behind.
  // (A killed one cannot: its leftovers are reclaimed by the next user.)
  static const bool at_exit_registered = std::atexit(leave_all_at_exit) == 0;
  (void)at_exit_registered;
  void* address = t.take_page();
  named_view* v = address ? t.take_view() : nullptr;
  if (!v) return STATUS_INSUFFICIENT_RESOURCES;
  if (!sys::map_shared_at(address, page, fd.get())) {
    t.give_back(v, address);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  auto* mapping = static_cast<shm::named_file*>(address);
  if (!created) {
    if (NTSTATUS s = validate_slot(*mapping, r); s != STATUS_SUCCESS) {
      sys::unmap_to_zero_page(address, page);
      t.give_back(v, address);
      return s;
    }
  }
  v->file = std::move(fd);
  v->mapping = mapping;
  v->directory = directory;
  v->key = key;
  v->file_name = r.file_name;
  t.by_key[key] = v;
  ++t.live;
  const std::uint32_t generation = object::start_home(*v, named_home);
  *out = {&mapping->slot, shm::state::incarnation(mapping->slot.state.load()), v, generation};
  return created ? STATUS_SUCCESS : STATUS_OBJECT_NAME_EXISTS;
}

// A new object under the requested name.  STATUS_OBJECT_NAME_COLLISION if
// another process linked the name first (the caller then joins it).
NTSTATUS create(const named_request& r, int directory, object::object_ref* out) {
  sys::unique_fd fd;
  file_error e = sys::create_unnamed_in(directory, r.mode, &fd);
  // The umask narrows the creation mode; fchmod sets exactly what was asked.
  if (e == file_error::ok) e = sys::set_mode(fd.get(), r.mode);
  if (e == file_error::ok) e = sys::set_size(fd.get(), file_size_for(r));
  if (e == file_error::ok) e = write_object(fd.get(), r);
  if (e != file_error::ok) return status_of(e);
  // Holders shared and the gate, before anyone can see the file.
  if (sys::try_lock_byte(fd.get(), shm::holders_lock_byte, lock_kind::shared) != file_error::ok ||
      sys::try_lock_byte(fd.get(), shm::gate_lock_byte, lock_kind::exclusive) != file_error::ok)
    return STATUS_INSUFFICIENT_RESOURCES;
  e = sys::link_into(fd.get(), directory, r.file_name);
  if (e != file_error::ok) return status_of(e);
  const int raw = fd.get();
  NTSTATUS s = make_view(r, directory, std::move(fd), true, out);
  if (NT_SUCCESS(s))
    sys::try_lock_byte(raw, shm::gate_lock_byte, lock_kind::none);
  else
    sys::unlink_in(directory, r.file_name);  // still holding the gate: nobody joined
  return s;
}

// Reclaims a file that nobody holds (its holders died).  Called with the gate
// and holders locked exclusively.  Re-makes it for a create; unlinks it for
// an open-only.
NTSTATUS reclaim(const named_request& r, int directory, sys::unique_fd fd,
                 object::object_ref* out) {
  if (r.open_only) {
    sys::unlink_in(directory, r.file_name);
    return STATUS_OBJECT_NAME_NOT_FOUND;
  }
  // Emptied first, so that nothing of the old object survives.
  file_error e = sys::set_size(fd.get(), 0);
  if (e == file_error::ok) e = sys::set_size(fd.get(), file_size_for(r));
  if (e == file_error::ok) e = write_object(fd.get(), r);
  if (e != file_error::ok ||
      sys::try_lock_byte(fd.get(), shm::holders_lock_byte, lock_kind::shared) != file_error::ok)
    return STATUS_INSUFFICIENT_RESOURCES;
  if (sys::set_mode(fd.get(), r.mode) != file_error::ok) return STATUS_ACCESS_DENIED;
  return make_view(r, directory, std::move(fd), true, out);
}

// Joins the object in an existing file.  STATUS_PENDING: the file was
// unlinked meanwhile; look the name up again.
NTSTATUS join(const named_request& r, int directory, sys::unique_fd fd, object::object_ref* out) {
  if (sys::wait_lock_byte(fd.get(), shm::gate_lock_byte, lock_kind::exclusive) != file_error::ok)
    return STATUS_INSUFFICIENT_RESOURCES;
  sys::file_identity id{};
  if (sys::identify(fd.get(), &id) != file_error::ok) return STATUS_INSUFFICIENT_RESOURCES;
  if (id.links == 0) return STATUS_PENDING;  // its last holder left; closing fd drops the gate
  // A file this build cannot trust is refused and left alone, held or not.
  if (NTSTATUS s = validate(fd.get(), r); s != STATUS_SUCCESS) return s;
  if (sys::try_lock_byte(fd.get(), shm::holders_lock_byte, lock_kind::exclusive) ==
      file_error::ok)
    return reclaim(r, directory, std::move(fd), out);
  if (NTSTATUS s = held_type_matches(fd.get(), r); s != STATUS_SUCCESS) return s;
  if (sys::try_lock_byte(fd.get(), shm::holders_lock_byte, lock_kind::shared) != file_error::ok)
    return STATUS_INSUFFICIENT_RESOURCES;
  const int raw = fd.get();
  NTSTATUS s = make_view(r, directory, std::move(fd), false, out);
  if (s == STATUS_OBJECT_NAME_EXISTS) sys::try_lock_byte(raw, shm::gate_lock_byte, lock_kind::none);
  return s;
}

void release_view(object::object_home& home) {
  auto& v = static_cast<named_view&>(home);
  view_table& t = views();
  {
    std::lock_guard lock(t.mutex);
    if (auto it = t.by_key.find(v.key); it != t.by_key.end() && it->second == &v)
      t.by_key.erase(it);
  }
  // INV-NAMED: under the gate, unlink only as the last holder anywhere.
  const int fd = v.file.get();
  if (sys::wait_lock_byte(fd, shm::gate_lock_byte, lock_kind::exclusive) == file_error::ok &&
      sys::try_lock_byte(fd, shm::holders_lock_byte, lock_kind::exclusive) == file_error::ok)
    sys::unlink_in(v.directory, v.file_name);
  void* address = v.mapping;
  // A stale handle racing this close reads zeros from now on (incarnation 0
  // matches no object) instead of faulting on an unmapped page.
  sys::unmap_to_zero_page(address, page);
  v.file = sys::unique_fd();  // closing drops every lock this view held
  v.mapping = nullptr;
  std::lock_guard lock(t.mutex);
  t.give_back(&v, address);
  --t.live;
}

// At a normal exit: the leave step for every view still held, without
// unmapping or closing anything (other threads may still be running; the
// kernel closes the files, and with them the locks, a moment later).
void leave_all_at_exit() {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  for (auto& [key, v] : t.by_key) {
    const int fd = v->file.get();
    if (sys::wait_lock_byte(fd, shm::gate_lock_byte, lock_kind::exclusive) == file_error::ok &&
        sys::try_lock_byte(fd, shm::holders_lock_byte, lock_kind::exclusive) == file_error::ok)
      sys::unlink_in(v->directory, v->file_name);
  }
}

}  // namespace

NTSTATUS open_named(const named_request& r, object::object_ref* out) {
  int directory = -1;
  if (NTSTATUS s = scope_directory(r.where, &directory); s != STATUS_SUCCESS) return s;
  {
    // Already held by this process: one more reference to the same view.
    view_table& t = views();
    std::lock_guard lock(t.mutex);
    if (auto it = t.by_key.find(key_of(r)); it != t.by_key.end()) {
      named_view* v = it->second;
      if (v->mapping->header.type != static_cast<std::uint8_t>(r.type))
        return STATUS_OBJECT_TYPE_MISMATCH;
      object::object_ref ref{&v->mapping->slot,
                             shm::state::incarnation(v->mapping->slot.state.load()), v,
                             object::life::generation(v->life.load())};
      if (object::add_ref(ref)) {
        *out = ref;
        return STATUS_OBJECT_NAME_EXISTS;
      }
    }
  }
  for (;;) {
    sys::unique_fd fd;
    file_error e = sys::open_in(directory, r.file_name, true, &fd);
    if (e == file_error::not_found) {
      if (r.open_only) return STATUS_OBJECT_NAME_NOT_FOUND;
      NTSTATUS s = create(r, directory, out);
      if (s != STATUS_OBJECT_NAME_COLLISION) return s;
      continue;  // another process created it first: join theirs
    }
    if (e != file_error::ok) return status_of(e);
    NTSTATUS s = join(r, directory, std::move(fd), out);
    if (s != STATUS_PENDING) return s;
  }
}

std::size_t live_views() {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  return t.live;
}

}  // namespace ntsem::names
