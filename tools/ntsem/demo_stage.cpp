#include "demo_stage.hpp"

#include <algorithm>
#include <cstdio>

namespace ntsem_tool {

namespace {

// Wider pictures would wrap on an ordinary terminal; above this many units
// each '#' stands for several.
constexpr int widest_picture = 40;

int digits(int number) { return static_cast<int>(std::to_string(number).size()); }

std::string right_aligned(int number, int width) {
  const std::string text = std::to_string(number);
  return std::string(static_cast<std::size_t>(std::max(0, width - digits(number))), ' ') + text;
}

}  // namespace

DemoStage::DemoStage(Console& console, int maximum_count, int worker_count)
    : console_(console),
      maximum_count_(maximum_count),
      worker_digits_(digits(worker_count)),
      pids_(static_cast<std::size_t>(worker_count), 0) {}

void DemoStage::set_pid(int worker, pid_t pid) {
  pids_.at(static_cast<std::size_t>(worker - 1)) = pid;
  pid_digits_ = std::max(pid_digits_, digits(pid));
}

std::string DemoStage::name(int worker, bool aligned) const {
  const pid_t pid = pids_.at(static_cast<std::size_t>(worker - 1));
  std::string text("worker ");
  text += aligned ? right_aligned(worker, worker_digits_) : std::to_string(worker);
  text += " (pid ";
  text += aligned ? right_aligned(pid, pid_digits_) : std::to_string(pid);
  text += ')';
  return text;
}

void DemoStage::enter(int worker) { record(worker, "enters", Colour::green, +1); }

void DemoStage::leave(int worker) { record(worker, "leaves", Colour::dim, -1); }

void DemoStage::announce(std::string_view text, Colour colour) {
  console_.line(timestamp() + "  " + console_.paint(text, colour));
}

void DemoStage::tell(int worker, std::string_view text, Colour colour) {
  console_.line(timestamp() + "  " + name(worker, true) + " " + console_.paint(text, colour));
}

void DemoStage::record(int worker, std::string_view verb, Colour colour, int change) {
  inside_ += change;
  if (change > 0) {
    ++entries_;
    peak_ = std::max(peak_, inside_);
  }
  const std::string count = "inside " + right_aligned(inside_, digits(maximum_count_)) + "/" +
                            std::to_string(maximum_count_);
  console_.line(timestamp() + "  " + name(worker, true) + " " + console_.paint(verb, colour) +
                "  " + picture(inside_) + "  " +
                (inside_ > maximum_count_ ? console_.paint(count, Colour::red) : count));
}

std::string DemoStage::timestamp() const {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  char text[32];
  std::snprintf(text, sizeof text, "%7.3fs", elapsed.count());
  return text;
}

std::string DemoStage::picture(int occupants) const {
  const int width = std::min(maximum_count_, widest_picture);
  const int in_range = std::clamp(occupants, 0, maximum_count_);
  // Rounded up, so that a single occupant always shows.
  const int filled = (in_range * width + maximum_count_ - 1) / maximum_count_;
  // Built by appending: g++ 12 at -O2 and above gives a false -Wrestrict
  // warning for "literal" + std::string.
  std::string drawing(1, '[');
  drawing.append(static_cast<std::size_t>(filled), '#');
  drawing.append(static_cast<std::size_t>(width - filled), '.');
  drawing += ']';
  if (occupants > maximum_count_) {
    std::string excess(1, '+');
    excess += std::to_string(occupants - maximum_count_);
    drawing += console_.paint(excess, Colour::red);
  }
  return drawing;
}

}  // namespace ntsem_tool
