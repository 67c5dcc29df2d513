// `xinwen-index add`: reads files, folders or standard input and loads the
// articles, reporting rejected records, and on a terminal the progress.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include <xinwen/ascii.h>
#include <xinwen/db.h>
#include <xinwen/errors.h>
#include <xinwen/load.h>
#include <xinwen/progress.h>
#include <xinwen/readers.h>
#include <xinwen/shards.h>
#include "commands.h"

namespace xinwen::cli {
namespace {

struct AddArgs {
  std::string db;
  std::vector<std::string> paths;
  unsigned jobs = 1;
  std::string shards;  // --shards, empty when not given
  IndexerOptions indexer;
  ReadOptions read;
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
  ReadOptions read = args.read;
  read.stop = stop_requested;
  const bool show_progress = !args.quiet && isatty(STDERR_FILENO);
  // Only file sizes: nothing is read twice. Standard input has no size.
  ProgressLine progress(show_progress, show_progress ? input_size(args.paths, read) : std::nullopt);
  std::size_t warnings_shown = 0, warnings_hidden = 0;
  constexpr std::size_t kMaxWarnings = 20;

  std::optional<ShardScheme> shards;
  if (!args.shards.empty()) {
    shards = parse_shard_scheme(args.shards);
    if (!shards) throw UsageError("--shards takes month, year or hash:N (N from 1 to 1024), not " + args.shards);
  }
  Loader loader(args.db, args.jobs, args.indexer, &counters, shards);
  for (const std::string& note : loader.notes())
    std::fprintf(stderr, "xinwen-index: %s\n", escape_controls(note).c_str());

  // Input text (paths, ids, titles, parser messages) is quoted in messages
  // with its control characters escaped: it must not drive the terminal.
  auto reject = [&](const std::string& origin, const std::string& why) {
    ++counters.rejected;
    std::fprintf(stderr, "xinwen-index: %s: rejected: %s\n", escape_controls(origin).c_str(),
                 escape_controls(why).c_str());
  };
  std::string failure;  // why the database could not be written
  try {
    read_paths(
        args.paths,
        [&](Record&& r) {
          counters.bytes += r.bytes;
          for (const std::string& w : r.outcome.warnings) {
            if (warnings_shown < kMaxWarnings) {
              std::fprintf(stderr, "xinwen-index: %s: warning: %s\n", escape_controls(r.origin).c_str(),
                           escape_controls(w).c_str());
              ++warnings_shown;
            } else {
              ++warnings_hidden;
            }
          }
          if (r.skipped) return;
          if (!r.outcome.article) return reject(r.origin, r.outcome.error);
          try {
            loader.add(std::move(*r.outcome.article));
          } catch (const Xapian::InvalidArgumentError& e) {
            return reject(r.origin, e.get_msg());
          } catch (const std::exception& e) {
            // Whatever one article raises rejects that article; a database
            // failure (any other Xapian::Error) ends the run below.
            return reject(r.origin, e.what());
          }
          progress.tick(counters);
        },
        read);
    loader.finish();
  } catch (const Xapian::Error& e) {
    failure = describe_xapian_error(e);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  progress.done();
  if (warnings_hidden) std::fprintf(stderr, "xinwen-index: %zu more warnings not shown\n", warnings_hidden);
  // The summary comes out even when the database failed: it says how far the run got.
  std::printf("added %zu, replaced %zu, unchanged %zu, rejected %zu, %.2f s\n", counters.added.load(),
              counters.replaced.load(), counters.unchanged.load(), counters.rejected.load(), progress.seconds());
  if (!failure.empty()) {
    std::fflush(stdout);
    std::fprintf(stderr, "xinwen-index: cannot write database %s: %s; what was committed before stays\n",
                 escape_controls(args.db).c_str(), escape_controls(failure).c_str());
    return kExitUsage;
  }
  if (stop_requested()) {
    std::fprintf(stderr, "xinwen-index: interrupted; everything read before the interruption is committed\n");
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
  add->add_option("--shards", args->shards,
                  "Keep DIR as a sharded index: month, year or hash:N (a new index; later runs route the same way)");
  add->add_option("-j,--jobs", args->jobs,
                  "Writer threads for a new database (shards merged at the end), or for a sharded index")
      ->check(CLI::Range(1u, 64u));
  add->add_option("--batch-size", args->indexer.batch_size, "Articles per commit")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  add->add_option("--max-record-bytes", args->read.max_record_bytes,
                  "Longest JSON Lines record; longer ones are rejected unread")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  add->add_flag("--follow-symlinks", args->read.follow_symlinks,
                "Read file symlinks in folders that point outside the folder given");
  add->add_flag("-q,--quiet", args->quiet, "No progress display");
  add->add_option("paths", args->paths, "Files, folders, or - for JSON Lines on stdin")->required()->default_str("");
  return {add, [args] { return run_add(*args); }};
}

}  // namespace xinwen::cli
