// scripts/nightly: the lock, the exit status, and the weekly compaction that
// swaps a Xapian stub file while searches keep running, for a new database,
// for one that was a plain directory, and for a sharded index.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <thread>

#include <xinwen/search.h>
#include "background_search.h"
#include "fetch/fixture_server.h"

using namespace xinwen;
using test::FixtureServer;
using test::TempDir;

namespace {

std::string nightly() {
  return "XINWEN_INDEX=" + test::sh_quote(test::index_bin()) + " " + std::string(XINWEN_SOURCE_DIR) +
         "/scripts/nightly";
}

const char* kFetchFlags = " -- --host-delay 0 --retry-delay 10 --retries 0 --timeout 3000 --allow-private-pages";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool have_xapian_tools() {
  return std::system("command -v xapian-compact >/dev/null && command -v xapian-delve >/dev/null") == 0;
}

}  // namespace

TEST_CASE("nightly: a second run while one holds the lock says so and exits", "[fetch][nightly]") {
  TempDir t;
  test::spit(t / "sources", "[A]\nurl = http://127.0.0.1:9/feed\n");
  const std::string lock = t / "db.lock";
  int fd = open(lock.c_str(), O_CREAT | O_RDWR, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
  test::RunResult r = test::run(nightly() + " --db " + t / "db" + " --sources " + t / "sources");
  close(fd);
  CHECK(r.status == 75);
  CHECK(contains(r.err, "another run holds"));
  CHECK_FALSE(std::filesystem::exists(t / "db"));
}

TEST_CASE("nightly: exit status follows the feeds, and the log has one line per feed", "[fetch][nightly]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  test::spit(t / "good",
             "[A]\nurl = " + server.url("/static/rss2.xml") + "\nurl = " + server.url("/static/atom.xml") + "\n");
  test::RunResult ok =
      test::run(nightly() + " --db " + t / "db" + " --sources " + t / "good" + " --compact-every 0" + kFetchFlags);
  INFO(ok.out << ok.err);
  CHECK(ok.status == 0);
  CHECK(contains(ok.out, server.url("/static/rss2.xml") + " 200 new=3"));
  CHECK(contains(ok.out, server.url("/static/atom.xml") + " 200 new=2"));
  CHECK(contains(ok.out, "summary feeds=2 failed_feeds=0 new=5"));
  CHECK(contains(ok.out, "nightly: finished: every feed fine (status 0)"));
  // A new database is a stub from the start, so compaction never meets a directory.
  CHECK(std::filesystem::is_regular_file(t / "db"));
  CHECK(Searcher(t / "db").database().get_doccount() == 5);

  test::spit(t / "bad",
             "[A]\nurl = " + server.url("/static/rss2.xml") + "\n[B]\nurl = " + server.url("/status/503") + "\n");
  test::RunResult bad =
      test::run(nightly() + " --db " + t / "db" + " --sources " + t / "bad" + " --compact-every 0" + kFetchFlags);
  CHECK(bad.status == 1);
  CHECK(contains(bad.out, server.url("/status/503") + " http-503"));

  CHECK(test::run(nightly() + " --db " + t / "db").status == 2);
  CHECK(test::run(nightly() + " --db " + t / "db" + " --sources " + t / "nowhere").status == 2);
}

TEST_CASE("nightly: compaction swaps the database while searches continue", "[fetch][nightly][compact]") {
  if (!have_xapian_tools()) test::skip_test("xapian-compact or xapian-delve is not installed (package xapian-tools)");
  FixtureServer server("--bench-items 120");
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  test::spit(t / "first", "[Wire]\nurl = " + server.url("/static/rss2.xml") + "\n");
  REQUIRE(
      test::run(nightly() + " --db " + db + " --sources " + t / "first" + " --compact-every 0" + kFetchFlags).status ==
      0);

  test::BackgroundSearches reader(db, "Ningbo", 1);
  // Three runs with compaction: each writes to the current generation, then
  // swaps in a compacted copy.
  for (int i = 0; i < 3; ++i) {
    test::spit(t / "more", "[Wire]\nurl = " + server.url("/static/rss2.xml") +
                               "\n[Bench]\nurl = " + server.url("/bench/feed.xml") + "\ncontent = page\n");
    test::RunResult r = test::run(nightly() + " --db " + db + " --sources " + t / "more" + " --compact-now" +
                                  kFetchFlags + " --per-host 8 --batch-size 20");
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(contains(r.out, "nightly: compacted"));
  }
  reader.stop();
  INFO(reader.first_failure());
  CHECK(reader.failures() == 0);
  CHECK(reader.searches() > 0);

  // The stub names the newest generation; older ones are gone.
  std::string stub = test::slurp(db);
  CHECK(stub.rfind("auto db.gen/", 0) == 0);
  int generations = 0;
  for (const auto& e : std::filesystem::directory_iterator(db + ".gen")) {
    (void)e;
    ++generations;
  }
  CHECK(generations == 1);
  CHECK(test::run("xapian-check " + db + ".gen/*").status == 0);
  // Both programs take the stub as --db.
  test::RunResult search = test::run(test::search_bin() + " --db " + db + " --json Ningbo");
  CHECK(search.status == 0);
  CHECK(contains(search.out, "ningbo-record"));
  test::RunResult fetch = test::run(test::index_bin() + " fetch --db " + db + " --sources " + t / "more" +
                                    " --host-delay 0 --per-host 8 --allow-private-pages");
  CHECK(fetch.status == 0);
  CHECK(contains(fetch.out, "new=0"));
  CHECK(Searcher(db).database().get_doccount() == 123);
}

TEST_CASE("nightly: a plain directory database is converted at its first compaction", "[fetch][nightly][compact]") {
  if (!have_xapian_tools()) test::skip_test("xapian-compact or xapian-delve is not installed (package xapian-tools)");
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "db";
  REQUIRE(test::run(test::index_bin() + " add -q --db " + db + " " + test::samples_dir()).status == 0);
  const Xapian::doccount samples = Searcher(db).database().get_doccount();
  REQUIRE(std::filesystem::is_directory(db));
  test::spit(t / "sources", "[Wire]\nurl = " + server.url("/static/rss2.xml") + "\n");
  test::RunResult r = test::run(nightly() + " --db " + db + " --sources " + t / "sources" + kFetchFlags);
  INFO(r.out << r.err);
  CHECK(r.status == 0);  // no stamp yet: compaction is due
  CHECK(std::filesystem::is_regular_file(db));
  CHECK(std::filesystem::exists(db + ".compacted"));
  CHECK(Searcher(db).database().get_doccount() == samples + 3);
  // Not due again for a week.
  test::RunResult next = test::run(nightly() + " --db " + db + " --sources " + t / "sources" + kFetchFlags);
  CHECK(contains(next.out, "compaction not due"));
}

TEST_CASE("nightly: a sharded index is fetched into its shards and compacts only changed shards",
          "[fetch][nightly][compact][shards]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  TempDir t;
  const std::string db = t / "news";
  REQUIRE(test::run(test::index_bin() + " add -q --db " + db + " --shards month " + test::samples_dir() + "/news.jsonl")
              .status == 0);
  const Xapian::doccount samples = Searcher(db).database().get_doccount();
  // A first compaction makes every shard "compacted at its revision".
  REQUIRE(test::run(test::index_bin() + " compact --db " + db).status == 0);
  std::map<std::string, ino_t> before;
  for (const auto& e : std::filesystem::directory_iterator(db))
    if (e.is_directory()) {
      struct stat st {};
      ::stat(e.path().c_str(), &st);
      before[e.path().filename().string()] = st.st_ino;
    }

  test::spit(t / "sources", "[Wire]\nurl = " + server.url("/etag/rss2.xml") + "\n");
  test::RunResult r =
      test::run(nightly() + " --db " + db + " --sources " + t / "sources" + " --compact-now" + kFetchFlags);
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(contains(r.out, "new=3"));
  CHECK(contains(r.out, "compaction done"));
  // Still a sharded folder, with the feed's articles in their months' shards.
  CHECK(std::filesystem::is_regular_file(db + "/XAPIANDB"));
  CHECK(std::filesystem::is_directory(db + "/fetch-state"));
  CHECK(Searcher(db).database().get_doccount() == samples + 3);
  // The shards the fetch did not touch were left alone.
  std::size_t rewritten = 0;
  for (const auto& [name, ino] : before) {
    struct stat st {};
    ::stat((db + "/" + name).c_str(), &st);
    if (st.st_ino != ino) ++rewritten;
  }
  CHECK(rewritten >= 1);
  CHECK(rewritten < before.size());

  // A second fetch sends the feed's ETag, kept in the fetch state: 304.
  test::RunResult again = test::run(test::index_bin() + " fetch --db " + db + " --sources " + t / "sources" +
                                    " --host-delay 0 --allow-private-pages");
  CHECK(again.status == 0);
  CHECK(contains(again.out, " 304 new=0"));
}
