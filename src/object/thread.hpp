// Thread objects on a slot: what a thread's handles wait on.  The rest of a
// thread (its user APCs, how an alertable wait is ended) lives in thread/.
//
// The state value is thread_ops' (object_type.hpp): 0 while the thread runs,
// 1 once it has ended.  It changes once, by end_thread_object, which hands
// the end to every queued waiter (a wait on a thread takes nothing), as a
// manual-reset event's set does.  A thread object lives in its process's
// arena and is never named.
#pragma once

#include <ntsem/winternl.h>

#include "object/object_ref.hpp"

namespace ntsem::object {

// A new thread object, running.  STATUS_INSUFFICIENT_RESOURCES when no
// slot can be had.  On success *out holds the object's one reference.
NTSTATUS create_thread_object(object_ref* out);

// Marks the thread ended: every wait on it, queued or to come, is
// satisfied.  STATUS_INVALID_HANDLE if the object died.
NTSTATUS end_thread_object(const object_ref& ref);

}  // namespace ntsem::object
