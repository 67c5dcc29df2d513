// xinwen-search: ranked search from the command line, plus the tools around
// it, each a subcommand in a file of its own (*_command.cc):
//   xinwen-search --db DIR [options] [--] QUERY...  search (the default)
//   xinwen-search analyze [--query] [--json] TEXT   show terms, like _analyze
//   xinwen-search suggest --db DIR PREFIX           completions
//   xinwen-search batch --db DIR                    JSON Lines queries on stdin
//   xinwen-search segment                           raw ICU segmentation of stdin
//   xinwen-search serve --db DIR                    the HTTP API (searcher/API.md)
// Exit status: 0 success (also when nothing matched), 2 bad usage, a query
// syntax error or a missing/unusable database.
#include <CLI/CLI.hpp>
#include <string_view>
#include <vector>

#include <xinwen/cli.h>

#include "commands.h"

namespace {

// A mode is named first or not at all: in `xinwen-search --db DIR serve`,
// "serve" is the word searched for. Help still lists every mode.
void modes_only_first(const std::vector<xinwen::Mode>& modes, int argc, char** argv) {
  if (argc < 2) return;
  for (const xinwen::Mode& m : modes)
    if (m.command->get_name() == argv[1]) return;
  for (int i = 1; i < argc && std::string_view(argv[i]) != "--"; ++i)
    if (std::string_view(argv[i]) == "-h" || std::string_view(argv[i]) == "--help") return;
  for (const xinwen::Mode& m : modes) m.command->disabled();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "xinwen-search: ranked search over a xinwen database.\n"
      "Query syntax: words, \"phrases\", AND OR NOT XOR, +must -not, title: source: lang: tag: author:,\n"
      "word*, 2025-06-01..2025-07-01. Other modes are the subcommands below (MODE --help).",
      "xinwen-search"};
  app.option_defaults()->always_capture_default();
  app.require_subcommand(0, 1);  // so that a mode's words may be mode names
  const xinwen::Mode search = xinwen::add_search_options(app);
  const std::vector<xinwen::Mode> modes = {xinwen::add_analyze_command(app), xinwen::add_suggest_command(app),
                                           xinwen::add_batch_command(app), xinwen::add_segment_command(app),
                                           xinwen::add_serve_command(app)};
  for (const xinwen::Mode& m : modes) search.command->excludes(m.command);  // --db and QUERY are search's
  modes_only_first(modes, argc, argv);
  return xinwen::run_main(app, argc, argv, [&] {
    for (const xinwen::Mode& m : modes)
      if (m.command->parsed()) return m.run();
    return search.run();
  });
}
