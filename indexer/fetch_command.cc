// `xinwen-index fetch`: the nightly job. Reads the sources file, runs the
// fetcher (xinwen/fetch/fetcher.h) and prints one line per feed and a
// summary. Exit status (indexer/FETCH.md): 0 every feed and item went in (or
// was unchanged), 1 some feed or item failed, 2 bad usage, an unreadable
// sources file or an unusable database, 130 interrupted (what was complete is
// committed).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <xinwen/errors.h>
#include <xinwen/fetch/fetcher.h>
#include <xinwen/fetch/sources.h>
#include "commands.h"

namespace xinwen::cli {
namespace {

struct FetchArgs {
  std::string db, sources;
  FetchOptions options;
};

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

// CLI11 knows no std::chrono: the option takes milliseconds, and help shows
// the duration's default.
CLI::Option* add_milliseconds(CLI::App& app, const std::string& name, std::chrono::milliseconds& target,
                              const std::string& help) {
  return app
      .add_option_function<long long>(
          name, [&target](const long long& ms) { target = std::chrono::milliseconds(ms); }, help)
      ->default_str(std::to_string(target.count()));
}

int run_fetch_command(FetchArgs& args) {
  FetchOptions& options = args.options;
  options.should_stop = [] { return stop_requested(); };
  std::vector<FeedSource> sources = read_sources(args.sources);
  FetchSummary s = run_fetch(args.db, sources, options, print_feed);
  for (const FeedReport& r : s.feeds)
    if (r.failing_runs > 0 && r.failing_runs >= options.failing_runs_alert)
      std::fprintf(stderr, "xinwen-index: fetch: %s has failed %zu runs in a row (now: %s)\n", r.url.c_str(),
                   r.failing_runs, r.status.c_str());
  std::printf(
      "summary feeds=%zu failed_feeds=%zu new=%zu updated=%zu unchanged=%zu failed=%zu bytes=%zu ms=%lld "
      "failing_long=%zu%s\n",
      s.feeds.size(), s.feeds_failed, s.added, s.replaced, s.unchanged, s.failed, s.bytes,
      static_cast<long long>(s.elapsed.count()), s.feeds_failing_long, options.dry_run ? " dry_run=yes" : "");
  if (s.interrupted) {
    std::fprintf(stderr, "xinwen-index: fetch: interrupted; complete feeds are committed\n");
    return kExitInterrupted;
  }
  return s.ok() ? kExitOk : kExitRejected;
}

}  // namespace

Command add_fetch_command(CLI::App& app) {
  auto args = std::make_shared<FetchArgs>();
  HttpOptions& http = args->options.http;
  CLI::App* fetch =
      app.add_subcommand("fetch", "Fetch news feeds (and article pages) and index them incrementally: the nightly job");
  fetch->footer(
      "Prints one line per feed: URL STATUS new= updated= unchanged= failed= bytes= ms= source= [error=],\n"
      "then a summary line. Exit status 0 all went in, 1 some feed or item failed, 2 bad usage or an unusable\n"
      "sources file or database, 130 interrupted. See indexer/FETCH.md.");
  fetch->add_option("--db", args->db, "Database directory or stub file (created if missing)")->required();
  fetch->add_option("--sources", args->sources, "Sources file (format: indexer/FETCH.md)")->required();
  fetch->add_option("-j,--parallel", http.max_parallel, "Transfers at once, all hosts together")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  fetch->add_option("--per-host", http.max_per_host, "Transfers at once to one host")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  add_milliseconds(*fetch, "--host-delay", http.host_delay, "Milliseconds between two request starts to one host")
      ->check(CLI::Range(0LL, 600000LL));
  add_milliseconds(*fetch, "--connect-timeout", http.connect_timeout, "Connect timeout, milliseconds")
      ->check(CLI::Range(1LL, 600000LL));
  add_milliseconds(*fetch, "--timeout", http.timeout, "Whole-transfer timeout, milliseconds")
      ->check(CLI::Range(1LL, 3600000LL));
  fetch->add_option("--max-bytes", http.max_bytes, "Largest response body, bytes")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 31));
  fetch->add_option("--max-redirects", http.max_redirects, "Redirects followed")->check(CLI::Range(0L, 50L));
  fetch->add_option("--retries", http.retries, "Further attempts after a 5xx answer or a timeout")
      ->check(CLI::Range(0, 10));
  add_milliseconds(*fetch, "--retry-delay", http.retry_delay, "Milliseconds before the first retry; doubles")
      ->check(CLI::Range(0LL, 600000LL));
  fetch->add_option("--user-agent", http.user_agent, "User-Agent header; add a contact URL or address");
  fetch->add_option("--batch-size", args->options.indexer.batch_size, "Articles per commit")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  fetch->add_flag("--dry-run", args->options.dry_run, "Fetch and parse, report what would change, change nothing");
  fetch->add_flag("--allow-private-pages", args->options.allow_private_pages,
                  "Also fetch item pages on loopback or private addresses (refused by default)");
  fetch
      ->add_option("--alert-after", args->options.failing_runs_alert,
                   "Count a feed in the summary's failing_long once it has failed this many runs in a row")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  fetch->add_flag("--ignore-robots", args->options.ignore_robots,
                  "Fetch item pages even where robots.txt disallows them (for sites you own)");
  return {fetch, [args] { return run_fetch_command(*args); }};
}

}  // namespace xinwen::cli
