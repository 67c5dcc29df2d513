// The modes of xinwen-search, one file each (search_command.cc for the
// default, then analyze_, suggest_, batch_, segment_ and serve_command.cc).
// Each add_* function declares its options on the program's CLI::App, bound
// to an options struct it keeps alive, and returns what runs the mode once
// the command line is parsed. --help shows each option's default as the
// struct holds it (main.cc captures them all); lists, empty by default, clear
// theirs. Program code, used by main.cc on one thread.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xinwen/ascii.h>
#include <xinwen/errors.h>
#include <xinwen/lexicon.h>
#include <xinwen/search.h>

namespace xinwen {

// Where a mode's options are (a subcommand; for search, the program's option
// group) and what runs the mode.
struct Mode {
  CLI::App* command = nullptr;
  std::function<int()> run;
};

Mode add_search_options(CLI::App& app);  // the default, without a subcommand
Mode add_analyze_command(CLI::App& app);
Mode add_suggest_command(CLI::App& app);
Mode add_batch_command(CLI::App& app);
Mode add_segment_command(CLI::App& app);
Mode add_serve_command(CLI::App& app);

// --entities and --lexicon (lexicon_options.cc): empty means the defaults
// compiled in, which may be missing; a file named here must load.
struct LexiconPaths {
  std::string entities, table;
};
// Adds --entities and --lexicon, and --no-expand (setting *no_expand) unless null.
void add_lexicon_options(CLI::App& app, LexiconPaths& paths, bool* no_expand);
// Loads once per process; throws UsageError or EnvironmentError for a bad or
// unreadable file that was named.
std::shared_ptr<const Lexicon> load_lexicon(const LexiconPaths& paths);

// --remote-timeout and --allow-partial, for databases whose stub names remote
// shards (schema/db.h, OpenOptions).
inline void add_remote_options(CLI::App& app, OpenOptions& open) {
  app.add_option("--remote-timeout", open.remote_timeout,
                 "Seconds a remote shard may take to connect and to answer each request")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_flag("--allow-partial", open.allow_partial,
               "Answer from the other shards when one is down or too slow (\"partial\": true, \"missing_shards\")");
}

// The words of a command line as one string, one space between them.
inline std::string join_words(const std::vector<std::string>& words) { return join(words, " "); }

inline const char* sort_name(SortOrder s) { return s == SortOrder::kDate ? "date" : "relevance"; }

// "relevance" or "date"; throws UsageError otherwise.
inline SortOrder parse_sort(const std::string& s) {
  if (s == "relevance") return SortOrder::kRelevance;
  if (s == "date") return SortOrder::kDate;
  throw UsageError("--sort must be relevance or date, not \"" + s + "\"");
}

}  // namespace xinwen
