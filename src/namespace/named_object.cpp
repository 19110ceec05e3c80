#include "namespace/named_object.hpp"

#include <pthread.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <new>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "namespace/named_file_check.hpp"
#include "object/object_type.hpp"
#include "shm/named_file.hpp"
#include "sys/fault_point.hpp"
#include "sys/file.hpp"
#include "sys/identity.hpp"
#include "sys/robust_list.hpp"
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
  // Fixed while the view lives: what the object's descriptor grants this
  // process (its class of user of the file), the object's type and its
  // incarnation (kept here so that finding the view touches no shared page).
  ACCESS_MASK granted = 0;
  shm::object_type type = shm::object_type::none;
  std::uint32_t incarnation = 0;
  // The file's owner, group and mode when the view was made, which its
  // descriptor's opening checked; a parked view is joined again only if
  // they are unchanged (INV-PARK).
  uid_t owner = 0;
  gid_t group = 0;
  mode_t mode = 0;
  // Made in a parent before fork() and not held again here (INV-FORK): its
  // lock is the parent's, which this process never lets go of.
  bool parents_hold = false;
};

void release_view(object::object_home& home);
const object::home_operations named_home{release_view};
void leave_all_at_exit();
void lock_views_for_fork();
void unlock_views_after_fork();
void hold_views_after_fork();

// Address space for views, one page each.  Pages are handed out in order and
// reused first-in first-out once the range has been used, so a stale handle
// that races a close keeps reading the zero page that replaced its view for
// as long as possible.  2^20 pages (4 GiB of address space, no memory).
constexpr std::size_t view_pages = std::size_t{1} << 20;
constexpr std::size_t page = shm::named_file_mapped_bytes;

// Parked views (INV-PARK, named_object.hpp): at least the park_capacity
// most recent are kept.  Each keeps a descriptor and its page of address
// space.  The oldest leave in batches of retire_batch, once that many more
// have gathered: views made one after another have neighbouring pages and,
// mostly, neighbouring descriptor numbers, so one mmap() replaces a batch's
// run of pages by zeros and one close_range() closes its descriptors (two
// calls instead of sixteen; on this machine the cost of a call is mostly
// its entry, docs/benchmarks.md).
constexpr std::size_t park_capacity = 16;
constexpr std::size_t retire_batch = 8;

class view_table {
 public:
  std::mutex mutex;
  std::unordered_map<std::string, named_view*> by_key;
  // The same views by their object's location (names::reference_at).
  std::map<object::object_location, named_view*> by_location;
  std::size_t live = 0;
  // The parked views, oldest first.
  std::deque<named_view*> parked;

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

// Ends views that hold their objects no more (left, or parked and then
// evicted): a stale handle racing the close reads zeros from now on
// (incarnation 0 matches no object) instead of faulting on an unmapped
// page; closing the descriptor drops every lock the view held.  Views whose
// pages follow one another are replaced by zeros in one call; only their
// own pages are (each view has a page of its own, so a run of neighbouring
// pages is a run of these views).
void retire(std::span<named_view* const> batch) {
  std::vector<void*> pages;
  pages.reserve(batch.size());
  for (named_view* v : batch) pages.push_back(v->mapping);
  std::sort(pages.begin(), pages.end());
  for (std::size_t run = 0; run < pages.size();) {
    std::size_t end = run + 1;
    while (end < pages.size() &&
           static_cast<std::byte*>(pages[end]) == static_cast<std::byte*>(pages[end - 1]) + page)
      ++end;
    sys::unmap_to_zero_page(pages[run], page * (end - run));
    run = end;
  }
  std::vector<int> files;
  files.reserve(batch.size());
  for (named_view* v : batch)
    if (v->file) files.push_back(v->file.release());
  sys::close_all(std::move(files));
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  for (named_view* v : batch) t.give_back(v, std::exchange(v->mapping, nullptr));
}
void retire(named_view* v) { retire(std::span<named_view* const>(&v, 1)); }

// Parks a view whose object other processes still hold; once the park is
// full, its retire_batch oldest views make room.
void park(named_view* v) {
  view_table& t = views();
  std::array<named_view*, retire_batch> evicted{};
  std::size_t count = 0;
  {
    std::lock_guard lock(t.mutex);
    t.parked.push_back(v);
    if (t.parked.size() >= park_capacity + retire_batch) {
      for (; count < retire_batch; ++count) {
        evicted[count] = t.parked.front();
        t.parked.pop_front();
      }
    }
  }
  retire(std::span<named_view* const>(evicted.data(), count));
}

// A parked view taken out of the park to be joined again: make_view reuses
// its record and mapping if the join makes a view; otherwise it is retired.
class unparked {
 public:
  explicit unparked(named_view* v) : v_(v) {}
  ~unparked() {
    if (v_) retire(v_);
  }
  unparked(const unparked&) = delete;
  unparked& operator=(const unparked&) = delete;

  named_view* get() const { return v_; }
  named_view* release() { return std::exchange(v_, nullptr); }

 private:
  named_view* v_ = nullptr;
};

// Takes the parked view of `key` out of the park, if there is one.
named_view* take_parked(const std::string& key) {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  auto it = std::find_if(t.parked.begin(), t.parked.end(),
                         [&](const named_view* v) { return v->key == key; });
  if (it == t.parked.end()) return nullptr;
  named_view* found = *it;
  t.parked.erase(it);
  return found;
}

// Every named object's file starts, and stays, at this incarnation: handles
// to it cannot outlive the process's view, whose generation guards them.
constexpr std::uint32_t new_file_incarnation = 1;

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
  // At least what a holder maps, so that every byte it maps is backed.
  return shm::named_file_bytes(r.canonical_name.size());
}

// Writes a new object into `fd`, sized already (an unnamed file, or a
// leftover that this process holds exclusively): header, slot and a short
// name in one write (a long one in a second).  Writing through the descriptor, not a mapping, spares the TLB
// flush that unmapping a touched page costs (about 55 us on this machine,
// measured with bench/named_bench.cpp).
file_error write_object(int fd, const named_request& r) {
  shm::named_file_header h{};
  std::memcpy(h.magic, shm::named_file_magic, sizeof h.magic);
  h.version = shm::named_file_version;
  h.slot_offset = offsetof(shm::named_file, slot);
  const std::size_t name_offset = shm::named_file_name_offset_for(r.canonical_name.size());
  h.name_offset = static_cast<std::uint32_t>(name_offset);
  h.name_bytes = static_cast<std::uint32_t>(r.canonical_name.size());
  h.entry_offset = shm::named_file_entry_offset;
  h.entry_count = shm::named_file_entry_count;
  h.type = static_cast<std::uint8_t>(r.type);
  std::copy(r.permissions.rights.rights.begin(), r.permissions.rights.rights.end(),
            std::begin(h.class_rights));
  shm::object_slot slot{};
  slot.magic = shm::slot_magic;
  slot.version = shm::layout_version;
  slot.type = static_cast<std::uint8_t>(r.type);
  if (r.initialize) r.initialize(slot);
  // Incarnation 1: nobody holds this file, so no handle refers to it.
  slot.state.store(shm::state::make(new_file_incarnation, r.initial_value),
                   std::memory_order_relaxed);
  // The bytes of the file's start, read through unsigned char (the object
  // representation of the atomics is their value: they are lock-free).
  const bool short_name = name_offset == shm::named_file_short_name_offset;
  std::string bytes(sizeof(shm::named_file) + (short_name ? r.canonical_name.size() : 0), '\0');
  std::memcpy(bytes.data(), &h, sizeof h);
  const auto* slot_bytes = reinterpret_cast<const unsigned char*>(&slot);
  std::copy(slot_bytes, slot_bytes + sizeof slot, bytes.begin() + sizeof h);
  if (short_name)
    std::copy(r.canonical_name.begin(), r.canonical_name.end(),
              bytes.begin() + static_cast<std::ptrdiff_t>(name_offset));
  if (file_error e = sys::write_at(fd, bytes.data(), bytes.size(), 0); e != file_error::ok || short_name)
    return e;
  return sys::write_at(fd, r.canonical_name.data(), r.canonical_name.size(), name_offset);
}

// The effective user of the process that made `r`.
uid_t caller_of(const named_request& r) {
  return r.caller_uid ? *r.caller_uid : sys::effective_uid();
}

// The class of user this process (of effective user `me`) is for a file of
// `owner` and `group`.
security::user_class class_for(uid_t me, uid_t owner, gid_t group) {
  return security::class_of(me, me != owner && me != 0 && sys::in_group(group), owner);
}

// What a file's stored rights grant this process.
ACCESS_MASK granted_to_us(uid_t me, const shm::named_file_header& h,
                          const sys::file_identity& id) {
  return h.class_rights[static_cast<std::size_t>(class_for(me, id.owner, id.group))];
}

// What a new object's descriptor grants its creating process (for its later
// opens by name; the creating call itself gets what it asked for).
ACCESS_MASK rights_for_creator(uid_t me, const security::object_permissions& p) {
  return p.rights[class_for(me, p.owner_uid, p.group_gid)];
}

// Whether a process that may not write this process's records (another
// user's: namespace/record_map.hpp) may open a file of `owner` and `mode`
// to change the object.  Root may write every record.
bool foreign_releasers(uid_t me, uid_t owner, mode_t mode) {
  return owner != me || (mode & (S_IWGRP | S_IWOTH)) != 0;
}

// Sets a new object's file, of identity `id`, to the owner, group and mode
// its descriptor asks for.  Each id is changed only where the file differs,
// so that an ordinary creator never needs a privilege.
NTSTATUS apply_permissions(int fd, const sys::file_identity& id,
                           const security::object_permissions& p) {
  if (id.owner != p.owner_uid &&
      sys::set_owner(fd, p.owner_uid, static_cast<gid_t>(-1)) != file_error::ok)
    return STATUS_INVALID_OWNER;
  if (id.group != p.group_gid &&
      sys::set_owner(fd, static_cast<uid_t>(-1), p.group_gid) != file_error::ok)
    return STATUS_INVALID_PRIMARY_GROUP;
  // The umask narrows the creation mode; fchmod sets exactly what was asked.
  return sys::set_mode(fd, p.mode) == file_error::ok ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
}

// What validate() read of a file, in one read through its descriptor: the
// header, and the slot's fields that stay fixed while anyone holds the file
// (only a reclaim, which holds holders exclusively, rewrites them).  Reading them here rather
// than through the mapping leaves the mapped page untouched until the
// object is used: an untouched page is unmapped without a TLB flush.
struct file_facts {
  shm::named_file_header header{};
  std::uint32_t slot_magic = 0;
  std::uint8_t slot_version = 0;
  std::uint8_t slot_type = 0;
  std::uint64_t slot_state = 0;
};

template <class T>
T field_at(const std::string& bytes, std::size_t offset) {
  T value{};
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

// Checks that an existing file is one this build can trust and holds the
// requested name; the type and the slot are checked apart (see join).
// Reads through the descriptor, before anything is mapped.  `id` is the
// file's.
NTSTATUS validate(int fd, const named_request& r, const sys::file_identity& id, file_facts* out) {
  if (id.size < sizeof(shm::named_file)) return STATUS_FILE_CORRUPT_ERROR;
  // The name this file must hold, where it must be: read with the header
  // when it is a short one.
  const std::size_t name_offset = shm::named_file_name_offset_for(r.canonical_name.size());
  const bool short_name = name_offset == shm::named_file_short_name_offset;
  std::string bytes(
      std::min(id.size, sizeof(shm::named_file) + (short_name ? r.canonical_name.size() : 0)),
      '\0');
  if (sys::read_at(fd, bytes.data(), bytes.size(), 0) != file_error::ok)
    return STATUS_FILE_CORRUPT_ERROR;
  shm::named_file_header& h = out->header;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (std::memcmp(h.magic, shm::named_file_magic, sizeof h.magic) != 0)
    return STATUS_FILE_CORRUPT_ERROR;
  if (h.version != shm::named_file_version) return STATUS_REVISION_MISMATCH;
  if (h.slot_offset != offsetof(shm::named_file, slot) ||
      h.entry_offset != shm::named_file_entry_offset ||
      h.entry_count != shm::named_file_entry_count || h.name_bytes != r.canonical_name.size() ||
      h.name_offset != name_offset || id.size < shm::named_file_bytes(h.name_bytes))
    return STATUS_FILE_CORRUPT_ERROR;
  if (!object::is_named_type(h.type)) return STATUS_FILE_CORRUPT_ERROR;
  if (!short_name) {
    bytes.resize(name_offset + r.canonical_name.size());
    if (sys::read_at(fd, bytes.data() + name_offset, r.canonical_name.size(), name_offset) !=
        file_error::ok)
      return STATUS_FILE_CORRUPT_ERROR;
  }
  if (bytes.compare(name_offset, std::string::npos, r.canonical_name) != 0)
    return STATUS_FILE_CORRUPT_ERROR;
  constexpr std::size_t slot = offsetof(shm::named_file, slot);
  out->slot_magic = field_at<std::uint32_t>(bytes, slot + offsetof(shm::object_slot, magic));
  out->slot_version = field_at<std::uint8_t>(bytes, slot + offsetof(shm::object_slot, version));
  out->slot_type = field_at<std::uint8_t>(bytes, slot + offsetof(shm::object_slot, type));
  out->slot_state = field_at<std::uint64_t>(bytes, slot + offsetof(shm::object_slot, state));
  return STATUS_SUCCESS;
}

// Checks the slot of a held object (the header was checked by validate()).
NTSTATUS validate_slot(const file_facts& f, const named_request& r) {
  if (f.slot_magic != shm::slot_magic || f.slot_version != shm::layout_version ||
      f.slot_type != static_cast<std::uint8_t>(r.type))
    return STATUS_FILE_CORRUPT_ERROR;
  if (shm::state::incarnation(f.slot_state) == 0) return STATUS_FILE_CORRUPT_ERROR;
  return STATUS_SUCCESS;
}

// One more reference to a registered view, if it is not being released
// (under the view table's mutex).
bool add_ref_to(named_view* v, object::object_ref* out, ACCESS_MASK* granted) {
  object::object_ref ref{&v->mapping->slot, v->incarnation, v,
                         object::life::generation(v->life.load())};
  if (!object::add_ref(ref)) return false;
  *out = ref;
  *granted = v->granted;
  return true;
}

// What a new view is made with.
struct view_facts {
  // Where the file is, from the fstat its maker made anyway (device and
  // inode do not change while the file is open), with its owner, group and
  // mode as they are now.
  sys::file_identity file;
  bool created;           // a new object (else an existing one, joined)
  ACCESS_MASK granted;    // for this process, from the file's stored rights
  std::uint32_t incarnation;
  bool foreign_releasers;  // object_home::foreign_releasers
};

// A new object's view, in the file `id`: incarnation 1, as write_object()
// made it.
view_facts new_object_facts(const named_request& r, const sys::file_identity& id) {
  const uid_t me = caller_of(r);
  sys::file_identity now = id;  // read before apply_permissions() set these
  now.owner = r.permissions.owner_uid;
  now.group = r.permissions.group_gid;
  now.mode = r.permissions.mode;
  return {now, true, rights_for_creator(me, r.permissions), new_file_incarnation,
          foreign_releasers(me, r.permissions.owner_uid, r.permissions.mode)};
}

// Maps `fd` into a fresh view and registers it (or, if another thread of
// this process registered the same object meanwhile, uses that one).
// Called holding holders shared through `fd`.  A parked view of this file
// in `reused`, if any, is the new view: its mapping is `fd`'s already.
NTSTATUS make_view(const named_request& r, int directory, sys::unique_fd fd,
                   const view_facts& facts, object::object_ref* out, ACCESS_MASK* granted,
                   unparked* reused = nullptr) {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  const std::string key = key_of(r);
  if (auto it = t.by_key.find(key); it != t.by_key.end() && add_ref_to(it->second, out, granted))
    return STATUS_OBJECT_NAME_EXISTS;  // `fd` closes, its locks go with it
  // Windows closes every handle of a process that ends; a process that
  // exits normally does the same here, so that it leaves no file behind.
  // (A killed one cannot: its leftovers are reclaimed by the next user.)
  static const bool at_exit_registered = std::atexit(leave_all_at_exit) == 0;
  static const bool at_fork_registered =
      ::pthread_atfork(lock_views_for_fork, unlock_views_after_fork, hold_views_after_fork) == 0;
  (void)at_exit_registered;
  (void)at_fork_registered;
  named_view* v = reused ? reused->release() : nullptr;
  void* address = v ? v->mapping : t.take_page();
  if (!v) {
    v = address ? t.take_view() : nullptr;
    if (!v) return STATUS_INSUFFICIENT_RESOURCES;
    if (!sys::map_shared_at(address, page, fd.get())) {
      t.give_back(v, address);
      return STATUS_INSUFFICIENT_RESOURCES;
    }
  }
  auto* mapping = static_cast<shm::named_file*>(address);
  v->file = std::move(fd);
  v->mapping = mapping;
  v->directory = directory;
  v->key = key;
  v->file_name = r.file_name;
  v->granted = facts.granted;
  v->type = r.type;
  v->incarnation = facts.incarnation;
  v->owner = facts.file.owner;
  v->group = facts.file.group;
  v->mode = facts.file.mode;
  v->parents_hold = false;
  v->queue_area = {reinterpret_cast<shm::queue_entry*>(static_cast<std::byte*>(address) +
                                                       shm::named_file_entry_offset),
                   shm::named_file_entry_count, true};
  v->foreign_releasers = facts.foreign_releasers;
  v->location = {static_cast<std::uint64_t>(facts.file.device),
                 static_cast<std::uint64_t>(facts.file.inode),
                 offsetof(shm::named_file, slot)};
  *granted = facts.granted;
  t.by_key[key] = v;
  t.by_location[v->location] = v;
  ++t.live;
  const std::uint32_t generation = object::start_home(*v, named_home);
  *out = {&mapping->slot, facts.incarnation, v, generation};
  return facts.created ? STATUS_SUCCESS : STATUS_OBJECT_NAME_EXISTS;
}

// The leave step (INV-NAMED): let go of holders and take them exclusively,
// one conversion (sys::try_lock_file); the exclusive lock is granted only
// if no process holds the object any more, and then this process, the last
// holder, removes the name.  Letting go first is what makes two last
// holders leaving at once safe: whichever converts second finds nobody, so
// one of them always removes the name.  A joiner that opened the file
// meanwhile either holds it already (and the name stays) or waits for the
// exclusive lock to go and then finds the file unlinked.  True if other
// processes hold the object still (and this one holds no lock on it any
// more: a refused conversion leaves none).
bool leave(int fd, int directory, const std::string& file_name) {
  const file_error last = sys::try_lock_file(fd, lock_kind::exclusive);
  if (last == file_error::ok) sys::unlink_in(directory, file_name);
  return last == file_error::would_block;
}

// The cover of a new object whose state word holds the creating thread's
// id (named_request::creator_owns): the thread's pending slot points at the
// word's entry in a mapping of this cover's own, from before the object is
// published until its view lists the word (hand_to).  Without the wish,
// nothing.
class creator_cover {
 public:
  creator_cover(int fd, bool wanted) : wanted_(wanted) {
    if (!wanted) return;
    mapping_ = static_cast<shm::named_file*>(sys::map_file(fd, sizeof(shm::named_file), true));
    if (mapping_) sys::robust_set_pending(&mapping_->slot.state_entry);
  }
  ~creator_cover() {
    if (!mapping_) return;
    sys::robust_set_pending(nullptr);
    sys::unmap_file(mapping_, sizeof(shm::named_file));
  }
  creator_cover(const creator_cover&) = delete;
  creator_cover& operator=(const creator_cover&) = delete;

  // False when it was wanted and could not be made (no memory to map).
  bool made() const { return !wanted_ || mapping_; }
  // The object's own view `slot` lists the word; then the cover may go.
  void hand_to(shm::object_slot& slot) {
    if (mapping_) sys::robust_push(slot.state_entry);
  }

 private:
  bool wanted_;
  shm::named_file* mapping_ = nullptr;
};

// The view of a new object that others may see already (linked, or its
// leftover's lock let go), made by make_view; the creator's cover, if any,
// ends in it.  On failure `fd` is still ours, and others may have joined
// already: this process leaves the object.
NTSTATUS publish_view(const named_request& r, int directory, sys::unique_fd fd,
                      const sys::file_identity& id, creator_cover& cover,
                      object::object_ref* out, ACCESS_MASK* granted) {
  sys::reach(sys::fault_point::named_owned_published);
  const int raw = fd.get();
  const NTSTATUS s =
      make_view(r, directory, std::move(fd), new_object_facts(r, id), out, granted);
  if (!NT_SUCCESS(s)) {
    leave(raw, directory, r.file_name);
    return s;
  }
  // Whichever view holds it (another thread of ours may have joined the
  // new file first), the new object's word holds this thread's id.
  cover.hand_to(*out->slot);
  return s;
}

// A new object under the requested name.  STATUS_OBJECT_NAME_COLLISION if
// another process linked the name first (the caller then joins it).
NTSTATUS create(const named_request& r, int directory, object::object_ref* out,
                ACCESS_MASK* granted) {
  sys::unique_fd fd;
  file_error e = sys::create_unnamed_in(directory, r.permissions.mode, &fd);
  if (e != file_error::ok) return status_of(e);
  sys::file_identity id{};
  if (sys::identify(fd.get(), &id) != file_error::ok) return STATUS_INSUFFICIENT_RESOURCES;
  if (NTSTATUS s = apply_permissions(fd.get(), id, r.permissions); s != STATUS_SUCCESS) return s;
  e = sys::set_size(fd.get(), file_size_for(r));
  if (e == file_error::ok) e = write_object(fd.get(), r);
  if (e != file_error::ok) return status_of(e);
  // Held before anyone can see the file: a joiner never takes it for a
  // leftover.
  if (sys::try_lock_file(fd.get(), lock_kind::shared) != file_error::ok)
    return STATUS_INSUFFICIENT_RESOURCES;
  creator_cover cover(fd.get(), r.creator_owns);
  if (!cover.made()) return STATUS_INSUFFICIENT_RESOURCES;
  e = sys::link_into(fd.get(), directory, r.file_name);
  if (e != file_error::ok) return status_of(e);
  return publish_view(r, directory, std::move(fd), id, cover, out, granted);
}

// Reclaims a file that nobody holds (its holders died).  Called holding
// holders exclusively.  Re-makes it for a create; unlinks it for an
// open-only.  Only the file's owner (or root) may re-make it: the new
// object's descriptor must be applied to the file, and another user's
// leftover is not ours to take over.
NTSTATUS reclaim(const named_request& r, int directory, sys::unique_fd fd,
                 const sys::file_identity& id, object::object_ref* out, ACCESS_MASK* granted) {
  if (r.open_only) {
    sys::unlink_in(directory, r.file_name);
    return STATUS_OBJECT_NAME_NOT_FOUND;
  }
  const uid_t me = caller_of(r);
  if (id.owner != me && me != 0) return STATUS_ACCESS_DENIED;
  if (NTSTATUS s = apply_permissions(fd.get(), id, r.permissions); s != STATUS_SUCCESS) return s;
  // Emptied first, so that nothing of the old object survives.
  file_error e = sys::set_size(fd.get(), 0);
  if (e == file_error::ok) e = sys::set_size(fd.get(), file_size_for(r));
  if (e == file_error::ok) e = write_object(fd.get(), r);
  if (e != file_error::ok) return STATUS_INSUFFICIENT_RESOURCES;
  creator_cover cover(fd.get(), r.creator_owns);
  // Exclusive becomes shared in one step: joiners waiting for it go on and
  // find the new object.
  if (!cover.made() || sys::try_lock_file(fd.get(), lock_kind::shared) != file_error::ok)
    return STATUS_INSUFFICIENT_RESOURCES;
  return publish_view(r, directory, std::move(fd), id, cover, out, granted);
}

// Joins the object in an existing file.  STATUS_PENDING: the file was
// unlinked meanwhile; look the name up again.
//
// Holders exclusively first: if that succeeds nobody holds the object, and
// it is a leftover to reclaim (a creator holds its file before linking it,
// so a new object is never taken for one).  Otherwise wait for holders
// shared, which waits out a leaver that is removing the name or a reclaimer
// that is re-making the file; then check that the file is still linked.
// Everything read after that is stable: only a reclaim rewrites a file, and
// it needs holders exclusively.
//
// `fd` may be a parked view's (in `parked`): it is joined as any descriptor
// is, and the view is made again from it only if the file's owner, group
// and mode are still those its opening checked (INV-PARK).
NTSTATUS join(const named_request& r, int directory, sys::unique_fd fd, object::object_ref* out,
              ACCESS_MASK* granted, unparked& parked) {
  const file_error leftover = sys::try_lock_file(fd.get(), lock_kind::exclusive);
  if (leftover != file_error::ok && leftover != file_error::would_block)
    return STATUS_INSUFFICIENT_RESOURCES;
  if (leftover == file_error::would_block &&
      sys::wait_lock_file(fd.get(), lock_kind::shared) != file_error::ok)
    return STATUS_INSUFFICIENT_RESOURCES;
  sys::file_identity id{};
  if (sys::identify(fd.get(), &id) != file_error::ok) return STATUS_INSUFFICIENT_RESOURCES;
  if (id.links == 0) return STATUS_PENDING;  // its last holder left; closing fd drops our lock
  if (const named_view* v = parked.get();
      v && (v->owner != id.owner || v->group != id.group || v->mode != id.mode))
    return STATUS_PENDING;  // opened again, the kernel checks the new ones
  // A file this build cannot trust is refused and left alone, held or not.
  file_facts facts;
  if (NTSTATUS s = validate(fd.get(), r, id, &facts); s != STATUS_SUCCESS) return s;
  if (leftover == file_error::ok) return reclaim(r, directory, std::move(fd), id, out, granted);
  // A held object of another type owns the name.
  if (facts.header.type != static_cast<std::uint8_t>(r.type)) return STATUS_OBJECT_TYPE_MISMATCH;
  if (NTSTATUS s = validate_slot(facts, r); s != STATUS_SUCCESS) return s;
  const uid_t me = caller_of(r);
  const view_facts joined{id, false, granted_to_us(me, facts.header, id),
                          shm::state::incarnation(facts.slot_state),
                          foreign_releasers(me, id.owner, id.mode)};
  return make_view(r, directory, std::move(fd), joined, out, granted, &parked);
}

// The leave step for a view (see leave); a view on its parent's hold
// (INV-FORK) leaves nothing.
bool leave_view(const named_view& v) {
  return !v.parents_hold && leave(v.file.get(), v.directory, v.file_name);
}

void release_view(object::object_home& home) {
  auto& v = static_cast<named_view&>(home);
  view_table& t = views();
  {
    std::lock_guard lock(t.mutex);
    if (auto it = t.by_key.find(v.key); it != t.by_key.end() && it->second == &v)
      t.by_key.erase(it);
    if (auto it = t.by_location.find(v.location); it != t.by_location.end() && it->second == &v)
      t.by_location.erase(it);
    --t.live;
  }
  if (leave_view(v))
    park(&v);
  else
    retire(&v);
}

// At a normal exit: the leave step for every view still held, without
// unmapping or closing anything (other threads may still be running; the
// kernel closes the files a moment later).
void leave_all_at_exit() {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  for (auto& [key, v] : t.by_key) leave_view(*v);
}

// INV-FORK: a fork()ed child's descriptors share its parent's open file
// descriptions, and the holders lock belongs to those: an unlock in the child
// (its CloseHandle, or the leave step at its exit) would take the parent's hold
// away, and the object could die under the parent.  So the child holds each
// object in its own right, as a process that inherits handles does, from the
// moment it exists: before the fork, the parent opens each view's file again (a
// new open file description) and locks it shared (never refused: the parent
// holds it shared); the child maps its view from that descriptor and keeps it,
// the parent closes its copy (the child's keeps the lock).  If one cannot be
// made, the child's view keeps the parent's hold (parents_hold) and never lets
// go of it.  The parent's parked views hold nothing, and the child retires them
// all: their descriptors share the parent's open file descriptions, so a join
// through one would lock the parent's (INV-PARK).  The view table is locked
// across the fork, so that the child finds it whole.
struct hold_for_child {
  named_view* view;
  sys::unique_fd file;  // locked shared; empty if it could not be made
};
std::vector<hold_for_child>& holds_for_child() {
  static auto* holds = new std::vector<hold_for_child>;  // never destroyed
  return *holds;
}

void lock_views_for_fork() {
  view_table& t = views();
  t.mutex.lock();
  auto& holds = holds_for_child();
  for (auto& [key, v] : t.by_key) {
    if (v->parents_hold) continue;
    sys::unique_fd own;
    if (sys::reopen(v->file.get(), &own) != file_error::ok ||
        sys::try_lock_file(own.get(), lock_kind::shared) != file_error::ok)
      own = sys::unique_fd();
    holds.push_back({v, std::move(own)});
  }
}

void unlock_views_after_fork() {
  holds_for_child().clear();  // the child's copies keep their locks
  views().mutex.unlock();
}

void hold_views_after_fork() {
  for (hold_for_child& h : holds_for_child()) {
    named_view& v = *h.view;
    if (h.file.get() >= 0 && sys::map_shared_at(v.mapping, page, h.file.get()))
      v.file = std::move(h.file);  // closing the inherited one leaves the parent's lock
    else
      v.parents_hold = true;
  }
  holds_for_child().clear();
  view_table& t = views();
  const std::deque<named_view*> parents_parked = std::move(t.parked);
  t.parked.clear();
  t.mutex.unlock();
  retire(std::vector<named_view*>(parents_parked.begin(), parents_parked.end()));
}

}  // namespace

NTSTATUS validate(int fd, const named_request& r) {
  sys::file_identity id{};
  if (sys::identify(fd, &id) != file_error::ok) return STATUS_FILE_CORRUPT_ERROR;
  file_facts facts;
  return validate(fd, r, id, &facts);
}

NTSTATUS open_named(const named_request& r, object::object_ref* out, ACCESS_MASK* granted) {
  int directory = -1;
  if (NTSTATUS s = scope_directory(r.where, &directory); s != STATUS_SUCCESS) return s;
  const std::string key = key_of(r);
  {
    // Already held by this process: one more reference to the same view.
    view_table& t = views();
    std::lock_guard lock(t.mutex);
    if (auto it = t.by_key.find(key); it != t.by_key.end()) {
      if (it->second->type != r.type) return STATUS_OBJECT_TYPE_MISMATCH;
      if (add_ref_to(it->second, out, granted)) return STATUS_OBJECT_NAME_EXISTS;
    }
  }
  for (;;) {
    // Retired, if not joined, after `fd` is closed.
    unparked parked(take_parked(key));
    sys::unique_fd fd;
    if (parked.get()) {
      fd = std::move(parked.get()->file);
    } else {
      file_error e = sys::open_in(directory, r.file_name, true, &fd);
      if (e == file_error::not_found) {
        if (r.open_only) return STATUS_OBJECT_NAME_NOT_FOUND;
        NTSTATUS s = create(r, directory, out, granted);
        if (s != STATUS_OBJECT_NAME_COLLISION) return s;
        continue;  // another process created it first: join theirs
      }
      if (e != file_error::ok) return status_of(e);
    }
    NTSTATUS s = join(r, directory, std::move(fd), out, granted, parked);
    if (s != STATUS_PENDING) return s;
  }
}

bool reference_at(const object::object_location& where, object::object_ref* out,
                  shm::object_type* type) {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  auto it = t.by_location.find(where);
  ACCESS_MASK granted = 0;
  if (it == t.by_location.end() || !add_ref_to(it->second, out, &granted)) return false;
  *type = it->second->type;
  return true;
}

std::int64_t descriptor_of(const object::object_home& home) {
  if (home.operations != &named_home) return -1;
  return static_cast<const named_view&>(home).file.get();
}

std::size_t live_views() {
  view_table& t = views();
  std::lock_guard lock(t.mutex);
  return t.live;
}

}  // namespace ntsem::names
