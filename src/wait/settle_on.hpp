// settle() (object/handoff.hpp) on a wait's target, with its type's
// operations and no change of value: it hands on what the object holds to
// the waiters queued on it, then takes or queues the caller's entry `mine`
// (none: nullptr), and leaves QUEUED as the queue is (INV-QUEUE).  Every
// waiter that leaves an object's queue by itself ends with it, so that
// units left while it was passed by go on (INV-HANDOFF).
#pragma once

#include "object/handoff.hpp"
#include "wait/wait.hpp"

namespace ntsem::wait {

// The queue lock of t is held in `hold`.  A slot of no known type is a
// broken object: STATUS_INVALID_HANDLE, nothing changed.
object::settle_result settle_on(const target& t, object::queue_hold& hold,
                                const object::own_entry* mine);

// The caller's entry `index` in t's queue (held in `hold`) holds an offer
// that its wait, satisfied otherwise, declines: object::decline_offer with
// t's type's operations.
object::settle_result decline_on(const target& t, object::queue_hold& hold, std::uint32_t index);

// The caller's entry `index` in t's queue (held in `hold`) holds an offer
// that its wait takes: the entry leaves the queue, and a mutex becomes the
// caller's (object::take_offered_mutex).  Whether it was abandoned.  The
// caller then settles the object (settle_on), so that QUEUED says what the
// queue holds.
bool take_offer_on(const target& t, object::queue_hold& hold, std::uint32_t index);

}  // namespace ntsem::wait
