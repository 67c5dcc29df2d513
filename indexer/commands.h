// The subcommands of xinwen-index, one file each (add_command.cc, ...). Each
// adds itself to the program's CLI11 app with its options bound to the
// options it runs with, and hands back what main runs when it is chosen.
// Private to the program; used from main's thread only.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace xinwen::cli {

struct Command {
  CLI::App* app = nullptr;   // the subcommand, to ask whether it was chosen
  std::function<int()> run;  // returns the exit status (xinwen/errors.h)
};

Command add_add_command(CLI::App& app);
Command add_delete_command(CLI::App& app);
Command add_stats_command(CLI::App& app);
Command add_fetch_command(CLI::App& app);
Command add_compact_command(CLI::App& app);

// True once SIGINT or SIGTERM arrived: what is complete is committed, and the
// command ends with kExitInterrupted.
bool stop_requested();

}  // namespace xinwen::cli
