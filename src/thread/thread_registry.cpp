#include "thread/thread_registry.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace ntsem::thread {
namespace {

struct registry {
  std::mutex mutex;
  std::unordered_map<std::uint32_t, std::shared_ptr<thread_object>> by_id;
  std::unordered_map<const shm::object_slot*, std::shared_ptr<thread_object>> by_state;
  // Threads that have ended and are still in the maps.
  std::vector<std::shared_ptr<thread_object>> ended;
};

registry& the_registry() {
  static registry* r = new registry;  // never destroyed: threads outlive statics
  return *r;
}

// Erases `key` from `map` if it still names `t` (an id may name a newer
// thread by now).
template <class Map, class Key>
void erase_if_names(Map& map, const Key& key, const thread_object* t) {
  const auto it = map.find(key);
  if (it != map.end() && it->second.get() == t) map.erase(it);
}

// Under r.mutex: forgets the ended threads whose state object has no
// reference left.  A reference is never taken again once the last one is
// gone (object_ref.hpp), so a thread forgotten here could not be opened.
void forget_unreferenced(registry& r) {
  std::erase_if(r.ended, [&r](const std::shared_ptr<thread_object>& t) {
    if (object::has_refs(t->state)) return false;
    erase_if_names(r.by_id, t->id, t.get());
    erase_if_names(r.by_state, t->state.slot, t.get());
    return true;
  });
}

}  // namespace

void register_thread(const std::shared_ptr<thread_object>& t) {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  forget_unreferenced(r);
  r.by_id[t->id] = t;
  r.by_state[t->state.slot] = t;
}

void retire_thread(const std::shared_ptr<thread_object>& t) {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  r.ended.push_back(t);
}

std::shared_ptr<thread_object> find_thread(std::uint32_t id) {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  const auto it = r.by_id.find(id);
  return it == r.by_id.end() ? nullptr : it->second;
}

std::shared_ptr<thread_object> find_thread(const object::object_ref& state) {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  const auto it = r.by_state.find(state.slot);
  // A slot holds another thread's state only once this one's has died,
  // which no live handle allows; compared all the same.
  if (it == r.by_state.end() || !(it->second->state == state)) return nullptr;
  return it->second;
}

}  // namespace ntsem::thread
