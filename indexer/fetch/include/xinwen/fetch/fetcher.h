// The nightly job's work: fetch every feed of a sources list, and the page of
// every new item where the source asks for it; turn items into articles and
// index them through the same path as `xinwen-index add` (Article,
// normalize_article, Indexer), so ids and replacement behave the same.
//
// HTTP validators (ETag, Last-Modified) are kept per feed URL in the
// database's metadata (keys "xinwen.fetch.http:" + hash of the URL) and are
// written in the same commit as the feed's articles, and only when every item
// of the feed went in: a 304 then costs nothing and changes nothing, and a run
// killed at any point is finished by the next one without duplicates.
//
// Two threads: transfers, parsing and page extraction run on the calling
// thread (up to HttpOptions::max_parallel transfers at once); analysis and
// writing run on a second thread, fed through a bounded queue, so that the
// network and the indexer work at the same time.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <xinwen/fetch/http_client.h>
#include <xinwen/fetch/sources.h>
#include <xinwen/writer.h>

namespace xinwen {

struct FetchOptions {
  HttpOptions http;
  IndexerOptions indexer;
  // Fetch and parse, report what would be added, change nothing.
  bool dry_run = false;
  // Pages linked from feeds may be on loopback or private addresses. Off by
  // default: a feed must not make the fetcher read (and index) an intranet
  // page or a cloud metadata service. Feed URLs themselves, which the
  // operator chose, may always be private.
  bool allow_private_pages = false;
  // Fetch item pages even where the site's robots.txt disallows them (for
  // sites the operator owns). Off by default: pages are checked against the
  // robots.txt of their host, read once per run; feeds never are.
  bool ignore_robots = false;
  // A feed that has failed this many runs in a row (this one included) is
  // counted in FetchSummary::feeds_failing_long. The count of each feed is
  // kept in the database metadata ("xinwen.fetch.failures:" + hash of URL).
  std::size_t failing_runs_alert = 3;
  // Polled while the job runs; true stops it. What is complete is committed.
  std::function<bool()> should_stop;
};

struct FeedReport {
  std::string url;
  std::string source;
  // "200" (or another 2xx), "304", or what went wrong: "http-404",
  // "http-503", "timeout", "too-large", "redirects", "bad-scheme",
  // "connect", "private-address", "network", "bad-url", "parse-error",
  // "interrupted".
  std::string status;
  std::string error;                                               // why the feed failed; "" if it did not
  std::size_t items = 0;                                           // items in the feed
  std::size_t added = 0, replaced = 0, unchanged = 0, failed = 0;  // items
  std::size_t bytes = 0;                                           // received for the feed and its pages
  std::chrono::milliseconds elapsed{0};
  std::vector<std::string> problems;  // "URL: what", one per failed item or warning
  std::size_t failing_runs = 0;       // runs in a row the feed has failed, this one included; 0 if it did not fail

  bool ok() const { return error.empty() && failed == 0; }
};

struct FetchSummary {
  std::vector<FeedReport> feeds;  // in the order they completed
  std::size_t feeds_failed = 0;
  std::size_t feeds_failing_long = 0;  // failed FetchOptions::failing_runs_alert runs in a row or more
  std::size_t added = 0, replaced = 0, unchanged = 0, failed = 0;  // items
  std::size_t bytes = 0;
  std::chrono::milliseconds elapsed{0};
  bool interrupted = false;

  bool ok() const { return feeds_failed == 0 && failed == 0 && !interrupted; }
};

// Runs the job on the database at db_path (a directory or a stub file; created
// if missing, except in a dry run). on_feed is called as each feed completes,
// once its articles are indexed; it is called from the indexer thread, one
// call at a time.
// Throws EnvironmentError if the database cannot be opened (locked by another
// writer, another schema version); a failing feed or item is reported, never
// thrown.
FetchSummary run_fetch(const std::string& db_path, const std::vector<FeedSource>& sources, const FetchOptions& options,
                       const std::function<void(const FeedReport&)>& on_feed = {});

// The metadata key under which the validators of url are kept.
std::string validators_key(const std::string& url);

// The metadata key under which the number of runs in a row the feed at url
// has failed is kept.
std::string failures_key(const std::string& url);

}  // namespace xinwen
