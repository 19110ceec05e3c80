// References to objects, kept per process.
//
// An object_home is where this process keeps its references to one object:
// handles and blocked single waits each hold one (a wait on several objects
// pins them instead, object/wait_pins.hpp).  It lives in private memory, so
// a process that dies takes its references with it and no other process
// needs to clean up after it (the kernel's file locks tell other processes
// that a named object lost a holder; see namespace/).  When the last
// reference goes, the home's release operation runs: an unnamed object is
// destroyed, a named object is left (and destroyed if this process was its
// last holder anywhere).
//
// The home's life word is {refs: bits 0..31, generation: bits 32..63}.  A
// home is reused for another object after its release, with the next
// generation; a reference can be taken only while refs > 0 and the
// generation matches (a compare-and-swap), so a stale handle can neither
// revive a released object nor count towards a newer one.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>

#include "shm/object_slot.hpp"
#include "shm/queue_entry.hpp"

namespace ntsem::object {

struct object_home;

// Where an object lives, the same in every process that maps it: the file
// of its memory and the slot's offset in that file.  Wait-alls take the
// objects' queue locks in this order (INV-ALL-ORDER, wait/wait_all.cpp), so
// lock waits between processes never form a cycle.
struct object_location {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t offset = 0;
  friend auto operator<=>(const object_location&, const object_location&) = default;
};

struct home_operations {
  // Runs once, when the last reference is dropped.
  void (*release)(object_home& home);
};

struct object_home {
  std::atomic<std::uint64_t> life{0};
  const home_operations* operations = nullptr;
  // Where the object's queue entries are mapped in this process
  // (object/handoff.hpp).  Fixed while the home lives.
  shm::entry_area queue_area;
  // Whether processes that may not write this process's records may release
  // the object (a named object other users may write): its waiters then
  // also listen to their entries' doorbells.  Fixed while the home lives.
  bool foreign_releasers = false;
  // Fixed while the home lives.
  object_location location;
  // Its references are gone, and its release is left to the waits that
  // pin it (object/wait_pins.hpp, INV-PIN).
  std::atomic<bool> release_pending{false};
};

namespace life {
constexpr std::uint32_t refs(std::uint64_t l) { return static_cast<std::uint32_t>(l); }
constexpr std::uint32_t generation(std::uint64_t l) { return static_cast<std::uint32_t>(l >> 32); }
constexpr std::uint64_t make(std::uint32_t generation, std::uint32_t refs) {
  return (std::uint64_t{generation} << 32) | refs;
}
}  // namespace life

// What a handle records about its object.  Copying it takes no reference.
struct object_ref {
  shm::object_slot* slot = nullptr;
  std::uint32_t incarnation = 0;  // the slot's, checked by every state change
  object_home* home = nullptr;
  std::uint32_t home_generation = 0;

  friend bool operator==(const object_ref&, const object_ref&) = default;
};

// Takes one more reference, only while the object is alive in this process.
// False when it has been released: the caller's handle was stale.
bool add_ref(const object_ref& ref);

// Drops one reference; the last one runs the home's release operation.
void drop_ref(const object_ref& ref);

// Whether the object still has a reference in this process (a snapshot: it
// may lose its last one right after).  A wait that pins the object reads it
// sequentially consistent (object/wait_pins.hpp, INV-PIN).
inline bool has_refs(const object_ref& ref, std::memory_order order = std::memory_order_relaxed) {
  const std::uint64_t l = ref.home->life.load(order);
  return life::generation(l) == ref.home_generation && life::refs(l) != 0;
}

// Starts a home's life for a new object with one reference; returns the
// generation to record in the object_ref.  The home must be released (or new).
std::uint32_t start_home(object_home& home, const home_operations& operations);

}  // namespace ntsem::object
