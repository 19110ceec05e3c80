#include "security/descriptor.hpp"

// Windows' descriptor formats are not read yet: every descriptor is refused
// with STATUS_NOT_SUPPORTED, so that no named object is ever made with rights
// other than those its creator asked for.

namespace ntsem::security {

NTSTATUS read_descriptor(const void*, descriptor*) { return STATUS_NOT_SUPPORTED; }

}  // namespace ntsem::security
