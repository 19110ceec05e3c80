// The registry of this process's thread objects (thread/thread_object.hpp),
// by thread id (OpenThread) and by state object (a thread handle).
//
// A thread is in it from the making of its object, and stays after it ends
// for as long as its state object lives (a handle to it is open), as on
// Windows, where a thread id names its thread until the thread object is
// deleted.  Thread ids are Linux thread ids, which the kernel may give to a
// new thread once the old one has ended, even while a handle keeps the old
// one's object: the id then finds the newest thread that had it.
#pragma once

#include <cstdint>
#include <memory>

#include "object/object_ref.hpp"
#include "thread/thread_object.hpp"

namespace ntsem::thread {

void register_thread(const std::shared_ptr<thread_object>& t);
// The thread has ended: it leaves the registry once its state object has
// no reference left (checked when the next thread registers).
void retire_thread(const std::shared_ptr<thread_object>& t);

// The thread with this id, or of this state object; nullptr for one ntsem
// does not know.  A thread that has ended may be found: a caller that takes
// a reference to its state (object::add_ref) learns whether it still lives.
std::shared_ptr<thread_object> find_thread(std::uint32_t id);
std::shared_ptr<thread_object> find_thread(const object::object_ref& state);

}  // namespace ntsem::thread
