#include "object/object_type.hpp"

namespace ntsem::object {

const char* type_name(shm::object_type type) {
  return visit_type(type, [](auto ops) { return decltype(ops)::name; }, "(none)");
}

}  // namespace ntsem::object
