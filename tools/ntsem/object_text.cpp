#include "object_text.hpp"

#include <pwd.h>
#include <sys/types.h>

#include <array>
#include <cstdio>
#include <vector>

#include "text_escape.hpp"

namespace ntsem_tool {

bool has_name(const NTSEM_OBJECT_INFO& info) {
  return (info.State == NTSEM_FILE_HELD || info.State == NTSEM_FILE_LEFTOVER) &&
         info.Type != NTSEM_TYPE_PROCESS_RECORD;
}

std::string object_label(const NTSEM_OBJECT_INFO& info) {
  if (has_name(info)) {
    std::string label(1, '"');
    label += printable(info.Name);
    label += '"';
    return label;
  }
  std::string label(info.Type == NTSEM_TYPE_PROCESS_RECORD ? "process record " : "file ");
  label += printable(info.FileName);
  return label;
}

std::string_view state_text(DWORD state) {
  switch (state) {
    case NTSEM_FILE_HELD:
      return "held";
    case NTSEM_FILE_LEFTOVER:
      return "leftover";
    case NTSEM_FILE_CORRUPT:
      return "foreign or corrupt";
    case NTSEM_FILE_OTHER_VERSION:
      return "other version";
    case NTSEM_FILE_INACCESSIBLE:
      return "inaccessible";
    default:
      return "unknown";
  }
}

std::string_view type_text(DWORD type) {
  switch (type) {
    case NTSEM_TYPE_SEMAPHORE:
      return "semaphore";
    case NTSEM_TYPE_EVENT:
      return "event";
    case NTSEM_TYPE_PROCESS_RECORD:
      return "process record";
    default:
      return "-";
  }
}

std::string counts_text(const NTSEM_OBJECT_INFO& info) {
  if (info.Count < 0) {
    return "-";
  }
  if (info.Type == NTSEM_TYPE_SEMAPHORE) {
    std::string text = std::to_string(info.Count);
    text += '/';
    text += std::to_string(info.Maximum);
    return text;
  }
  if (info.Type == NTSEM_TYPE_EVENT) {
    std::string text = info.Count != 0 ? "set" : "reset";
    text += info.ManualReset == 1 ? " (manual)" : " (auto)";
    return text;
  }
  return "-";
}

std::string owner_text(DWORD uid) {
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(4096);
  if (getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found != nullptr) {
    return found->pw_name;
  }
  return std::to_string(uid);
}

std::string mode_text(DWORD mode) {
  std::array<char, 16> text{};
  std::snprintf(text.data(), text.size(), "%04o", static_cast<unsigned>(mode & 07777u));
  return text.data();
}

std::string json_members(const NTSEM_OBJECT_INFO& info) {
  std::string json = "\"scope\":";
  if (info.Scope == 0) {
    json += "null";  // a process record
  } else {
    json += info.Scope == NTSEM_SCOPE_GLOBAL ? "\"global\"" : "\"session\"";
  }
  json += ",\"directory\":" + json_string(info.Directory);
  json += ",\"file\":" + json_string(info.FileName);
  json += ",\"name\":";
  json += has_name(info) ? json_string(info.Name) : "null";
  json += ",\"state\":" + json_string(state_text(info.State));
  json += ",\"type\":";
  const std::string_view type = type_text(info.Type);
  json += type != "-" ? json_string(type) : "null";
  json += ",\"count\":";
  json += info.Count >= 0 ? std::to_string(info.Count) : "null";
  json += ",\"maximum\":";
  json += info.Maximum >= 0 ? std::to_string(info.Maximum) : "null";
  json += ",\"manual_reset\":";
  json += info.ManualReset >= 0 ? (info.ManualReset != 0 ? "true" : "false") : "null";
  json += ",\"uid\":" + std::to_string(info.OwnerUid);
  json += ",\"mode\":" + json_string(mode_text(info.Mode));
  json += ",\"error\":" + std::to_string(info.Error);
  return json;
}

}  // namespace ntsem_tool
