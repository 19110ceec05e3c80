// The table of sub-commands: adding a command means adding one row here.
#include <algorithm>
#include <array>

#include "command.hpp"
#include "demo.hpp"
#include "demo_worker.hpp"
#include "gc.hpp"
#include "help.hpp"
#include "list.hpp"

namespace ntsem_tool {

namespace {

constexpr std::array commands{
    Command{"demo", "watch worker processes share one semaphore", print_demo_help, run_demo, false},
    Command{"demo-worker", "one worker process of the demo", print_demo_worker_help,
            run_demo_worker, true},
    Command{"list", "list the named objects and other files of the namespace", print_list_help,
            run_list, false},
    Command{"gc", "remove the files of objects whose last holder was killed", print_gc_help,
            run_gc, false},
    Command{"help", "show this help, or the help of one command", print_help_help, run_help, false},
};

}  // namespace

std::span<const Command> all_commands() { return commands; }

const Command* find_command(std::string_view name) {
  const auto found = std::ranges::find(commands, name, &Command::name);
  return found == commands.end() ? nullptr : &*found;
}

}  // namespace ntsem_tool
