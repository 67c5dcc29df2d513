// run_fetch and `xinwen-index fetch` against the local fixture server: what
// was indexed (documents, fields, terms) and what was reported, for every
// feed format, conditional GET, redirects, retries, timeouts, the size limit,
// gzip, charsets, bad XML, file:// links, readers during commits, and a run
// killed halfway.
#include <xinwen/fetch/fetcher.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include <xinwen/article.h>
#include <xinwen/schema.h>
#include <xinwen/search.h>
#include "background_search.h"
#include "fetch/fixture_server.h"

using namespace xinwen;
using namespace std::chrono_literals;
using test::FixtureServer;
using test::TempDir;

CATCH_TRANSLATE_EXCEPTION(const Xapian::Error& e) { return e.get_description(); }

namespace {

FetchOptions quick() {
  FetchOptions o;
  o.http.host_delay = 0ms;
  o.http.connect_timeout = 2000ms;
  o.http.timeout = 5000ms;
  o.http.retry_delay = 20ms;
  o.http.retries = 2;
  o.allow_private_pages = true;  // the fixture server is on 127.0.0.1
  return o;
}

FeedSource feed(const FixtureServer& s, const std::string& path, const std::string& name = "Wire",
                ContentMode mode = ContentMode::kFeed, const std::string& lang = "") {
  return FeedSource{s.url(path), name, lang, mode, false, "test", ""};
}

const FeedReport& report_for(const FetchSummary& s, const std::string& url) {
  for (const FeedReport& r : s.feeds)
    if (r.url == url) return r;
  FAIL("no report for " << url);
  throw std::logic_error("unreachable");
}

// The stored article with this id, or nullopt.
std::optional<Article> find(const std::string& db, const std::string& id) {
  Xapian::Database d(db);
  const std::string term = id_term(id);
  Xapian::PostingIterator p = d.postlist_begin(term);
  if (p == d.postlist_end(term)) return std::nullopt;
  return article_from_document(d.get_document(*p));
}

Xapian::doccount count(const std::string& db) { return Xapian::Database(db).get_doccount(); }

bool has_term(const std::string& db, const std::string& term) { return Xapian::Database(db).term_exists(term); }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Every document's text, to look for what must never be indexed.
std::string all_text(const std::string& db) {
  Xapian::Database d(db);
  std::string out;
  for (Xapian::PostingIterator p = d.postlist_begin(""); p != d.postlist_end(""); ++p)
    out += d.get_document(*p).get_data();
  return out;
}

}  // namespace

TEST_CASE("RSS, Atom and JSON Feed items are indexed with their fields", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  std::vector<FeedSource> sources = {feed(server, "/static/rss2.xml", "Harbour Wire"),
                                     feed(server, "/static/atom.xml", "Lantern", ContentMode::kFeed, "en"),
                                     feed(server, "/static/feed.json", "算盘")};
  std::vector<std::string> logged;
  FetchSummary s = run_fetch(db, sources, quick(), [&](const FeedReport& r) { logged.push_back(r.url); });
  CHECK(s.ok());
  CHECK(logged.size() == 3);
  CHECK(s.added == 7);
  CHECK(count(db) == 7);
  const FeedReport& rss = report_for(s, server.url("/static/rss2.xml"));
  CHECK(rss.status == "200");
  CHECK(rss.items == 3);
  CHECK(rss.added == 3);
  CHECK(rss.bytes > 1000);

  auto ningbo = find(db, server.url("/news/ningbo-record"));
  REQUIRE(ningbo);
  CHECK(ningbo->url == server.url("/news/ningbo-record"));
  CHECK(ningbo->source == "Harbour Wire");
  CHECK(ningbo->lang == "en-GB");  // the channel's en-gb
  CHECK(ningbo->published == "2025-06-02T01:15:00Z");
  CHECK(ningbo->author == "Lin Qiao");
  CHECK(contains(ningbo->body, "Freight forwarders credited new berths"));

  auto tea = find(db, server.url("/atom/stories/tea-rail.html"));
  REQUIRE(tea);
  CHECK(tea->source == "Lantern");
  auto hk = find(db, "https://elsewhere.example/hk/shipping");
  REQUIRE(hk);
  CHECK(hk->lang == "en");  // the sources file's language wins over the entry's

  auto rrr = find(db, server.url("/abacus/1"));
  REQUIRE(rrr);
  CHECK(rrr->source == "算盘");
  CHECK(rrr->lang == "zh-Hans");
  // Terms: the source filter, and Han n-grams of the title.
  CHECK(has_term(db, boolean_term(*field_by_name("source"), "算盘")));
  Searcher searcher(db);
  SearchRequest req;
  req.query = "准备金";
  CHECK(searcher.search(req).total == 1);
  req.query = "Ningbo";
  CHECK(searcher.search(req).hits.at(0).article.url == server.url("/news/ningbo-record"));
}

TEST_CASE("the next run: 304 for ETag and Last-Modified, nothing rewritten", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  std::vector<FeedSource> sources = {feed(server, "/etag/rss2.xml"), feed(server, "/lastmod/atom.xml"),
                                     feed(server, "/static/feed.json")};
  FetchSummary first = run_fetch(db, sources, quick());
  REQUIRE(first.ok());
  REQUIRE(first.added == 7);
  const Xapian::rev revision = Xapian::Database(db).get_revision();

  FetchSummary second = run_fetch(db, sources, quick());
  CHECK(second.ok());
  CHECK(report_for(second, server.url("/etag/rss2.xml")).status == "304");
  CHECK(report_for(second, server.url("/lastmod/atom.xml")).status == "304");
  CHECK(report_for(second, server.url("/etag/rss2.xml")).bytes == 0);
  const FeedReport& json = report_for(second, server.url("/static/feed.json"));
  CHECK(json.status == "200");
  CHECK(json.unchanged == 2);
  CHECK(second.added + second.replaced == 0);
  CHECK(count(db) == 7);
  // Nothing changed, so nothing was committed: readers have nothing to reopen.
  CHECK(Xapian::Database(db).get_revision() == revision);

  nlohmann::json log = test::server_json(server, "/_requests");
  bool sent_etag = false, sent_date = false;
  for (const auto& r : log) {
    sent_etag = sent_etag || !r["if_none_match"].get<std::string>().empty();
    sent_date = sent_date || r["if_modified_since"] == "Sun, 01 Jun 2025 08:00:00 GMT";
  }
  CHECK(sent_etag);
  CHECK(sent_date);
}

TEST_CASE("a changed item replaces its article, whose id is the link", "[fetch][run]") {
  TempDir root;
  test::spit(
      root / "wire.xml",
      "<rss version=\"2.0\"><channel><title>W</title>"
      "<item><title>Old title</title><link>https://news.example/1</link><description>Old text.</description></item>"
      "<item><title>Same</title><link>https://news.example/2</link><description>Same text.</description></item>"
      "</channel></rss>");
  FixtureServer server("--root " + test::sh_quote(root.path()));
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  std::vector<FeedSource> sources = {feed(server, "/static/wire.xml")};
  REQUIRE(run_fetch(db, sources, quick()).added == 2);
  test::spit(
      root / "wire.xml",
      "<rss version=\"2.0\"><channel><title>W</title>"
      "<item><title>New title</title><link>https://news.example/1</link><description>New text.</description></item>"
      "<item><title>Same</title><link>https://news.example/2</link><description>Same text.</description></item>"
      "</channel></rss>");
  FetchSummary s = run_fetch(db, sources, quick());
  CHECK(s.replaced == 1);
  CHECK(s.unchanged == 1);
  CHECK(count(db) == 2);
  CHECK(find(db, "https://news.example/1")->title == "New title");
}

TEST_CASE("page mode: each new item's page is fetched once, and its charset becomes UTF-8", "[fetch][run][charset]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  std::vector<FeedSource> sources = {feed(server, "/static/pages.xml", "Pages", ContentMode::kPage)};
  FetchSummary s = run_fetch(db, sources, quick());
  INFO((s.feeds.empty() || s.feeds[0].problems.empty() ? "" : s.feeds[0].problems[0]));
  CHECK(s.ok());
  CHECK(s.added == 6);
  CHECK(count(db) == 6);

  auto en = find(db, server.url("/static/article-en.html"));
  REQUIRE(en);
  CHECK(en->title == "Rail freight from Chongqing to Europe doubles");  // the page's, not the feed's
  CHECK(en->url == server.url("/world/rail-freight-doubles"));          // canonical
  CHECK(en->published == "2025-06-04T23:45:00Z");
  CHECK(en->lang == "en-GB");
  CHECK(en->source == "Pages");
  CHECK(contains(en->body, "Trains now leave every day"));
  CHECK_FALSE(contains(en->body, "Feed teaser"));
  CHECK_FALSE(contains(en->body, "Most read"));

  for (const char* path : {"/charset/gbk/header/article-zhs.html", "/charset/gb18030/meta/article-zhs.html",
                           "/charset/gbk/none/article-zhs.html"}) {
    INFO(path);
    auto zh = find(db, server.url(path));
    REQUIRE(zh);
    CHECK(zh->title == "新能源汽车出口持续增长");
    CHECK(contains(zh->body, "海关总署最新数据显示"));
    CHECK_FALSE(contains(zh->body, "\xEF\xBF\xBD"));  // no U+FFFD: decoded right
  }
  for (const char* path : {"/charset/big5/meta/article-zht.html", "/charset/big5/none/article-zht.html"}) {
    INFO(path);
    auto zh = find(db, server.url(path));
    REQUIRE(zh);
    CHECK(zh->title == "本港零售業銷貨額回升");
    CHECK(contains(zh->body, "政府統計處今日公布"));
    CHECK(zh->lang == "zh-Hant");
  }
  Searcher searcher(db);
  SearchRequest req;
  req.query = "海关总署";
  req.collapse = false;  // the same page in three charsets: count articles, not stories
  CHECK(searcher.search(req).total == 3);
  req.query = "零售業";
  CHECK(searcher.search(req).total == 2);

  // Again: the feed is read, but no page is fetched a second time.
  const int pages_before = test::server_json(server, "/_stats")["requests"];
  FetchSummary again = run_fetch(db, sources, quick());
  CHECK(again.unchanged == 6);
  CHECK(test::server_json(server, "/_stats")["requests"].get<int>() == pages_before + 1);
}

TEST_CASE("redirect chains, redirect loops, 500s then success, 404s", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  FetchOptions o = quick();
  o.http.max_redirects = 5;
  std::vector<FeedSource> sources = {feed(server, "/redirect/3?to=/static/rss2.xml"), feed(server, "/loop/a"),
                                     feed(server, "/flaky/feed?fail=2&to=/static/atom.xml"),
                                     feed(server, "/status/404")};
  FetchSummary s = run_fetch(db, sources, o);
  CHECK_FALSE(s.ok());
  CHECK(s.feeds_failed == 2);
  CHECK(report_for(s, sources[0].url).added == 3);
  const FeedReport& loop = report_for(s, sources[1].url);
  CHECK(loop.status == "redirects");
  CHECK(contains(loop.error, "more than 5 redirects"));
  CHECK(report_for(s, sources[2].url).status == "200");
  CHECK(report_for(s, sources[2].url).added == 2);
  const FeedReport& gone = report_for(s, sources[3].url);
  CHECK(gone.status == "http-404");
  CHECK(count(db) == 5);
  int not_found_requests = 0;
  for (const auto& r : test::server_json(server, "/_requests"))
    if (r["path"] == "/status/404") ++not_found_requests;
  CHECK(not_found_requests == 1);  // never retried
}

TEST_CASE("a slow feed times out without holding up the others", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  FetchOptions o = quick();
  o.http.timeout = 300ms;
  o.http.retries = 1;
  o.http.retry_delay = 1000ms;  // the retry comes well after the other feed's request
  std::vector<FeedSource> sources = {feed(server, "/slow?ms=4000"), feed(server, "/static/rss2.xml")};
  FetchSummary s = run_fetch(db, sources, o);
  const FeedReport& slow = report_for(s, sources[0].url);
  CHECK(slow.status == "timeout");
  CHECK(contains(slow.error, "after 2 attempts"));
  CHECK(report_for(s, sources[1].url).added == 3);
  CHECK(count(db) == 3);
  // The other feed did not wait for the slow one to be done with: the server
  // saw it before the slow feed's retry.
  std::vector<std::string> paths;
  for (const auto& r : test::server_json(server, "/_requests")) paths.push_back(r["path"]);
  const auto first_slow = std::find(paths.begin(), paths.end(), "/slow?ms=4000");
  REQUIRE(first_slow != paths.end());
  const auto retry = std::find(first_slow + 1, paths.end(), "/slow?ms=4000");
  REQUIRE(retry != paths.end());
  CHECK(std::find(paths.begin(), retry, "/static/rss2.xml") != retry);
}

TEST_CASE("a body over the limit fails its feed, gzip and deflate are fine", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  FetchOptions o = quick();
  o.http.max_bytes = 64 * 1024;
  std::vector<FeedSource> sources = {feed(server, "/big?bytes=100000000&chunked=1"), feed(server, "/gzip/rss2.xml"),
                                     feed(server, "/deflate/feed.json")};
  FetchSummary s = run_fetch(db, sources, o);
  const FeedReport& big = report_for(s, sources[0].url);
  CHECK(big.status == "too-large");
  CHECK(big.bytes < 256 * 1024);
  CHECK(report_for(s, sources[1].url).added == 3);
  CHECK(report_for(s, sources[2].url).added == 2);
  CHECK(count(db) == 5);
}

TEST_CASE("malformed XML, an entity bomb, external entities, no items", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  std::vector<FeedSource> sources = {feed(server, "/static/malformed.xml"), feed(server, "/static/garbage.xml"),
                                     feed(server, "/static/bomb.xml"),      feed(server, "/static/xxe.xml"),
                                     feed(server, "/static/empty.xml"),     feed(server, "/static/not-a-feed.html")};
  FetchSummary s = run_fetch(db, sources, quick());

  const FeedReport& malformed = report_for(s, sources[0].url);
  CHECK(malformed.error.empty());
  CHECK(malformed.added >= 2);
  REQUIRE_FALSE(malformed.problems.empty());
  CHECK(contains(malformed.problems[0], "malformed XML"));
  CHECK(find(db, server.url("/broken/salt"))->title == "Salt & pepper prices rise");

  CHECK(report_for(s, sources[1].url).status == "parse-error");
  const FeedReport& bomb = report_for(s, sources[2].url);
  CHECK(bomb.status == "parse-error");
  CHECK(contains(bomb.error, "entity"));
  CHECK_FALSE(find(db, server.url("/bomb/1")));

  auto xxe = find(db, server.url("/xxe/1"));
  REQUIRE(xxe);
  CHECK(xxe->body == "before middle after");

  const FeedReport& empty = report_for(s, sources[4].url);
  CHECK(empty.status == "200");
  CHECK(empty.items == 0);
  CHECK(empty.ok());
  CHECK(contains(report_for(s, sources[5].url).error, "not a feed"));

  CHECK(s.feeds_failed == 3);
  CHECK_FALSE(contains(all_text(db), "aaaaaaaa"));
  CHECK_FALSE(contains(all_text(db), "root:"));
}

TEST_CASE("an item link to file:// is never read", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  std::vector<FeedSource> sources = {feed(server, "/static/file-link.xml", "Sneaky", ContentMode::kPage)};
  FetchSummary s = run_fetch(db, sources, quick());
  const FeedReport& r = s.feeds.at(0);
  CHECK(r.failed == 2);  // the file:// link, and the redirect to one
  CHECK(r.added == 1);   // the honest page
  CHECK_FALSE(s.ok());
  CHECK(count(db) == 1);
  CHECK_FALSE(find(db, "file:///etc/passwd"));
  CHECK_FALSE(contains(all_text(db), "root:"));
  bool named = false;
  for (const std::string& p : r.problems) named = named || contains(p, "file:///etc/passwd");
  CHECK(named);

  // As a feed-text source the item is indexed, without the link.
  TempDir t2;
  FetchSummary f = run_fetch(t2 / "db", {feed(server, "/static/file-link.xml", "Sneaky")}, quick());
  CHECK(f.added == 3);
  CHECK_FALSE(contains(all_text(t2 / "db"), "file://"));
}

TEST_CASE("pages on loopback or private addresses are refused unless allowed", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  FetchOptions o = quick();
  o.allow_private_pages = false;
  FetchSummary s = run_fetch(t / "db", {feed(server, "/static/pages.xml", "Pages", ContentMode::kPage)}, o);
  const FeedReport& r = s.feeds.at(0);
  CHECK(r.status == "200");  // the feed itself is the operator's choice
  CHECK(r.failed == 6);
  CHECK(r.added == 0);
  REQUIRE_FALSE(r.problems.empty());
  CHECK(contains(r.problems[0], "not public"));
  CHECK(test::server_json(server, "/_stats")["requests"] == 1);  // no page was requested
}

TEST_CASE("validators wait until every item of the feed is in", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  std::vector<FeedSource> sources = {feed(server, "/etag/pages-404.xml", "Half", ContentMode::kPage)};
  FetchSummary first = run_fetch(db, sources, quick());
  CHECK(first.feeds.at(0).failed == 1);
  CHECK(first.feeds.at(0).added == 1);
  CHECK(Xapian::Database(db).get_metadata(validators_key(sources[0].url)).empty());
  // So the feed is downloaded again, and the failed page tried again.
  FetchSummary second = run_fetch(db, sources, quick());
  CHECK(second.feeds.at(0).status == "200");
  CHECK(second.feeds.at(0).failed == 1);
  CHECK(second.feeds.at(0).unchanged == 1);

  // A feed whose items all went in keeps its validators.
  std::vector<FeedSource> fine = {feed(server, "/etag/rss2.xml")};
  run_fetch(db, fine, quick());
  CHECK(contains(Xapian::Database(db).get_metadata(validators_key(fine[0].url)), "\"etag\""));
}

TEST_CASE("a dry run reports and changes nothing", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  FetchOptions o = quick();
  o.dry_run = true;
  FetchSummary s = run_fetch(db, {feed(server, "/static/rss2.xml")}, o);
  CHECK(s.added == 3);
  CHECK_FALSE(std::filesystem::exists(db));
  o.dry_run = false;
  run_fetch(db, {feed(server, "/static/rss2.xml")}, o);
  o.dry_run = true;
  CHECK(run_fetch(db, {feed(server, "/static/rss2.xml")}, o).unchanged == 3);
}

TEST_CASE("searches succeed while the job commits", "[fetch][run][readers]") {
  FixtureServer server("--bench-items 240");
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  // A first commit, so that the reader has a database to open.
  REQUIRE(run_fetch(db, {feed(server, "/static/rss2.xml")}, quick()).added == 3);
  test::BackgroundSearches reader(db, "market OR 市场 OR Ningbo");
  FetchOptions o = quick();
  o.indexer.batch_size = 10;  // many commits
  o.http.max_per_host = 8;
  FetchSummary s = run_fetch(db, {feed(server, "/bench/feed.xml", "Bench", ContentMode::kPage)}, o);
  reader.stop();
  INFO(reader.first_failure());
  CHECK(reader.failures() == 0);
  CHECK(reader.searches() > 0);
  CHECK(s.added == 240);
  CHECK(count(db) == 243);
}

TEST_CASE("xinwen-index fetch: log lines, summary and exit status", "[fetch][cli]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string flags = " --host-delay 0 --retry-delay 10 --retries 0 --timeout 3000";
  test::spit(t / "good", "[Harbour Wire]\nurl = " + server.url("/etag/rss2.xml") + "\n");
  test::RunResult ok = test::run(test::index_bin() + " fetch --db " + t / "db" + " --sources " + t / "good" + flags);
  CHECK(ok.status == 0);
  CHECK(contains(ok.out, server.url("/etag/rss2.xml") + " 200 new=3 updated=0 unchanged=0 failed=0 bytes="));
  CHECK(contains(ok.out, "source=\"Harbour Wire\""));
  CHECK(contains(ok.out, "summary feeds=1 failed_feeds=0 new=3 updated=0 unchanged=0 failed=0 bytes="));

  test::RunResult again = test::run(test::index_bin() + " fetch --db " + t / "db" + " --sources " + t / "good" + flags);
  CHECK(again.status == 0);
  CHECK(contains(again.out, server.url("/etag/rss2.xml") + " 304 new=0 updated=0 unchanged=0 failed=0 bytes=0"));

  test::spit(t / "mixed",
             "[Good]\nurl = " + server.url("/static/atom.xml") + "\n[Bad]\nurl = " + server.url("/status/500") + "\n");
  test::RunResult mixed =
      test::run(test::index_bin() + " fetch --db " + t / "db" + " --sources " + t / "mixed" + flags);
  CHECK(mixed.status == 1);
  CHECK(contains(mixed.out, server.url("/status/500") + " http-500 new=0"));
  CHECK(contains(mixed.out, "error=\"HTTP 500\""));
  CHECK(contains(mixed.out, server.url("/static/atom.xml") + " 200 new=2"));

  test::spit(t / "broken", "[A]\nurl = ftp://example.com/feed\n");
  test::RunResult bad = test::run(test::index_bin() + " fetch --db " + t / "db" + " --sources " + t / "broken");
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "broken:2: url must be an http"));
  CHECK(test::run(test::index_bin() + " fetch --db " + t / "db").status == 2);
  CHECK(test::run(test::index_bin() + " fetch --db " + t / "db" + " --sources " + t / "missing").status == 2);
}

TEST_CASE("a killed run leaves a sound database, and the next run finishes without duplicates", "[fetch][cli][kill]") {
  FixtureServer server("--bench-items 300 --bench-latency-ms 2");
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  test::spit(t / "sources", "[Bench]\nurl = " + server.url("/bench/feed.xml") + "\ncontent = page\n");
  const std::string command = test::index_bin() + " fetch --db " + db + " --sources " + t / "sources" +
                              " --host-delay 0 --per-host 8 --batch-size 7 --allow-private-pages";
  Xapian::doccount before = 0;
  for (int delay_ms : {60, 150, 400, 700}) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", ("exec " + command + " >/dev/null 2>&1").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    if (!std::filesystem::exists(db)) continue;  // killed before the first commit
    if (system("command -v xapian-check >/dev/null 2>&1") == 0) {
      test::RunResult check = test::run("xapian-check " + db);
      INFO(check.out << check.err);
      CHECK(check.status == 0);
    }
    const Xapian::doccount now = count(db);  // it opens
    CHECK(now >= before);                    // and what was committed stays
    before = now;
  }
  test::RunResult last = test::run(command);
  INFO(last.out << last.err);
  REQUIRE(last.status == 0);
  Xapian::Database d(db);
  CHECK(d.get_doccount() == 300);
  for (int i = 0; i < 300; ++i) {
    INFO(i);
    CHECK(d.get_termfreq(id_term(server.url("/bench/page/" + std::to_string(i) + ".html"))) == 1);
  }
}

TEST_CASE("an article fetched and then added gets one id, and a zh-TW feed is zh-Hant", "[fetch][run]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  FetchSummary s = run_fetch(db, {feed(server, "/static/ids.xml", "Harbour Wire Taiwan")}, quick(), {});
  REQUIRE(s.ok());
  REQUIRE(count(db) == 1);
  // The feed's link has a #fragment; the id is the canonical URL, as `add` makes it.
  auto fetched = find(db, server.url("/news/kaohsiung-record"));
  REQUIRE(fetched);
  CHECK(fetched->lang == "zh-Hant");

  ArticleOutcome added = article_from_json(nlohmann::json{
      {"url", server.url("/news/kaohsiung-record#top")},
      {"title", "高雄港貨櫃量創新高"},
      {"lang", "zh-TW"}}.dump());
  REQUIRE(added.article);
  CHECK(added.article->id == fetched->id);
  {
    Indexer indexer(db);
    CHECK(indexer.add(*added.article) == AddResult::kReplaced);
    indexer.commit();
  }
  CHECK(count(db) == 1);

  Searcher searcher(db);
  SearchRequest req;
  req.query = "lang:zh-hant 高雄";
  CHECK(searcher.search(req).total == 1);
}

TEST_CASE("page mode: data: and javascript: links fail their items, and the feed is not a success",
          "[fetch][run][conformance]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  FetchSummary s =
      run_fetch(t / "db", {feed(server, "/static/unsafe-links.xml", "Script", ContentMode::kPage)}, quick());
  const FeedReport& r = s.feeds.at(0);
  CHECK(r.items == 2);
  CHECK(r.failed == 2);
  CHECK(r.added == 0);
  CHECK_FALSE(s.ok());
}

TEST_CASE("relative links resolve against Content-Location", "[fetch][run][conformance]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  FetchSummary s = run_fetch(db, {feed(server, "/static/rss-dc.xml?cl=/archive/2025/feed.xml")}, quick());
  CHECK(s.added == 2);
  CHECK(find(db, server.url("/archive/2025/lighthouse.html")));
  CHECK_FALSE(find(db, server.url("/static/lighthouse.html")));
}

TEST_CASE("page mode honours robots.txt, unless told to ignore it", "[fetch][run][robots]") {
  FixtureServer server("--robots robots-pages.txt");
  XINWEN_REQUIRE_SERVER(server);
  const std::vector<FeedSource> sources = {feed(server, "/static/pages.xml", "Pages", ContentMode::kPage)};
  TempDir t;
  FetchSummary s = run_fetch(t / "db", sources, quick());
  const FeedReport& r = s.feeds.at(0);
  CHECK(r.status == "200");  // the feed itself is never checked
  CHECK(r.added == 2);       // the two pages robots.txt allows
  CHECK(r.failed == 4);
  REQUIRE_FALSE(r.problems.empty());
  CHECK(contains(r.problems[0], "robots.txt disallows"));
  int robots_requests = 0, disallowed_requests = 0;
  for (const auto& req : test::server_json(server, "/_requests")) {
    const std::string path = req["path"];
    robots_requests += path == "/robots.txt";
    disallowed_requests += path.rfind("/charset/gbk/", 0) == 0;
  }
  CHECK(robots_requests == 1);  // once per host and run
  CHECK(disallowed_requests == 0);

  FetchOptions ignore = quick();
  ignore.ignore_robots = true;
  TempDir t2;
  CHECK(run_fetch(t2 / "db", sources, ignore).added == 6);
}

TEST_CASE("a robots.txt that answers 503 stops its host's pages for this run", "[fetch][run][robots]") {
  FixtureServer server("--robots 503");
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  FetchSummary s = run_fetch(t / "db", {feed(server, "/static/pages.xml", "Pages", ContentMode::kPage)}, quick());
  const FeedReport& r = s.feeds.at(0);
  CHECK(r.failed == 6);
  CHECK(r.added == 0);
  REQUIRE_FALSE(r.problems.empty());
  CHECK(contains(r.problems[0], "robots.txt could not be read"));
}

namespace {

std::string wire_with_dates(const std::string& first_date) {
  return "<rss version=\"2.0\"><channel><title>W</title>"
         "<item><title>One</title><link>{{BASE}}/etag/one.html</link><pubDate>" +
         first_date +
         "</pubDate></item>"
         "<item><title>Two</title><link>{{BASE}}/etag/two.html</link>"
         "<pubDate>Mon, 02 Jun 2025 08:00:00 GMT</pubDate></item>"
         "</channel></rss>";
}

std::string news_page(const std::string& headline, const std::string& sentence) {
  std::string body;
  for (int k = 0; k < 4; ++k)
    body += "<p>" + sentence + " Officials said the figures, published on Monday, were the highest on record.</p>";
  return "<html><head><title>" + headline + "</title></head><body><article><h1>" + headline + "</h1>" + body +
         "</article></body></html>";
}

}  // namespace

TEST_CASE("page mode: a page is fetched again, conditionally, when its feed entry changes", "[fetch][run][polite]") {
  TempDir root;
  test::spit(root / "wire.xml", wire_with_dates("Mon, 02 Jun 2025 08:00:00 GMT"));
  test::spit(root / "one.html", news_page("Harbour traffic rises", "Container traffic at the harbour rose again."));
  test::spit(root / "two.html", news_page("Ferry fares fall", "Ferry fares fell for the third month in a row."));
  FixtureServer server("--root " + test::sh_quote(root.path()));
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  const std::vector<FeedSource> sources = {feed(server, "/static/wire.xml", "Wire", ContentMode::kPage)};
  auto page_requests = [&](const std::string& page) {
    std::vector<std::string> validators;  // the If-None-Match of each request for the page
    for (const auto& r : test::server_json(server, "/_requests"))
      if (r["path"] == "/etag/" + page) validators.push_back(r["if_none_match"]);
    return validators;
  };

  REQUIRE(run_fetch(db, sources, quick()).added == 2);
  CHECK(run_fetch(db, sources, quick()).unchanged == 2);  // same entries: no page fetched
  CHECK(page_requests("one.html").size() == 1);

  // The entry's date changes, the page does not: a conditional GET, a 304.
  test::spit(root / "wire.xml", wire_with_dates("Tue, 03 Jun 2025 09:00:00 GMT"));
  FetchSummary third = run_fetch(db, sources, quick());
  CHECK(third.unchanged == 2);
  CHECK(third.replaced == 0);
  std::vector<std::string> one = page_requests("one.html");
  REQUIRE(one.size() == 2);
  CHECK(one[0].empty());
  CHECK_FALSE(one[1].empty());
  CHECK(page_requests("two.html").size() == 1);

  // The entry changes again and so does the page: it is read and replaced.
  test::spit(root / "wire.xml", wire_with_dates("Wed, 04 Jun 2025 10:00:00 GMT"));
  test::spit(root / "one.html", news_page("Harbour traffic rises again", "Container traffic rose for a fifth month."));
  FetchSummary fourth = run_fetch(db, sources, quick());
  CHECK(fourth.replaced == 1);
  CHECK(fourth.unchanged == 1);
  CHECK(find(db, server.url("/etag/one.html"))->title == "Harbour traffic rises again");
}

TEST_CASE("a feed that fails run after run is counted, and forgiven once it answers", "[fetch][run][polite]") {
  TempDir root;
  FixtureServer server("--root " + test::sh_quote(root.path()));
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  const std::vector<FeedSource> sources = {feed(server, "/static/gone.xml")};
  for (std::size_t run = 1; run <= 3; ++run) {
    FetchSummary s = run_fetch(db, sources, quick());
    CHECK(s.feeds.at(0).status == "http-404");
    CHECK(s.feeds.at(0).failing_runs == run);
    CHECK(s.feeds_failing_long == (run >= 3 ? 1u : 0u));
  }
  test::spit(root / "gone.xml", "<rss version=\"2.0\"><channel><title>Back</title></channel></rss>");
  FetchSummary back = run_fetch(db, sources, quick());
  CHECK(back.feeds.at(0).failing_runs == 0);
  CHECK(back.feeds_failing_long == 0);
  CHECK(Xapian::Database(db).get_metadata(failures_key(server.url("/static/gone.xml"))).empty());
  std::filesystem::remove(root / "gone.xml");
  CHECK(run_fetch(db, sources, quick()).feeds.at(0).failing_runs == 1);  // counting starts again
}
