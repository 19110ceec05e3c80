#include "thread/thread_object.hpp"

#include "object/thread.hpp"
#include "sys/robust_list.hpp"
#include "thread/thread_registry.hpp"

namespace ntsem::thread {
namespace {

// The calling thread's object.  Its destructor is the thread's end: it runs
// when the thread's thread-local storage is destroyed.
class this_thread_object {
 public:
  ~this_thread_object() {
    if (object_) end(object_);
  }
  std::shared_ptr<thread_object> object_;

 private:
  // The APCs go first (QueueUserAPC fails from now on), then its handles'
  // waits are satisfied; the thread stays in the registry while handles
  // to it are open, and its own reference to its state goes last.
  static void end(const std::shared_ptr<thread_object>& t) {
    t->apcs.close();
    object::end_thread_object(t->state);
    retire_thread(t);
    object::drop_ref(t->state);
  }
};

// Trivially destructible, so they stay readable while the holder below is
// destroyed and after: `self` is the holder's object while it lives, and
// `ended` is set once it has been destroyed (the thread is ending, and a
// call made from a later thread-local destructor must not make another).
thread_local thread_object* self = nullptr;
thread_local bool ended = false;

class end_marker {
 public:
  ~end_marker() {
    self = nullptr;
    ended = true;
  }
};

NTSTATUS make_current(std::shared_ptr<thread_object>* out) {
  // Declared in this order, destroyed in the reverse one: the marker
  // outlives the holder, so `self` is cleared only after the end.
  thread_local end_marker marker;
  thread_local this_thread_object holder;
  auto t = std::make_shared<thread_object>();
  t->id = sys::current_thread_id();
  if (NTSTATUS s = object::create_thread_object(&t->state); s != STATUS_SUCCESS) return s;
  register_thread(t);
  holder.object_ = t;
  self = t.get();
  *out = std::move(t);
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS current_thread(std::shared_ptr<thread_object>* out) {
  if (self) {
    *out = self->shared_from_this();
    return STATUS_SUCCESS;
  }
  if (ended) return STATUS_UNSUCCESSFUL;
  return make_current(out);
}

thread_object* current_thread_if_made() { return self; }

}  // namespace ntsem::thread
