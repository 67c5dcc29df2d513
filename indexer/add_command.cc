// `xinwen-index add`: reads files, folders or standard input and loads the
// articles, reporting rejected records, and on a terminal the progress.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <xinwen/errors.h>
#include <xinwen/load.h>
#include <xinwen/progress.h>
#include <xinwen/readers.h>
#include "commands.h"

namespace xinwen::cli {
namespace {

struct AddArgs {
  std::string db;
  std::vector<std::string> paths;
  unsigned jobs = 1;
  IndexerOptions indexer;
  bool quiet = false;
};

// The progress line on stderr, redrawn at most twice a second.
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::optional<std::uint64_t> bytes_total) : enabled_(enabled), total_(bytes_total) {}

  void tick(const LoadCounters& c) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    ProgressFigures f;
    f.articles = c.added + c.replaced + c.unchanged;
    f.rejected = c.rejected;
    f.bytes_done = c.bytes;
    f.bytes_total = total_;
    f.elapsed = now - start_;
    std::fprintf(stderr, "\r%s   ", format_progress(f).c_str());
  }
  void done() {
    if (enabled_) std::fputs("\r\033[K", stderr);
  }
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  bool enabled_;
  std::optional<std::uint64_t> total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

int run_add(const AddArgs& args) {
  LoadCounters counters;
  const bool show_progress = !args.quiet && isatty(STDERR_FILENO);
  // Only file sizes: nothing is read twice. Standard input has no size.
  ProgressLine progress(show_progress, show_progress ? input_size(args.paths) : std::nullopt);
  std::size_t warnings_shown = 0, warnings_hidden = 0;
  constexpr std::size_t kMaxWarnings = 20;

  Loader loader(args.db, args.jobs, args.indexer, &counters);
  if (!loader.note().empty()) std::fprintf(stderr, "xinwen-index: %s\n", loader.note().c_str());

  read_paths(args.paths, [&](Record&& r) {
    if (stop_requested()) return;
    counters.bytes += r.bytes;
    for (const std::string& w : r.outcome.warnings) {
      if (warnings_shown < kMaxWarnings) {
        std::fprintf(stderr, "xinwen-index: %s: warning: %s\n", r.origin.c_str(), w.c_str());
        ++warnings_shown;
      } else {
        ++warnings_hidden;
      }
    }
    if (!r.outcome.article) {
      ++counters.rejected;
      std::fprintf(stderr, "xinwen-index: %s: rejected: %s\n", r.origin.c_str(), r.outcome.error.c_str());
      return;
    }
    loader.add(std::move(*r.outcome.article));
    progress.tick(counters);
  });
  loader.finish();
  progress.done();
  if (warnings_hidden) std::fprintf(stderr, "xinwen-index: %zu more warnings not shown\n", warnings_hidden);
  std::printf("added %zu, replaced %zu, unchanged %zu, rejected %zu, %.2f s\n", counters.added.load(),
              counters.replaced.load(), counters.unchanged.load(), counters.rejected.load(), progress.seconds());
  if (stop_requested()) {
    std::fprintf(stderr, "xinwen-index: interrupted; everything before the interruption is committed\n");
    return kExitInterrupted;
  }
  return counters.rejected ? kExitRejected : kExitOk;
}

}  // namespace

Command add_add_command(CLI::App& app) {
  auto args = std::make_shared<AddArgs>();
  CLI::App* add =
      app.add_subcommand("add", "Add or replace articles from JSON Lines, Markdown, text files, folders or - (stdin)");
  add->add_option("--db", args->db, "Database directory (created if missing)")->required();
  add->add_option("-j,--jobs", args->jobs, "Writer threads for a new database (shards merged at the end)")
      ->check(CLI::Range(1u, 64u));
  add->add_option("--batch-size", args->indexer.batch_size, "Articles per commit")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  add->add_flag("-q,--quiet", args->quiet, "No progress display");
  add->add_option("paths", args->paths, "Files, folders, or - for JSON Lines on stdin")->required()->default_str("");
  return {add, [args] { return run_add(*args); }};
}

}  // namespace xinwen::cli
