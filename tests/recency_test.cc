// Freshness: the month weights on their own, and through the Searcher on
// small databases (one, and a stub of two shards) where twins differ only in
// their dates.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include <xinwen/errors.h>
#include <xinwen/recency.h>
#include <xinwen/search.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;
using namespace xinwen::test;

namespace {

Article make(const std::string& id, const std::string& title, const std::string& body, const std::string& published) {
  Article a;
  a.id = id;
  a.url = "https://example.org/" + id;
  a.title = title;
  a.body = body;
  a.published = published;
  a.source = "Example";
  a.lang = "en";
  return a;
}

// Unrelated articles, so that the query words are rare as in a real corpus.
std::vector<Article> fillers(const std::string& published = "2020-01-01T00:00:00Z") {
  std::vector<Article> out;
  for (int i = 0; i < 20; ++i)
    out.push_back(make("filler-" + std::to_string(10 + i), "Weather report " + std::to_string(i),
                       "Rain and wind across the region, with sunshine later in the week.", published));
  return out;
}

void build(const std::string& path, const std::vector<Article>& articles) {
  Indexer ix(path);
  for (const Article& a : articles) ix.add(a);
  ix.finish();
}

std::vector<std::string> ids(Searcher& s, const std::string& q, double halflife, const std::string& now = "") {
  SearchRequest r;
  r.query = q;
  r.recency_halflife = halflife;
  r.now = now;
  r.snippets = false;
  r.collapse = false;  // twins are copies of one story: both are wanted here
  std::vector<std::string> out;
  for (const Hit& h : s.search(r).hits) out.push_back(h.article.id);
  return out;
}

// Twins: the same words, ids and urls of the same length; the older is
// indexed first and its id sorts first, so a plain BM25 tie puts it first.
std::vector<Article> twins() {
  std::vector<Article> out = fillers();
  const std::string body = "Copper miners went on strike at the northern pit over pay.";
  out.push_back(make("twin-2023", "Copper mine strike", body, "2023-05-01T00:00:00Z"));
  out.push_back(make("twin-2026", "Copper mine strike", body, "2026-05-01T00:00:00Z"));
  return out;
}

}  // namespace

TEST_CASE("recency weight halves every half-life and is capped for future dates", "[recency]") {
  const std::int64_t ref = *parse_published("2026-01-31T00:00:00Z");
  CHECK(recency_weight(ref, ref, 30, 2.0) == Approx(2.0));
  CHECK(recency_weight(*parse_published("2026-01-01T00:00:00Z"), ref, 30, 2.0) == Approx(1.0));
  CHECK(recency_weight(*parse_published("2025-12-02"), ref, 30, 2.0) == Approx(0.5));
  CHECK(recency_weight(ref + 86400 * 10, ref, 30, 2.0) == Approx(2.0));
  CHECK_FALSE(parse_published("2026-02-30"));
  CHECK_FALSE(parse_published("2026-01-01T00:00:00+08:00"));
  CHECK_FALSE(parse_published(""));
}

TEST_CASE("each month weighs what its middle would, newest months the most", "[recency]") {
  const std::int64_t ref = *parse_published("2026-01-31T00:00:00Z");
  const std::map<std::string, double> w = recency_month_weights("2025-11-03T10:00:00Z", "2026-02-01", ref, 30, 2.0);
  REQUIRE(w.size() == 4);
  // January's middle is the 16th, 12:00: 14.5 days before the reference.
  CHECK(w.at("2026-01") == Approx(2.0 * std::exp2(-14.5 / 30)));
  CHECK(w.at("2025-12") == Approx(2.0 * std::exp2(-(31 + 14.5) / 30)));
  CHECK(w.at("2025-11") == Approx(2.0 * std::exp2(-76.0 / 30)));
  CHECK(w.at("2026-02") == Approx(2.0));  // its middle is past the reference
  CHECK(w.at("2025-11") < w.at("2025-12"));
  // A year boundary, and a single month.
  CHECK(recency_month_weights("2024-12", "2025-01", ref, 30, 2.0).size() == 2);
  CHECK(recency_month_weights("2025-06-01", "2025-06-30", ref, 30, 2.0).size() == 1);
  CHECK(recency_month_weights("", "2025-06", ref, 30, 2.0).empty());
  CHECK(recency_month_weights("2025-13", "2025-06", ref, 30, 2.0).empty());
  CHECK(recency_query("", "", ref, 30, 2.0).empty());
  // Months too old to weigh anything are left out: 20 half-lives of 30 days.
  const std::map<std::string, double> century = recency_month_weights("1926-01", "2026-01", ref, 30, 2.0);
  CHECK(century.size() < 25);
  CHECK(century.size() > 15);
  CHECK(century.begin()->second >= 2.0 * kRecencyNegligible);
}

TEST_CASE("the freshness query is a built-in posting source the remote backend can read", "[recency]") {
  const std::int64_t ref = *parse_published("2026-01-31T00:00:00Z");
  const Xapian::Query q = recency_query("2025-12-01", "2026-01-31", ref, 30, 0.5);
  // Serialised and read back through a default registry, as xapian-tcpsrv
  // does: only Xapian's own classes are in it.
  const Xapian::Query back = Xapian::Query::unserialise(q.serialise(), Xapian::Registry());
  CHECK(back.get_description() == q.get_description());
  CHECK(q.get_description().find("ValueMapPostingSource") != std::string::npos);
}

TEST_CASE("a fresher twin ranks first; half-life 0 gives the old order", "[recency]") {
  TempDir t;
  build(t / "db", twins());
  Searcher s(t / "db");
  std::vector<std::string> fresh = ids(s, "copper strike", 90);
  REQUIRE(fresh.size() == 2);
  CHECK(fresh[0] == "twin-2026");
  std::vector<std::string> plain = ids(s, "copper strike", 0);
  REQUIRE(plain.size() == 2);
  CHECK(plain[0] == "twin-2023");
  // Date order is untouched by freshness.
  SearchRequest r;
  r.query = "copper strike";
  r.sort = SortOrder::kDate;
  CHECK(s.search(r).hits.at(0).article.id == "twin-2026");
}

TEST_CASE("twins of one month tie on freshness and go by id; a month older loses", "[recency]") {
  TempDir t;
  std::vector<Article> docs = fillers();
  const std::string body = "Copper miners went on strike at the northern pit over pay.";
  // Written newest first, so that docid order is not id order.
  docs.push_back(make("twin-c", "Copper mine strike", body, "2026-05-28T00:00:00Z"));
  docs.push_back(make("twin-b", "Copper mine strike", body, "2026-05-02T00:00:00Z"));
  docs.push_back(make("twin-a", "Copper mine strike", body, "2026-04-29T00:00:00Z"));
  build(t / "db", docs);
  Searcher s(t / "db");
  CHECK(ids(s, "copper strike", 90, "2026-06-01") == std::vector<std::string>{"twin-b", "twin-c", "twin-a"});
  auto score = [&](const std::string& id, double halflife) {
    SearchRequest r;
    r.query = "copper";  // one word: no tiers, so the score is BM25 plus freshness
    r.recency_halflife = halflife;
    r.now = "2026-06-30";
    r.collapse = false;
    for (const Hit& h : s.search(r).hits)
      if (h.article.id == id) return h.score;
    FAIL("no hit " << id);
    return 0.0;
  };
  // May's middle is 44.5 days before the reference, April's 75.
  CHECK(score("twin-b", 44.5) - score("twin-b", 0) == Approx(kRecencyMaxBoost / 2));
  CHECK(score("twin-a", 75) - score("twin-a", 0) == Approx(kRecencyMaxBoost / 2));
  CHECK(score("twin-c", 44.5) == score("twin-b", 44.5));
}

TEST_CASE("freshness does not lift a some-words article above an every-word one", "[recency]") {
  TempDir t;
  std::vector<Article> docs = fillers();
  docs.push_back(
      make("all-old", "Copper mine strike", "Miners at the copper pit stopped work.", "1987-03-02T00:00:00Z"));
  // Newer and with the two words it has repeated: higher BM25 for them.
  docs.push_back(make("some-new", "Copper copper mine mine", "Copper mine copper mine.", "2026-05-01T00:00:00Z"));
  build(t / "db", docs);
  Searcher s(t / "db");
  for (double halflife : {1.0, 90.0, 100000.0}) {
    std::vector<std::string> got = ids(s, "copper mine strike", halflife);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == "all-old");
  }
}

TEST_CASE("ages count from the newest article, or from the request's now", "[recency]") {
  TempDir t;
  std::vector<Article> docs = fillers("1980-01-01T00:00:00Z");
  docs.push_back(make("strike-1987", "Strike", "Copper strike.", "1987-03-02T00:00:00Z"));
  docs.push_back(make("undated-one", "Strike", "Copper strike.", ""));
  build(t / "db", docs);
  Searcher s(t / "db");
  auto score = [&](double halflife, const std::string& now, const std::string& id) {
    SearchRequest r;
    r.query = "copper";
    r.recency_halflife = halflife;
    r.now = now;
    r.collapse = false;
    for (const Hit& h : s.search(r).hits)
      if (h.article.id == id) return h.score;
    FAIL("no hit " << id);
    return 0.0;
  };
  // The newest article (the 1987 one) is the reference: it gets the full
  // boost although the clock says it is decades old.
  CHECK(score(90, "", "strike-1987") - score(0, "", "strike-1987") == Approx(kRecencyMaxBoost));
  // Counted from the middle of its month, 1987-03-16T12:00: 75.5 days.
  CHECK(score(90, "1987-05-31", "strike-1987") - score(0, "", "strike-1987") ==
        Approx(kRecencyMaxBoost * std::exp2(-75.5 / 90)));
  // An article without a date gets nothing.
  CHECK(score(90, "", "undated-one") == Approx(score(0, "", "undated-one")));
  SearchRequest bad;
  bad.query = "copper";
  bad.now = "yesterday";
  CHECK_THROWS_AS(s.search(bad), UsageError);
}

TEST_CASE("a stub database of two shards ranks twins as one database does", "[recency]") {
  TempDir t;
  std::vector<Article> all = twins();
  // The older twin alone in the shard opened first: it gets the stub's docid
  // 1, so with plain BM25 it comes first.
  std::vector<Article> a{all.end()[-2]}, b(all.begin(), all.end() - 2);
  b.push_back(all.back());
  build(t / "one", all);
  build(t / "shard-a", a);
  build(t / "shard-b", b);
  spit(t / "stub", "auto shard-a\nauto shard-b\n");
  Searcher one(t / "one"), stub(t / "stub");
  CHECK(ids(stub, "copper strike", 90) == ids(one, "copper strike", 90));
  CHECK(ids(stub, "copper strike", 90).at(0) == "twin-2026");
  CHECK(ids(stub, "copper strike", 0).at(0) == "twin-2023");
}

TEST_CASE("the command line takes --recency-halflife and batch takes recency_halflife", "[recency][cli]") {
  TempDir t;
  build(t / "db", twins());
  RunResult fresh = run(search_bin() + " --db " + t / "db" + " --json copper strike");
  RunResult plain = run(search_bin() + " --db " + t / "db" + " --json --recency-halflife 0 copper strike");
  REQUIRE(fresh.status == 0);
  REQUIRE(plain.status == 0);
  CHECK(nlohmann::json::parse(fresh.out)["results"][0]["id"] == "twin-2026");
  CHECK(nlohmann::json::parse(plain.out)["results"][0]["id"] == "twin-2023");
  spit(t / "in", "{\"q\":\"copper strike\"}\n{\"q\":\"copper strike\",\"recency_halflife\":0}\n");
  RunResult batch = run(search_bin() + " batch --db " + t / "db" + " < " + t / "in");
  REQUIRE(batch.status == 0);
  std::istringstream lines(batch.out);
  std::string l1, l2;
  std::getline(lines, l1);
  std::getline(lines, l2);
  CHECK(nlohmann::json::parse(l1)["ids"][0] == "twin-2026");
  CHECK(nlohmann::json::parse(l2)["ids"][0] == "twin-2023");
  CHECK(run(search_bin() + " --db " + t / "db" + " --recency-halflife -1 copper").status == 2);
}
