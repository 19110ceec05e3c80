#include "scope_options.hpp"

#include <ntsem/namespace.h>

namespace ntsem_tool {

std::vector<FlagOption> with_scope_flags(std::vector<FlagOption> own, ScopeFlags& flags) {
  own.push_back({"--global", "the global namespace (Global\\ names)", &flags.global});
  own.push_back(
      {"--session", "this session's namespace (Local\\ and unprefixed names)", &flags.session});
  own.push_back({"--all-sessions", "every session's namespace", &flags.all_sessions});
  return own;
}

DWORD scopes_of(const ScopeFlags& flags) {
  DWORD scopes = (flags.global ? NTSEM_SCOPE_GLOBAL : 0) | (flags.session ? NTSEM_SCOPE_SESSION : 0) |
                 (flags.all_sessions ? NTSEM_SCOPE_ALL_SESSIONS : 0);
  return scopes != 0 ? scopes : NTSEM_SCOPE_GLOBAL | NTSEM_SCOPE_SESSION;
}

void print_scope_help(std::ostream& out) {
  out << "The namespace flags add up; without any, the global namespace and this\n"
         "session's are read.  Objects live in $NTSEM_ROOT (default /dev/shm/ntsem):\n"
         "global/ and session-<id>/, the session being $NTSEM_SESSION or the login\n"
         "session.\n";
}

}  // namespace ntsem_tool
