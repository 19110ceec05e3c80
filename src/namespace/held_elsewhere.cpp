#include "namespace/held_elsewhere.hpp"

#include <cstddef>
#include <string>

#include "namespace/named_file_check.hpp"
#include "namespace/named_object.hpp"
#include "object/object_type.hpp"
#include "shm/named_file.hpp"
#include "sys/file.hpp"
#include "sys/process.hpp"

namespace ntsem::names {
namespace {

using sys::file_error;

// The request that opens the file `file_name` of scope `s` by its name,
// if that file is the one at `where`.
bool request_for_file(scope s, const std::string& file_name, const object::object_location& where,
                      named_request* out) {
  int directory = -1;
  if (scope_directory(s, &directory) != STATUS_SUCCESS) return false;
  sys::unique_fd fd;
  if (sys::open_untrusted_in(directory, file_name, false, &fd) != file_error::ok) return false;
  sys::file_identity id{};
  if (sys::identify(fd.get(), &id) != file_error::ok || !id.regular ||
      static_cast<std::uint64_t>(id.device) != where.device ||
      static_cast<std::uint64_t>(id.inode) != where.inode)
    return false;
  shm::named_file_header h{};
  if (sys::read_at(fd.get(), &h, sizeof h, 0) != file_error::ok) return false;
  const auto type = static_cast<shm::object_type>(h.type);
  if (!object::visit_type(type, [](auto) { return true; }, false)) return false;
  out->where = s;
  out->file_name = file_name;
  // Judged with the header by the open's own validation.
  out->canonical_name = stored_name(fd.get(), id.size);
  out->type = type;
  out->open_only = true;
  return true;
}

}  // namespace

bool reference_held_by(std::uint32_t pid, std::int64_t descriptor,
                       const object::object_location& where, object::object_ref* out,
                       shm::object_type* type) {
  if (reference_at(where, out, type)) return true;
  if (where.offset != offsetof(shm::named_file, slot)) return false;
  std::string file_name;
  if (!sys::descriptor_file_name(pid, descriptor, &file_name)) return false;
  for (const scope s : {scope::global, scope::session}) {
    named_request request;
    if (!request_for_file(s, file_name, where, &request)) continue;
    ACCESS_MASK granted = 0;
    if (open_named(request, out, &granted) != STATUS_OBJECT_NAME_EXISTS) return false;
    if (out->home->location != where) {
      object::drop_ref(*out);
      return false;
    }
    *type = request.type;
    return true;
  }
  return false;
}

}  // namespace ntsem::names
