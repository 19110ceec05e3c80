// Opening and creating named objects, and letting go of them.
//
// Each named object is a file (shm/named_file.hpp) in its scope's directory.
// A process that holds it has the file open, mapped, and holds the file's
// flock() lock shared ("holders", sys::try_lock_file), all through one view
// (named_view) however many handles it has.  The lock belongs to the open
// file description, and the kernel drops it when the process ends, however
// it ends.
//
// The protocol, on that one lock:
//   create   an unnamed file (O_TMPFILE) is filled in and locked shared,
//            and only then linked under its name: nobody ever sees it half
//            made or unheld.
//   join     open the name; try holders exclusively.  If that succeeds,
//            nobody holds the object: it is the leftover of processes that
//            died, and is reclaimed (re-made by a create, then locked shared
//            in the same step; unlinked by an open-only).  Otherwise wait
//            for holders shared (which waits out a leaver or reclaimer
//            holding it exclusively), and if the file was unlinked meanwhile
//            (st_nlink == 0) start again.
//   leave    the last local reference lets go of holders and tries them
//            exclusively, in one conversion; success means no process holds
//            the object, and this one unlinks the file.  Its mapping is replaced by zeros (a
//            stale handle racing the close reads incarnation 0 and fails)
//            and the file is closed.  If other processes hold the object,
//            the view is parked instead: kept, descriptor and mapping, with
//            no lock, for a later open of the name (a reopen then costs
//            neither the open() nor the mmap(); at least the 16 most recent
//            are kept, older ones are retired as a left view is, eight at a
//            time).
//   rejoin   an open that finds a parked view of its name joins the file
//            through the parked descriptor, as it would through a new one.
// INV-NAMED  While any process holds the object, its name names its file:
//            only a process holding holders exclusively unlinks it, and a
//            file is never linked again once unlinked.
// INV-FORK   A fork()ed child holds each object its parent holds through a
//            file description of its own, locked shared before the fork
//            (named_object.cpp): the lock belongs to the description, so
//            an unlock through an inherited descriptor would be the parent's.
// INV-PARK   A parked view is no holder, and nothing read before it was
//            parked is trusted after: it holds no lock (so the object's life
//            ignores it, and a leftover under it is reclaimed as any other),
//            and its rejoin is a whole join (holders probed exclusively, then
//            taken shared, the file still linked, header and slot read
//            again), so by INV-NAMED it finds the object the name names, or
//            opens the name again.  Two things a new open() would check are
//            checked apart: the file's owner, group and mode must be those
//            the parked descriptor was opened under (else the kernel's
//            verdict is asked again), and only the process that parked it
//            rejoins (a fork()ed child's copy of the descriptor shares the
//            parent's open file description, and with it the parent's
//            locks: the child retires its parent's parked views as it
//            starts, INV-FORK).
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include <ntsem/winternl.h>

#include "namespace/namespace_root.hpp"
#include "object/object_ref.hpp"
#include "security/object_permissions.hpp"
#include "shm/object_slot.hpp"

namespace ntsem::names {

struct named_request {
  names::scope where = names::scope::session;
  std::string file_name;       // in the scope's directory
  std::string canonical_name;  // stored in the file and compared on open
  shm::object_type type = shm::object_type::none;
  bool open_only = false;  // OpenXxx: never create
  // The calling process's effective user, if the caller read it already (a
  // create reads it for the descriptor): it decides the class of user whose
  // rights an existing object grants, and a new object's creator rights.
  // Unset, it is read when first needed; an open of an object this process
  // holds already never needs it.
  std::optional<uid_t> caller_uid;
  // A new object's file: owner, group, mode and the rights of each class.
  security::object_permissions permissions;
  // Fills a new object's slot: its state value and type-specific fields.
  std::uint32_t initial_value = 0;
  std::function<void(shm::object_slot&)> initialize;
  // The initial value is the creating thread's id, and the state word a
  // robust word (a mutex created owned, object/mutex.hpp INV-OWNER): the
  // word's entry is in the thread's pending slot, through a mapping of
  // its own, from before anyone can see the new object until the object's
  // view puts it in the thread's robust list.  So a creator that dies in
  // between leaves the mutex abandoned, never owned by a dead thread.
  bool creator_owns = false;
};

// STATUS_SUCCESS: a new object was made.  STATUS_OBJECT_NAME_EXISTS: the
// existing object was opened (a success).  Errors: STATUS_OBJECT_NAME_NOT_FOUND
// (open_only), STATUS_OBJECT_TYPE_MISMATCH (another type has the name),
// STATUS_ACCESS_DENIED (the file's mode refuses us), STATUS_FILE_CORRUPT_ERROR
// or STATUS_REVISION_MISMATCH (not a file this version can trust),
// STATUS_INSUFFICIENT_RESOURCES, and for a create STATUS_INVALID_OWNER or
// STATUS_INVALID_PRIMARY_GROUP (the kernel refused the descriptor's owner or
// group).  On success *out holds one reference and *granted the rights the
// object's descriptor gives this process (its class of user of the file),
// which an open of an existing object must not exceed.
NTSTATUS open_named(const named_request& request, object::object_ref* out, ACCESS_MASK* granted);

// One more reference to the named object that this process holds at
// `where` (a release serving another process's wait-all reaches its objects
// so, wait/serve_all.hpp), and the object's type.  False if it holds none
// there.
bool reference_at(const object::object_location& where, object::object_ref* out,
                  shm::object_type* type);

// The descriptor through which this process holds the object of `home`,
// while a reference to it lives; -1 when it is no named object's.
std::int64_t descriptor_of(const object::object_home& home);

// Views alive in this process (for tests and tools).
std::size_t live_views();

}  // namespace ntsem::names
