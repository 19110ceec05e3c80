// How the namespace commands (list, gc) show one file of the namespace
// (an NTSEM_OBJECT_INFO), as text and as JSON.
#pragma once

#include <ntsem/namespace.h>

#include <string>
#include <string_view>

namespace ntsem_tool {

// A valid object (held or leftover) has a name; a process record and any
// other file are shown by their file name.
bool has_name(const NTSEM_OBJECT_INFO& info);

// "\"name\"" (quoted, printable()) for an object, "process record <file
// name>" for a process record, "file <file name>" for another file.
std::string object_label(const NTSEM_OBJECT_INFO& info);

// "held", "leftover", "foreign or corrupt", "other version", "inaccessible".
std::string_view state_text(DWORD state);
// "semaphore", "event", "process record", or "-" when unknown.
std::string_view type_text(DWORD type);
// "2/3" for a semaphore (count/maximum), "set (manual)" or "reset (auto)"
// for an event, "-" otherwise.
std::string counts_text(const NTSEM_OBJECT_INFO& info);
// The user's name, or the number when it has none.
std::string owner_text(DWORD uid);
// "0600".
std::string mode_text(DWORD mode);

// The JSON members that describe the file, without braces:
// "scope":..,"directory":..,"file":..,"name":..,"state":..,"type":..,
// "count":..,"maximum":..,"manual_reset":..,"uid":..,"mode":..,"error":..
// (count: a semaphore's count, or 1/0 for a signaled/reset event;
// manual_reset: true/false for an event, null otherwise; scope: null for a
// process record)
std::string json_members(const NTSEM_OBJECT_INFO& info);

}  // namespace ntsem_tool
