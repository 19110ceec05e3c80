#include "security/descriptor.hpp"

namespace ntsem::security {

NTSTATUS read_descriptor(const void*, descriptor*) { return STATUS_NOT_SUPPORTED; }

}  // namespace ntsem::security
