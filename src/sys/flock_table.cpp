#include "sys/flock_table.hpp"

#include <fcntl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <charconv>
#include <string>
#include <vector>

#include "sys/file.hpp"

namespace ntsem::sys {
namespace {

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t end = i;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (end > i) words.push_back(line.substr(i, end - i));
    i = end;
  }
  return words;
}

template <class Number>
bool number_of(std::string_view text, int base, Number* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out, base);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

bool flock_table::read() {
  files_.clear();
  unique_fd fd(::open("/proc/locks", O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) return false;
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  parse(text);
  return true;
}

// A line: "<id>: FLOCK  ADVISORY  READ <pid> <major>:<minor>:<inode> 0 EOF",
// major and minor in hexadecimal; a waiting request has "->" after the id
// (more than one in a chain), and other kinds of lock another word.
void flock_table::parse(std::string_view text) {
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const std::vector<std::string_view> words = words_of(line);
    if (words.size() < 6 || words[1] != "FLOCK") continue;
    const std::string_view where = words[5];
    const std::size_t first = where.find(':'), second = where.find(':', first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) continue;
    file_key key{};
    if (number_of(where.substr(0, first), 16, &key.major) &&
        number_of(where.substr(first + 1, second - first - 1), 16, &key.minor) &&
        number_of(where.substr(second + 1), 10, &key.inode))
      files_.insert(key);
  }
}

bool flock_table::locked(dev_t device, ino_t inode) const {
  return files_.contains({::major(device), ::minor(device), static_cast<std::uint64_t>(inode)});
}

}  // namespace ntsem::sys
