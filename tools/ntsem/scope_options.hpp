// The --global, --session and --all-sessions flags of the commands that look
// at the namespace (list, gc): which directories they read.
#pragma once

#include <ntsem/windows.h>

#include <ostream>
#include <vector>

#include "options.hpp"

namespace ntsem_tool {

struct ScopeFlags {
  bool global = false;
  bool session = false;
  bool all_sessions = false;
};

// A command's own flags followed by the namespace flags, which set `flags`.
std::vector<FlagOption> with_scope_flags(std::vector<FlagOption> own, ScopeFlags& flags);

// NTSEM_SCOPE_* for the flags given; none given: the global namespace and
// the caller's session.
DWORD scopes_of(const ScopeFlags& flags);

// The paragraph of a help text that says so.
void print_scope_help(std::ostream& out);

}  // namespace ntsem_tool
