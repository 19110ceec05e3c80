#include "namespace/named_file_check.hpp"

#include "shm/named_file.hpp"
#include "sys/file.hpp"

namespace ntsem::names {

std::string stored_name(int fd, std::size_t file_size) {
  shm::named_file_header h{};
  if (sys::read_at(fd, &h, sizeof h, 0) != sys::file_error::ok) return {};
  const std::size_t offset = shm::named_file_name_offset_for(h.name_bytes);
  if (file_size < offset || h.name_bytes > file_size - offset) return {};
  std::string name(h.name_bytes, '\0');
  if (sys::read_at(fd, name.data(), name.size(), offset) != sys::file_error::ok) return {};
  return name;
}

}  // namespace ntsem::names
