// xinwen-index: add articles to a database, delete them, report statistics,
// the nightly fetch, and the compaction of sharded indexes. One file per subcommand (*_command.cc); this file
// only assembles them. Exit status: 0 all went in, 1 some records were
// rejected (or ids not found, or feeds failed), 2 bad usage or an unusable
// database, 130 interrupted (what was committed stays).
#include <csignal>
#include <vector>

#include <xinwen/cli.h>
#include "commands.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

}  // namespace

bool xinwen::cli::stop_requested() { return g_stop != 0; }

int main(int argc, char** argv) {
  using namespace xinwen::cli;
  CLI::App app{"Adds news articles to a xinwen database, deletes them, shows statistics, fetches feeds.",
               "xinwen-index"};
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 all went in, 1 some records were rejected (delete: ids not found; fetch: feeds or items\n"
      "failed), 2 bad usage or an unusable database, 130 interrupted (what was committed stays).");
  // Help shows each option's real default, read from the options it is bound to.
  app.option_defaults()->always_capture_default();
  const std::vector<Command> commands = {add_add_command(app), add_delete_command(app), add_stats_command(app),
                                         add_fetch_command(app), add_compact_command(app)};
  return xinwen::run_main(app, argc, argv, [&] {
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    for (const Command& c : commands)
      if (c.app->parsed()) return c.run();
    return xinwen::kExitUsage;
  });
}
