// xinwen-search suggest --db DIR PREFIX...: completions of a partly typed
// query, one per line, most frequent first.
#include <cstdio>
#include <memory>

#include "commands.h"

namespace xinwen {
namespace {

struct SuggestCommand {
  std::string db;
  std::vector<std::string> words;
  std::size_t count = 8;
};

int run_suggest(const SuggestCommand& c) {
  Searcher searcher(c.db);
  for (const std::string& s : searcher.suggest(join_words(c.words), c.count)) std::printf("%s\n", s.c_str());
  return kExitOk;
}

}  // namespace

Mode add_suggest_command(CLI::App& app) {
  auto c = std::make_shared<SuggestCommand>();
  CLI::App* sub = app.add_subcommand("suggest", "Completions for a partly typed query");
  sub->add_option("--db", c->db, "Database")->required();
  sub->add_option("-n,--count", c->count, "How many");
  sub->add_option("prefix", c->words, "What has been typed")->required()->default_str("");
  return {sub, [c] { return run_suggest(*c); }};
}

}  // namespace xinwen
