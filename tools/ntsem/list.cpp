#include "list.hpp"

#include <ntsem/namespace.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <string>
#include <vector>

#include "help.hpp"
#include "object_text.hpp"
#include "options.hpp"
#include "scope_options.hpp"
#include "text_escape.hpp"
#include "win32_text.hpp"

namespace ntsem_tool {

namespace {

struct ListSettings {
  ScopeFlags scopes;
  bool json = false;
};

std::vector<FlagOption> list_options(ListSettings& settings) {
  return with_scope_flags({{"--json", "print one JSON document instead of a table", &settings.json}},
                          settings.scopes);
}

constexpr std::size_t column_count = 7;
using Row = std::array<std::string, column_count>;
const Row heading{"DIRECTORY", "NAME", "TYPE", "VALUE", "OWNER", "MODE", "STATE"};

Row row_of(const NTSEM_OBJECT_INFO& info) {
  std::string state(state_text(info.State));
  if (!has_name(info) && info.Error != ERROR_SUCCESS) {
    state += ": " + error_text(info.Error);
  }
  return {printable(info.Directory),
          object_label(info),
          std::string(type_text(info.Type)),
          counts_text(info),
          owner_text(info.OwnerUid),
          mode_text(info.Mode),
          state};
}

struct Listing {
  bool json;
  std::vector<Row> rows;
  std::vector<std::string> json_objects;
};

BOOL WINAPI collect(const NTSEM_OBJECT_INFO* info, PVOID context) {
  auto& listing = *static_cast<Listing*>(context);
  if (listing.json) {
    listing.json_objects.push_back("{" + json_members(*info) + "}");
  } else {
    listing.rows.push_back(row_of(*info));
  }
  return TRUE;
}

void print_table(const std::vector<Row>& rows) {
  std::array<std::size_t, column_count> widths{};
  for (std::size_t c = 0; c < column_count; ++c) {
    widths[c] = display_width(heading[c]);
    for (const Row& row : rows) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  const auto print_row = [&](const Row& row) {
    std::string line;
    for (std::size_t c = 0; c < column_count; ++c) {
      line += row[c];
      if (c + 1 < column_count) {
        line.append(widths[c] - display_width(row[c]) + 2, ' ');
      }
    }
    std::cout << line << '\n';
  };
  print_row(heading);
  for (const Row& row : rows) {
    print_row(row);
  }
}

}  // namespace

void print_list_help(std::ostream& out) {
  ListSettings defaults;
  out << "Usage: ntsem list [--json] [--global] [--session] [--all-sessions]\n"
         "\n"
         "Lists the named objects: for each, its namespace directory, name, type,\n"
         "value (VALUE: a semaphore's count/maximum, an event's set or reset and\n"
         "reset mode), owner, mode, and whether a process holds it or its last\n"
         "holder was killed (STATE: held, or leftover: 'ntsem gc' removes it).\n"
         "Other files found there are listed by file name: foreign or corrupt, of\n"
         "another ntsem version, or inaccessible (another user's).  Each file is\n"
         "read without taking any lock, so what is shown may change at once.\n"
         "Names are shown with control characters escaped (\\n, \\xHH, \\u{XXXX}).\n"
         "\n"
         "Options:\n";
  print_options(out, {}, {}, list_options(defaults));
  out << "  -h, --help      show this help\n"
         "\n";
  print_scope_help(out);
  out << "\n";
  print_exit_codes(out);
}

int run_list(Arguments arguments) {
  ListSettings settings;
  parse_options(arguments, {}, {}, list_options(settings));
  Listing listing{settings.json, {}, {}};
  if (NtsemEnumerateNamedObjects(scopes_of(settings.scopes), collect, &listing) == FALSE) {
    std::cerr << "ntsem list: " << failed_call_text("NtsemEnumerateNamedObjects") << '\n';
    return exit_failure;
  }
  if (settings.json) {
    std::cout << "{\"objects\":" << json_array(listing.json_objects) << "}\n";
  } else {
    print_table(listing.rows);
  }
  return exit_ok;
}

}  // namespace ntsem_tool
