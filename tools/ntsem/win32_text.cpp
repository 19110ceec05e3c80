#include "win32_text.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace ntsem_tool {

namespace {

// Only the codes the semaphore, name and wait calls can set.
constexpr std::array<std::pair<DWORD, std::string_view>, 17> error_names{{
    {ERROR_SUCCESS, "ERROR_SUCCESS"},
    {ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND"},
    {ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND"},
    {ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED"},
    {ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE"},
    {ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY"},
    {ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED"},
    {ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER"},
    {ERROR_INVALID_NAME, "ERROR_INVALID_NAME"},
    {ERROR_BAD_PATHNAME, "ERROR_BAD_PATHNAME"},
    {ERROR_ALREADY_EXISTS, "ERROR_ALREADY_EXISTS"},
    {ERROR_FILENAME_EXCED_RANGE, "ERROR_FILENAME_EXCED_RANGE"},
    {ERROR_TOO_MANY_POSTS, "ERROR_TOO_MANY_POSTS"},
    {ERROR_NOACCESS, "ERROR_NOACCESS"},
    {ERROR_REVISION_MISMATCH, "ERROR_REVISION_MISMATCH"},
    {ERROR_FILE_CORRUPT, "ERROR_FILE_CORRUPT"},
    {ERROR_NO_SYSTEM_RESOURCES, "ERROR_NO_SYSTEM_RESOURCES"},
}};

}  // namespace

std::string error_text(DWORD error) {
  for (const auto& [code, name] : error_names) {
    if (code == error) {
      return std::string(name) + " (" + std::to_string(error) + ")";
    }
  }
  return "error " + std::to_string(error);
}

std::string wait_result_text(DWORD result) {
  if (result == WAIT_FAILED) {
    return "WAIT_FAILED, " + error_text(GetLastError());
  }
  if (result == WAIT_TIMEOUT) {
    return "WAIT_TIMEOUT";
  }
  if (result < MAXIMUM_WAIT_OBJECTS) {
    return result == WAIT_OBJECT_0 ? "WAIT_OBJECT_0" : "WAIT_OBJECT_0 + " + std::to_string(result);
  }
  return "wait result " + std::to_string(result);
}

std::string failed_call_text(std::string_view call) {
  return std::string(call) + " failed: " + error_text(GetLastError());
}

}  // namespace ntsem_tool
