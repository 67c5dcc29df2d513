// `xinwen-index fetch`: the nightly job. Reads the sources file, runs the
// fetcher (indexer/fetch/fetcher.h) and prints one line per feed and a
// summary. Exit status (indexer/FETCH.md): 0 every feed and item went in (or
// was unchanged), 1 some feed or item failed, 2 bad usage, an unreadable
// sources file or an unusable database, 130 interrupted (what was complete is
// committed).
#include "fetch_command.h"

#include <xapian.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <xinwen/fetch/fetcher.h>
#include <xinwen/fetch/sources.h>
#include <xinwen/errors.h>

namespace xinwen {
namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

std::vector<FeedSource> read_sources(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read sources file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_sources(text.str(), path);
}

// Values in the log are single tokens; the error message goes last, quoted.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

void print_feed(const FeedReport& r) {
  std::printf("%s %s new=%zu updated=%zu unchanged=%zu failed=%zu bytes=%zu ms=%lld source=%s", r.url.c_str(),
              r.status.c_str(), r.added, r.replaced, r.unchanged, r.failed, r.bytes,
              static_cast<long long>(r.elapsed.count()), quoted(r.source).c_str());
  if (!r.error.empty()) std::printf(" error=%s", quoted(r.error).c_str());
  std::printf("\n");
  std::fflush(stdout);
  // Details (failed items, warnings) go to stderr, where cron mails them.
  constexpr std::size_t kMaxProblems = 20;
  for (std::size_t k = 0; k < r.problems.size() && k < kMaxProblems; ++k)
    std::fprintf(stderr, "xinwen-index: fetch: %s\n", r.problems[k].c_str());
  if (r.problems.size() > kMaxProblems)
    std::fprintf(stderr, "xinwen-index: fetch: %s: %zu more problems not shown\n", r.url.c_str(),
                 r.problems.size() - kMaxProblems);
}

}  // namespace

int run_fetch_command(int argc, char** argv) {
  CLI::App app{
      "xinwen-index fetch: fetch news feeds (and article pages) and index them incrementally.\n"
      "Prints one line per feed: URL STATUS new= updated= unchanged= failed= bytes= ms= source= [error=],\n"
      "then a summary line. See indexer/FETCH.md.",
      "xinwen-index fetch"};
  std::string db, sources_path;
  FetchOptions options;
  HttpOptions& http = options.http;
  long long host_delay = http.host_delay.count(), connect_timeout = http.connect_timeout.count(),
            timeout = http.timeout.count(), retry_delay = http.retry_delay.count();
  app.add_option("--db", db, "Database directory or stub file (created if missing)")->required();
  app.add_option("--sources", sources_path, "Sources file (format: indexer/FETCH.md)")->required();
  app.add_option("-j,--parallel", http.max_parallel, "Transfers at once, all hosts together (default 8)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  app.add_option("--per-host", http.max_per_host, "Transfers at once to one host (default 2)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  app.add_option("--host-delay", host_delay, "Milliseconds between two request starts to one host (default 500)")
      ->check(CLI::Range(0LL, 600000LL));
  app.add_option("--connect-timeout", connect_timeout, "Connect timeout, milliseconds (default 10000)")
      ->check(CLI::Range(1LL, 600000LL));
  app.add_option("--timeout", timeout, "Whole-transfer timeout, milliseconds (default 60000)")
      ->check(CLI::Range(1LL, 3600000LL));
  app.add_option("--max-bytes", http.max_bytes, "Largest response body, bytes (default 8388608)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 31));
  app.add_option("--max-redirects", http.max_redirects, "Redirects followed (default 5)")->check(CLI::Range(0L, 50L));
  app.add_option("--retries", http.retries, "Further attempts after a 5xx answer or a timeout (default 2)")
      ->check(CLI::Range(0, 10));
  app.add_option("--retry-delay", retry_delay, "Milliseconds before the first retry; doubles (default 2000)")
      ->check(CLI::Range(0LL, 600000LL));
  app.add_option("--user-agent", http.user_agent, "User-Agent header; add a contact URL or address")
      ->default_str(http.user_agent);
  app.add_option("--batch-size", options.indexer.batch_size, "Articles per commit (default 2000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_flag("--dry-run", options.dry_run, "Fetch and parse, report what would change, change nothing");
  app.add_flag("--allow-private-pages", options.allow_private_pages,
               "Also fetch item pages on loopback or private addresses (refused by default)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  http.host_delay = std::chrono::milliseconds(host_delay);
  http.connect_timeout = std::chrono::milliseconds(connect_timeout);
  http.timeout = std::chrono::milliseconds(timeout);
  http.retry_delay = std::chrono::milliseconds(retry_delay);

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  options.should_stop = [] { return g_stop != 0; };

  FetchSummary s;
  try {
    std::vector<FeedSource> sources = read_sources(sources_path);
    s = run_fetch(db, sources, options, print_feed);
  } catch (const Error& e) {
    std::fprintf(stderr, "xinwen-index: fetch: %s\n", e.what());
    return kExitUsage;
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xinwen-index: fetch: database error: %s\n", e.get_msg().c_str());
    return kExitUsage;
  }
  std::printf("summary feeds=%zu failed_feeds=%zu new=%zu updated=%zu unchanged=%zu failed=%zu bytes=%zu ms=%lld%s\n",
              s.feeds.size(), s.feeds_failed, s.added, s.replaced, s.unchanged, s.failed, s.bytes,
              static_cast<long long>(s.elapsed.count()), options.dry_run ? " dry_run=yes" : "");
  if (s.interrupted) {
    std::fprintf(stderr, "xinwen-index: fetch: interrupted; complete feeds are committed\n");
    return kExitInterrupted;
  }
  return s.ok() ? kExitOk : kExitRejected;
}

}  // namespace xinwen
