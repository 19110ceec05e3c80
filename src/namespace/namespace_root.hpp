// Where named objects live: one directory for each scope under a root on
// tmpfs.
//
//   $NTSEM_ROOT (default /dev/shm/ntsem)
//     global/            the machine-wide namespace (Global\)
//     session-<id>/      a session's namespace (Local\ and unprefixed names)
//     waiters/           the processes' records (namespace/process_record.hpp)
//
// Every directory is created with mode 1777 (like /tmp: anyone may create,
// only the owner may remove); who may open an object is decided by its own
// file's owner and mode.  The session is the caller's login session
// (/proc/self/sessionid), or "u<uid>" when the process has none, or the value
// of NTSEM_SESSION when set.  A process works out its session once, at its
// first use of a session name, and keeps it for life, as a Windows process
// keeps its session.
#pragma once

#include <string>

#include <ntsem/winternl.h>

#include "namespace/object_name.hpp"

namespace ntsem::names {

// The directory of a scope, created if missing; a descriptor that stays open
// for the life of the process.  STATUS_SUCCESS or an error status.
NTSTATUS scope_directory(scope s, int* dir_fd);

// The directory of the process records, created if missing; a descriptor
// that stays open for the life of the process.
NTSTATUS records_directory(int* dir_fd);

// The root and the directory names, for tools and tests.
std::string root_path();
std::string scope_directory_name(scope s);
inline constexpr const char* records_directory_name = "waiters";

}  // namespace ntsem::names
