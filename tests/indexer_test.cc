// xinwen-index as a user runs it: idempotent re-adds, bad records, a killed
// run, parallel loading (and the Loader that chooses it), delete, stats, the
// schema version check and the command line itself.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include <xinwen/ascii.h>
#include <xinwen/load.h>
#include <xinwen/schema.h>
#include <xinwen/search.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;
using namespace xinwen::test;

namespace {

std::string synthetic_jsonl(int n, const std::string& variant = "") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    nlohmann::json j = {{"id", "doc-" + std::to_string(i)},
                        {"title", "Report " + std::to_string(i) + " 银行 chips" + variant},
                        {"body", std::string(600, 'x') + " market " + std::to_string(i % 97) + " 市場報告 " + variant},
                        {"published", "2025-06-01T08:00:00Z"}};
    out += j.dump() + "\n";
  }
  return out;
}

Xapian::doccount count(const std::string& db) { return Xapian::Database(db).get_doccount(); }

}  // namespace

TEST_CASE("re-adding a batch leaves the count unchanged; changes replace", "[indexer]") {
  TempDir t;
  const std::string db = t / "db";
  RunResult first = run(index_bin() + " add --db " + db + " " + samples_dir());
  REQUIRE(first.status == 0);
  const Xapian::doccount n = count(db);
  CHECK(n == 30);
  CHECK(first.out.find("added 30, replaced 0, unchanged 0, rejected 0") != std::string::npos);

  RunResult again = run(index_bin() + " add --db " + db + " " + samples_dir());
  REQUIRE(again.status == 0);
  CHECK(count(db) == n);
  CHECK(again.out.find("added 0, replaced 0, unchanged 30, rejected 0") != std::string::npos);

  spit(t / "changed.jsonl", R"({"id":"en-chip-export-rules-2025","title":"Rewritten","body":"new text"})"
                            "\n");
  RunResult changed = run(index_bin() + " add --db " + db + " " + t / "changed.jsonl");
  CHECK(changed.out.find("added 0, replaced 1") != std::string::npos);
  CHECK(count(db) == n);
  Searcher s(db);
  SearchRequest req;
  req.query = "id:en-chip-export-rules-2025";
  SearchResponse r = s.search(req);
  REQUIRE(r.hits.size() == 1);
  CHECK(r.hits[0].article.title == "Rewritten");

  // The same id twice in one run, into a new database, before any commit:
  // the second replaces the first.
  spit(t / "twice.jsonl", R"({"id":"same","title":"First","body":"one"})"
                          "\n"
                          R"({"id":"same","title":"Second","body":"two"})"
                          "\n");
  RunResult twice = run(index_bin() + " add --db " + t / "fresh" + " " + t / "twice.jsonl");
  CHECK(twice.out.find("added 1, replaced 1") != std::string::npos);
  CHECK(count(t / "fresh") == 1);
  req.query = "id:same";
  SearchResponse fresh = Searcher(t / "fresh").search(req);
  REQUIRE(fresh.hits.size() == 1);
  CHECK(fresh.hits[0].article.title == "Second");
}

TEST_CASE("bad records are reported with file:line and skipped", "[indexer]") {
  TempDir t;
  const std::string db = t / "db";
  std::string input;
  input += R"({"id":"good-1","title":"First good record"})"
           "\n";
  input += R"({"id":"bad-json","title":)"
           "\n";
  input += R"({"id":"no-text","url":"https://e.com/x"})"
           "\n";
  input += R"({"id":"bad-date","title":"t","published":"next tuesday"})"
           "\n";
  input += "{\"id\":\"bad-utf8\",\"title\":\"\xC3\x28\"}\n";
  input += R"({"id":"good-2","body":"Second good record","colour":"blue"})"
           "\n";
  spit(t / "in.jsonl", input);
  spit(t / "notes.xyz", "not an article format");
  RunResult r =
      run(index_bin() + " add --db " + db + " " + t / "in.jsonl" + " " + t / "notes.xyz" + " " + t / "missing.jsonl");
  CHECK(r.status == 1);
  CHECK(r.err.find("in.jsonl:2: rejected: invalid JSON") != std::string::npos);
  CHECK(r.err.find("in.jsonl:3: rejected: neither title nor body") != std::string::npos);
  CHECK(r.err.find("in.jsonl:4: rejected: published is not an ISO 8601 date") != std::string::npos);
  CHECK(r.err.find("in.jsonl:5: rejected: invalid JSON") != std::string::npos);
  CHECK(r.err.find("in.jsonl:6: warning: unknown field \"colour\"") != std::string::npos);
  CHECK(r.err.find("notes.xyz: rejected: unsupported file type") != std::string::npos);
  CHECK(r.err.find("missing.jsonl: rejected: no such file") != std::string::npos);
  CHECK(r.out.find("added 2, replaced 0, unchanged 0, rejected 6") != std::string::npos);
  CHECK(count(db) == 2);
}

TEST_CASE("standard input takes JSON Lines", "[indexer]") {
  TempDir t;
  spit(t / "in.jsonl", synthetic_jsonl(5));
  RunResult r = run(index_bin() + " add --db " + t / "db" + " - < " + t / "in.jsonl");
  CHECK(r.status == 0);
  CHECK(count(t / "db") == 5);
}

TEST_CASE("a killed run leaves the database at its last commit, and a rerun completes it", "[indexer]") {
  TempDir t;
  const std::string db = t / "db";
  const int total = 20000, batch = 250;
  spit(t / "big.jsonl", synthetic_jsonl(total));
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(index_bin().c_str(), "xinwen-index", "add", "--db", db.c_str(), "--batch-size", std::to_string(batch).c_str(),
          (t / "big.jsonl").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for the first commits, then kill without warning.
  Xapian::doccount seen = 0;
  for (int i = 0; i < 2000 && seen < static_cast<Xapian::doccount>(2 * batch); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    try {
      seen = count(db);
    } catch (const Xapian::Error&) {
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  const Xapian::doccount kept = count(db);
  CHECK(kept > 0);
  CHECK(kept < static_cast<Xapian::doccount>(total));
  CHECK(kept % batch == 0);
  if (run("command -v xapian-check").status == 0) {
    RunResult check = run("xapian-check " + db);
    CHECK(check.status == 0);
  }
  RunResult rerun = run(index_bin() + " add --db " + db + " " + t / "big.jsonl");
  CHECK(rerun.status == 0);
  CHECK(count(db) == static_cast<Xapian::doccount>(total));
  CHECK(rerun.out.find("unchanged " + std::to_string(kept)) != std::string::npos);
}

TEST_CASE("parallel loading gives the same database as one writer", "[indexer]") {
  TempDir t;
  // Repeated ids in the input must still end as one document each.
  spit(t / "a.jsonl", synthetic_jsonl(3000));
  spit(t / "b.jsonl", synthetic_jsonl(500, " v2"));
  RunResult one = run(index_bin() + " add --db " + t / "one" + " " + t / "a.jsonl" + " " + t / "b.jsonl");
  RunResult two = run(index_bin() + " add --jobs 2 --db " + t / "two" + " " + t / "a.jsonl" + " " + t / "b.jsonl");
  REQUIRE(one.status == 0);
  REQUIRE(two.status == 0);
  CHECK(count(t / "one") == 3000);
  CHECK(count(t / "two") == 3000);
  CHECK_FALSE(std::filesystem::exists(t / "two.shard1"));
  Searcher s(t / "two");
  SearchRequest req;
  req.query = "id:doc-7";
  SearchResponse r = s.search(req);
  REQUIRE(r.hits.size() == 1);
  CHECK(r.hits[0].article.title.find("v2") != std::string::npos);
  req.query = "報告";
  req.collapse = false;  // the synthetic articles are near-duplicates: count articles, not stories
  CHECK(s.search(req).total == 3000);
}

TEST_CASE("delete and stats", "[indexer]") {
  TempDir t;
  const std::string db = t / "db";
  REQUIRE(run(index_bin() + " add --db " + db + " " + samples_dir()).status == 0);
  RunResult del = run(index_bin() + " delete --db " + db + " en-chip-export-rules-2025 no-such-id");
  CHECK(del.status == 1);
  CHECK(del.out.find("deleted 1, not found 1") != std::string::npos);
  RunResult stats = run(index_bin() + " stats --db " + db + " --json");
  REQUIRE(stats.status == 0);
  auto j = nlohmann::json::parse(stats.out);
  CHECK(j["documents"] == 29);
  CHECK(j["terms"].get<int>() > 1000);
  CHECK(j["bytes"].get<long>() > 0);
  CHECK(j["last_update"].get<std::string>().size() == 20);
  CHECK(j["schema_version"] == std::string(kSchemaVersion));
}

TEST_CASE("a database of another schema version is refused with a re-index hint", "[indexer]") {
  TempDir t;
  const std::string db = t / "db";
  REQUIRE(run(index_bin() + " add --db " + db + " " + samples_dir()).status == 0);
  {
    Xapian::WritableDatabase w(db);
    w.set_metadata(std::string(kMetaSchemaVersion), "0");
    w.commit();
  }
  RunResult s = run(search_bin() + " --db " + db + " nvidia");
  CHECK(s.status == 2);
  CHECK(s.err.find("re-index") != std::string::npos);
  RunResult a = run(index_bin() + " add --db " + db + " " + samples_dir());
  CHECK(a.status == 2);
  CHECK(a.err.find("re-index") != std::string::npos);
}

TEST_CASE("a stub database: stats count its shards, adding goes through one writer", "[indexer]") {
  TempDir t;
  REQUIRE(run(index_bin() + " add --db " + t / "shard" + " " + samples_dir()).status == 0);
  spit(t / "stub", "auto shard\n");
  RunResult stats = run(index_bin() + " stats --db " + t / "stub" + " --json");
  REQUIRE(stats.status == 0);
  auto j = nlohmann::json::parse(stats.out);
  CHECK(j["documents"] == 30);
  CHECK(j["bytes"].get<long>() > 10000);
  RunResult jobs = run(index_bin() + " add --jobs 2 --db " + t / "stub" + " " + samples_dir());
  CHECK(jobs.status == 0);
  CHECK(jobs.err.find("one writer") != std::string::npos);
  CHECK(jobs.out.find("unchanged 30") != std::string::npos);
  CHECK(std::filesystem::is_regular_file(t / "stub"));
}

TEST_CASE("a new database appears whole or not at all", "[indexer]") {
  TempDir t;
  // A folder left half-made by a killed creation would not open; the indexer
  // builds a new database beside its path and renames it into place.
  RunResult r = run(index_bin() + " add --db " + t / "fresh" + " " + samples_dir());
  REQUIRE(r.status == 0);
  for (const auto& entry : std::filesystem::directory_iterator(t.path()))
    CHECK(entry.path().filename().string().find(".new.") == std::string::npos);
  CHECK(Xapian::Database(t / "fresh").get_metadata(std::string(kMetaSchemaVersion)) == std::string(kSchemaVersion));
}

TEST_CASE("a one-character Han query finds the character anywhere, at the end of a run too", "[indexer][query]") {
  TempDir t;
  spit(t / "gold.jsonl",
       R"({"id":"end","body":"今天他買了黃金"})"
       "\n"  // 金 only ends a run
       R"({"id":"start","body":"金價大漲"})"
       "\n"  // 金 starts a bigram
       R"({"id":"both","body":"黃金，金價"})"
       "\n"  // both
       R"({"id":"alone","body":"Meta 金 AI"})"
       "\n"  // a run of one
       R"({"id":"none","body":"銀價大漲"})"
       "\n");
  RunResult r = run(index_bin() + " add --db " + t / "db" + " " + t / "gold.jsonl");
  REQUIRE(r.status == 0);
  Searcher s(t / "db");
  SearchRequest req;
  req.query = "金";
  req.limit = 10;
  std::set<std::string> found;
  for (const Hit& h : s.search(req).hits) found.insert(h.article.id);
  CHECK(found == std::set<std::string>{"end", "start", "both", "alone"});
}

TEST_CASE("Loader: parallel for a new folder, one writer with a note otherwise", "[indexer]") {
  TempDir t;
  Article a;
  a.id = "one";
  a.title = "A title";
  a.body = "A body of text.";
  {
    LoadCounters counters;
    Loader fresh(t / "fresh", 2, {}, &counters);
    CHECK(fresh.parallel());
    CHECK(fresh.notes().empty());
    fresh.add(a);
    fresh.finish();
    CHECK(counters.added == 1);
  }
  {
    LoadCounters counters;
    Loader full(t / "fresh", 2, {}, &counters);
    CHECK_FALSE(full.parallel());
    CHECK(join(full.notes(), " ").find("already has articles; adding with one writer") != std::string::npos);
    full.add(a);
    full.finish();
    CHECK(counters.unchanged == 1);
  }
  {
    // One job asked for: one writer, and nothing to explain.
    LoadCounters counters;
    Loader single(t / "single", 1, {}, &counters);
    CHECK_FALSE(single.parallel());
    CHECK(single.notes().empty());
  }
  // A stub file naming an empty database: the shards and their merge need a folder.
  spit(t / "stub", "auto empty\n");
  { Xapian::WritableDatabase(t / "empty", Xapian::DB_CREATE); }
  LoadCounters counters;
  Loader stub(t / "stub", 2, {}, &counters);
  CHECK_FALSE(stub.parallel());
  CHECK(join(stub.notes(), " ").find("stub") != std::string::npos);
}

TEST_CASE("xinwen-index --help lists every subcommand, fetch included", "[indexer][cli]") {
  RunResult r = run(index_bin() + " --help");
  CHECK(r.status == 0);
  for (const char* sub : {"add", "delete", "stats", "fetch"}) {
    INFO(sub << "\n" << r.out);
    CHECK(r.out.find(std::string("\n  ") + sub + " ") != std::string::npos);
  }
}

TEST_CASE("help shows the defaults the options really have", "[indexer][cli]") {
  // The batch size of fetch was documented as 2000 while 500 was used.
  RunResult fetch = run(index_bin() + " fetch --help");
  CHECK(fetch.status == 0);
  INFO(fetch.out);
  const std::size_t batch = fetch.out.find("--batch-size");
  REQUIRE(batch != std::string::npos);
  CHECK(fetch.out.substr(batch, fetch.out.find('\n', batch) - batch).find("=500") != std::string::npos);
  CHECK(fetch.out.find("--host-delay INT:INT in [0 - 600000]=500") != std::string::npos);
  CHECK(fetch.out.find("=xinwen-fetch/0.1") != std::string::npos);
  RunResult add = run(index_bin() + " add --help");
  CHECK(add.status == 0);
  CHECK(add.out.find("=500") != std::string::npos);
}

TEST_CASE("a bad option, a missing subcommand or a missing argument exits 2", "[indexer][cli]") {
  TempDir t;
  CHECK(run(index_bin() + " add --no-such-option --db " + t / "db" + " " + samples_dir()).status == 2);
  CHECK(run(index_bin() + " fetch --no-such-option --db " + t / "db" + " --sources /dev/null").status == 2);
  CHECK(run(index_bin() + " add --jobs 0 --db " + t / "db" + " " + samples_dir()).status == 2);
  CHECK(run(index_bin()).status == 2);
  CHECK(run(index_bin() + " frobnicate").status == 2);
  CHECK(run(index_bin() + " add " + samples_dir()).status == 2);
  CHECK_FALSE(std::filesystem::exists(t / "db"));
}
