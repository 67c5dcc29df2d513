// xinwen-index: add articles to a database, delete them, report statistics.
// Exit status: 0 all went in, 1 some records were rejected, 2 bad usage or an
// unusable database, 130 interrupted (what was committed stays).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "fetch_command.h"
#include <xinwen/readers.h>
#include <xinwen/writer.h>
#include <xinwen/errors.h>
#include <xinwen/db.h>

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_signal(int) { g_interrupted = 1; }

struct Progress {
  bool enabled = isatty(STDERR_FILENO);
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), last = start;
  void tick(const xinwen::LoadCounters& c, bool force = false) {
    if (!enabled) return;
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last < std::chrono::milliseconds(500)) return;
    last = now;
    double s = std::chrono::duration<double>(now - start).count();
    std::size_t n = c.added + c.replaced + c.unchanged;
    std::fprintf(stderr, "\r%zu articles, %zu rejected, %.0f/s, %.1f MB/s   ", n, c.rejected.load(), s > 0 ? n / s : 0.0,
                 s > 0 ? c.bytes / s / 1e6 : 0.0);
  }
  void done() {
    if (enabled) std::fputs("\r\033[K", stderr);
  }
};

int run_add(const std::string& db, const std::vector<std::string>& paths, unsigned jobs, std::size_t batch,
            bool quiet) {
  xinwen::IndexerOptions options;
  options.batch_size = batch;
  xinwen::LoadCounters counters;
  Progress progress;
  progress.enabled = progress.enabled && !quiet;
  std::size_t warnings_shown = 0, warnings_hidden = 0;
  constexpr std::size_t kMaxWarnings = 20;

  std::unique_ptr<xinwen::ParallelLoader> loader;
  std::unique_ptr<xinwen::Indexer> indexer;
  if (jobs > 1) {
    bool empty;
    {
      std::unique_ptr<xinwen::Indexer> probe = std::make_unique<xinwen::Indexer>(db, options);
      empty = probe->database().get_doccount() == 0;
    }
    if (empty) {
      loader = std::make_unique<xinwen::ParallelLoader>(db, jobs, options, &counters);
    } else {
      std::fprintf(stderr, "xinwen-index: %s already has articles; adding with one writer (--jobs applies to new databases)\n",
                   db.c_str());
    }
  }
  if (!loader) indexer = std::make_unique<xinwen::Indexer>(db, options);

  auto sink = [&](xinwen::Record&& r) {
    if (g_interrupted) return;
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
    if (loader) {
      loader->submit(std::move(*r.outcome.article));
    } else {
      switch (indexer->add(*r.outcome.article)) {
        case xinwen::AddResult::kAdded: ++counters.added; break;
        case xinwen::AddResult::kReplaced: ++counters.replaced; break;
        case xinwen::AddResult::kUnchanged: ++counters.unchanged; break;
      }
    }
    progress.tick(counters);
  };
  xinwen::read_paths(paths, sink);
  if (loader) loader->finish();
  if (indexer) indexer->finish();
  progress.done();
  if (warnings_hidden) std::fprintf(stderr, "xinwen-index: %zu more warnings not shown\n", warnings_hidden);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - progress.start).count();
  std::printf("added %zu, replaced %zu, unchanged %zu, rejected %zu, %.2f s\n", counters.added.load(),
              counters.replaced.load(), counters.unchanged.load(), counters.rejected.load(), secs);
  if (g_interrupted) {
    std::fprintf(stderr, "xinwen-index: interrupted; everything before the interruption is committed\n");
    return xinwen::kExitInterrupted;
  }
  return counters.rejected ? xinwen::kExitRejected : xinwen::kExitOk;
}

int run_delete(const std::string& db, const std::vector<std::string>& ids) {
  xinwen::Indexer indexer(db);
  std::size_t removed = 0, missing = 0;
  for (const std::string& id : ids) {
    if (indexer.remove(id)) {
      ++removed;
    } else {
      ++missing;
      std::fprintf(stderr, "xinwen-index: no article with id %s\n", id.c_str());
    }
  }
  indexer.finish();
  std::printf("deleted %zu, not found %zu\n", removed, missing);
  return missing ? xinwen::kExitRejected : xinwen::kExitOk;
}

int run_stats(const std::string& db, bool json) {
  xinwen::DatabaseStats s = xinwen::database_stats(db);
  if (json) {
    nlohmann::json j = {{"documents", s.documents},
                        {"terms", s.terms},
                        {"bytes", s.bytes},
                        {"last_update", s.last_update},
                        {"schema_version", s.schema_version}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("documents       %u\nterms           %llu\nbytes           %llu\nlast update     %s\nschema version  %s\n",
                s.documents, static_cast<unsigned long long>(s.terms), static_cast<unsigned long long>(s.bytes),
                s.last_update.empty() ? "-" : s.last_update.c_str(), s.schema_version.c_str());
  }
  return xinwen::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "fetch") {
    try {
      return xinwen::run_fetch_command(argc - 1, argv + 1);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "xinwen-index: %s\n", e.what());
      return xinwen::kExitUsage;
    }
  }
  CLI::App app{"xinwen-index: add news articles to a xinwen database, delete them, show statistics"};
  app.require_subcommand(1);
  std::string db;
  std::vector<std::string> paths, ids;
  unsigned jobs = 1;
  std::size_t batch = 500;
  bool quiet = false, json = false;

  auto* add = app.add_subcommand("add", "Add or replace articles from JSON Lines, Markdown, text files, folders or - (stdin)");
  add->add_option("--db", db, "Database directory (created if missing)")->required();
  add->add_option("-j,--jobs", jobs, "Writer threads for a new database (shards merged at the end)")
      ->check(CLI::Range(1u, 64u));
  add->add_option("--batch-size", batch, "Articles per commit")->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  add->add_flag("-q,--quiet", quiet, "No progress display");
  add->add_option("paths", paths, "Files, folders, or - for JSON Lines on stdin")->required();

  auto* del = app.add_subcommand("delete", "Delete articles by id");
  del->add_option("--db", db, "Database directory")->required();
  del->add_option("ids", ids, "Article ids")->required();

  auto* stats = app.add_subcommand("stats", "Show documents, terms, size, last update and schema version");
  stats->add_option("--db", db, "Database directory")->required();
  stats->add_flag("--json", json, "Print JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : xinwen::kExitUsage;
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    if (*add) return run_add(db, paths, jobs, batch, quiet);
    if (*del) return run_delete(db, ids);
    if (*stats) return run_stats(db, json);
  } catch (const xinwen::Error& e) {
    std::fprintf(stderr, "xinwen-index: %s\n", e.what());
    return xinwen::kExitUsage;
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xinwen-index: database error: %s\n", e.get_msg().c_str());
    return xinwen::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xinwen-index: %s\n", e.what());
    return xinwen::kExitUsage;
  }
  return xinwen::kExitUsage;
}
