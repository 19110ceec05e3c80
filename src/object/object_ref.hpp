// A reference to one object: its slot and the incarnation the reference was
// made for (see shm/object_slot.hpp, "Incarnations").  Copying an object_ref
// does not count as a reference; add_ref/drop_ref do.
#pragma once

#include <cstdint>

#include "shm/object_slot.hpp"

namespace ntsem::object {

struct object_ref {
  shm::object_slot* slot = nullptr;
  std::uint32_t incarnation = 0;

  friend bool operator==(const object_ref&, const object_ref&) = default;
};

// Takes one more reference, only while the object is alive (refs > 0 and the
// incarnation matches).  False when it has died: the caller's handle was stale.
bool add_ref(const object_ref& ref);

// Drops one reference; the last one destroys the object and frees its slot.
void drop_ref(const object_ref& ref);

// Reads the number of references (for queries and tests; may be stale at once).
std::uint32_t ref_count(const object_ref& ref);

}  // namespace ntsem::object
