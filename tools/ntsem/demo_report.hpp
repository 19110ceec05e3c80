// What the demo's worker processes tell the demo, and how: one line per event,
// written with a single write(2) on a pipe that every worker shares, read by
// the demo's main process in the order the lines arrived.
//
//   ready I PID   worker I (process PID) opened the semaphore by name
//   enter I       worker I's wait succeeded: it holds a unit
//   leave I       worker I is about to give its unit back
//   fail I TEXT   worker I met a failure and is about to exit
//
// A line is far shorter than PIPE_BUF, so POSIX makes each write atomic: the
// lines of different workers never mix, and a line is in the pipe, ahead of
// every line written after it by anyone, once its write returns.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ntsem_tool {

enum class ReportKind { ready, enter, leave, failure };

struct Report {
  ReportKind kind = ReportKind::ready;
  int worker = 0;    // from 1
  pid_t pid = 0;     // ready only
  std::string text;  // failure only
};

// The line of a report, newline included.  A failure's text is cut short and
// kept on one line, so that the line stays atomic.
std::string format_report(const Report& report);

// nullopt for a line that is not a report (without its newline).
std::optional<Report> parse_report(std::string_view line);

// Writes the report's line with one write(2).  False with errno set when it
// could not be written whole.
bool send_report(int fd, const Report& report);

// A file descriptor, closed exactly once, when its owner goes away.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept;
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  [[nodiscard]] int get() const { return fd_; }
  void reset();

 private:
  int fd_ = -1;
};

// Splits what arrives on the read end of the pipe into lines.
class ReportReader {
 public:
  explicit ReportReader(UniqueFd fd) : fd_(std::move(fd)) {}

  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] bool at_end() const { return at_end_; }

  // One read(2), which must not block (call it when poll(2) says so): the
  // complete lines it finished, without their newlines.  At the end of the
  // file a last line without a newline is returned as it is.  Throws
  // std::system_error when the read fails.
  std::vector<std::string> read_lines();

 private:
  UniqueFd fd_;
  std::string partial_;
  bool at_end_ = false;
};

}  // namespace ntsem_tool
