#include "demo_report.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <system_error>

namespace ntsem_tool {

namespace {

// Far below PIPE_BUF (at least 512 by POSIX, 4096 on Linux) with the rest of
// the line.
constexpr std::size_t longest_failure_text = 400;

std::string_view keyword(ReportKind kind) {
  switch (kind) {
    case ReportKind::ready:
      return "ready";
    case ReportKind::enter:
      return "enter";
    case ReportKind::leave:
      return "leave";
    case ReportKind::failure:
      return "fail";
  }
  return "?";
}

// The next space-separated word of `rest`, which loses it and its space.
std::string_view next_word(std::string_view& rest) {
  const std::size_t space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  return word;
}

template <class Integer>
std::optional<Integer> positive_number(std::string_view text) {
  Integer value = 0;
  const char* const end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value <= 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string format_report(const Report& report) {
  std::string line(keyword(report.kind));
  line += ' ';
  line += std::to_string(report.worker);
  if (report.kind == ReportKind::ready) {
    line += ' ';
    line += std::to_string(report.pid);
  }
  if (report.kind == ReportKind::failure) {
    line += ' ';
    std::string text = report.text.substr(0, longest_failure_text);
    for (char& c : text) {
      if (c == '\n' || c == '\r') {
        c = ' ';
      }
    }
    line += text;
  }
  line += '\n';
  return line;
}

std::optional<Report> parse_report(std::string_view line) {
  std::string_view rest = line;
  const std::string_view word = next_word(rest);
  Report report;
  if (word == "ready") {
    report.kind = ReportKind::ready;
  } else if (word == "enter") {
    report.kind = ReportKind::enter;
  } else if (word == "leave") {
    report.kind = ReportKind::leave;
  } else if (word == "fail") {
    report.kind = ReportKind::failure;
  } else {
    return std::nullopt;
  }
  const std::optional<int> worker = positive_number<int>(next_word(rest));
  if (!worker) {
    return std::nullopt;
  }
  report.worker = *worker;
  switch (report.kind) {
    case ReportKind::ready: {
      const std::optional<pid_t> pid = positive_number<pid_t>(next_word(rest));
      if (!pid || !rest.empty()) {
        return std::nullopt;
      }
      report.pid = *pid;
      break;
    }
    case ReportKind::failure:
      report.text = std::string(rest);
      break;
    case ReportKind::enter:
    case ReportKind::leave:
      if (!rest.empty()) {
        return std::nullopt;
      }
      break;
  }
  return report;
}

bool send_report(int fd, const Report& report) {
  const std::string line = format_report(report);
  ssize_t written = -1;
  do {
    written = ::write(fd, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
  if (written < 0) {
    return false;
  }
  if (static_cast<std::size_t>(written) != line.size()) {
    errno = EIO;  // cannot happen on a pipe for so short a line
    return false;
  }
  return true;
}

UniqueFd::UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() { reset(); }

void UniqueFd::reset() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

std::vector<std::string> ReportReader::read_lines() {
  std::vector<std::string> lines;
  if (at_end_) {
    return lines;
  }
  char buffer[4096];
  ssize_t got = -1;
  do {
    got = ::read(fd_.get(), buffer, sizeof buffer);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    throw std::system_error(errno, std::generic_category(), "reading the workers' reports");
  }
  if (got == 0) {
    at_end_ = true;
    if (!partial_.empty()) {
      lines.push_back(std::exchange(partial_, {}));
    }
    return lines;
  }
  partial_.append(buffer, static_cast<std::size_t>(got));
  std::size_t start = 0;
  for (std::size_t newline = partial_.find('\n'); newline != std::string::npos;
       newline = partial_.find('\n', start)) {
    lines.emplace_back(partial_, start, newline - start);
    start = newline + 1;
  }
  partial_.erase(0, start);
  return lines;
}

}  // namespace ntsem_tool
