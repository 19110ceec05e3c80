// A named object that another process holds, reached through that
// process's descriptor of its file: how a release serves another process's
// wait-all whose objects it does not all hold (wait/serve_all.hpp), as
// Windows' kernel reaches every object of a wait.
//
// The descriptor only points at the file.  /proc/PID/fd/N gives the file's
// name, and the kernel shows it only to the same user or root (ptrace read
// access), the same processes that may write the waiter's record.  The
// object is then opened as OpenXxx opens it: by that name, in one of this
// process's own scope directories, with every check of a join (the file's
// mode must let this process in).  It is kept only if it is the object
// the waiter published; nothing read from the other process is trusted.
//
// The object cannot die meanwhile: the waiting thread holds a reference to
// each of its objects while it waits (INV-SERVE), so its process holds the
// file, and by INV-NAMED its name names it.
#pragma once

#include <cstdint>

#include "object/object_ref.hpp"
#include "shm/object_slot.hpp"

namespace ntsem::names {

// One reference to the named object at `where`, which process `pid` holds
// through its descriptor `descriptor`, and the object's type: through this
// process's own view when it holds the object too, else through a view
// opened now by the object's name (left as any view is, when the
// reference is dropped).  False when it cannot be reached: no file
// (descriptor -1), a process that is gone or not this user's, a file that
// is not in this process's scope directories (another session's, another
// root's), a mode that refuses this process, or a name that names another
// file.
bool reference_held_by(std::uint32_t pid, std::int64_t descriptor,
                       const object::object_location& where, object::object_ref* out,
                       shm::object_type* type);

}  // namespace ntsem::names
