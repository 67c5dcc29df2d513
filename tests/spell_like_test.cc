// Spelling data and "did you mean", more-like-this across scripts, and the
// language facet, on a small database written here.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include <xinwen/errors.h>
#include <xinwen/like.h>
#include <xinwen/search.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;
using namespace xinwen::test;
using nlohmann::json;

namespace {

Article article(std::string id, std::string lang, std::string title, std::string body) {
  Article a;
  a.id = std::move(id);
  a.lang = std::move(lang);
  a.title = std::move(title);
  a.body = std::move(body);
  a.source = "Test Wire";
  a.published = "2025-06-01T08:00:00Z";
  return a;
}

// Three English articles, a Simplified story with its Traditional twin, and
// an unrelated Simplified story.
const std::string& test_db() {
  static TempDir dir;
  static const std::string db = [] {
    std::string path = dir / "db";
    Indexer ix(path);
    ix.add(article("en-1", "en", "Semiconductor exports rise", "Semiconductor makers shipped more chips abroad."));
    ix.add(article("en-2", "en", "Semiconductor tariffs", "New tariffs on semiconductor imports were announced."));
    ix.add(article("en-3", "en", "Soybean harvest", "Farmers expect a large soybean harvest this autumn."));
    ix.add(article("zh-s", "zh-Hans", "宁德时代发布新型钠离子电池",
                   "宁德时代在福建宁德发布第二代钠离子电池，能量密度显著提高，计划明年量产。"));
    ix.add(article("zh-t", "zh-Hant", "寧德時代發佈新型鈉離子電池",
                   "寧德時代在福建寧德發佈第二代鈉離子電池，能量密度顯著提高，計劃明年量產。"));
    ix.add(article("zh-x", "zh-Hans", "大豆进口增加", "今年大豆进口量增加，主要来自巴西和美国。"));
    ix.finish();
    return path;
  }();
  return db;
}

std::vector<std::string> ids(const SearchResponse& r) {
  std::vector<std::string> out;
  for (const Hit& h : r.hits) out.push_back(h.article.id);
  return out;
}

// Xapian 1.4 reads a word's spelling frequency only through the iterator.
Xapian::doccount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it)
    if (*it == word) return it.get_termfreq();
  return 0;
}

SearchResponse search(SearchRequest req) {
  Searcher s(test_db());
  return s.search(req);
}

}  // namespace

TEST_CASE("the indexer records english words of titles and bodies as spelling data", "[spell]") {
  Xapian::Database db(test_db());
  CHECK(spelling_frequency(db, "semiconductor") == 2);  // once per article
  CHECK(spelling_frequency(db, "soybean") == 1);
  CHECK(spelling_frequency(db, "on") == 0);  // too short to correct against
  bool han = false;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it)
    han = han || static_cast<unsigned char>((*it)[0]) >= 0x80;
  CHECK_FALSE(han);
}

TEST_CASE("replacing or removing an article takes its words out of the spelling data", "[spell]") {
  TempDir dir;
  {
    Indexer ix(dir / "db");
    ix.add(article("a", "en", "Quarterly earnings", "Earnings beat forecasts."));
    ix.add(article("b", "en", "Earnings season", "More earnings next week."));
    ix.commit();
    ix.add(article("a", "en", "Quarterly dividends", "Dividends were raised."));
    ix.remove("b");
    ix.finish();
  }
  Xapian::Database db(dir / "db");
  CHECK(spelling_frequency(db, "earnings") == 0);
  CHECK(spelling_frequency(db, "dividends") == 1);
  CHECK(spelling_frequency(db, "quarterly") == 1);
}

TEST_CASE("did you mean: a misspelt word is corrected when the correction finds more", "[spell]") {
  SearchRequest req;
  req.query = "semicondutor tariffs";
  SearchResponse r = search(req);
  CHECK(r.did_you_mean == "semiconductor tariffs");
  CHECK(to_json(r)["did_you_mean"] == "semiconductor tariffs");

  req.spelling = false;
  CHECK(search(req).did_you_mean.empty());
}

TEST_CASE("did you mean is not offered for words the articles use, or when it finds no more", "[spell]") {
  SearchRequest req;
  req.query = "soybean harvest";
  SearchResponse r = search(req);
  CHECK(r.did_you_mean.empty());
  CHECK_FALSE(to_json(r).contains("did_you_mean"));
  // "soybeen" corrects to soybean, which only an English article has:
  // among Chinese articles the correction finds no more, so it is not offered.
  req.query = "soybeen";
  req.langs = {"zh"};
  CHECK(search(req).did_you_mean.empty());
  req.langs.clear();
  CHECK(search(req).did_you_mean == "soybean");
}

TEST_CASE("spelling correction keeps query syntax and capitals-only operators", "[spell]") {
  Xapian::Database db(test_db());
  CHECK(spelling_correction(db, "+semicondutor OR \"soybeen\"") == "+semiconductor OR \"soybean\"");
  CHECK(spelling_correction(db, "semiconductor soybean").empty());
  CHECK(spelling_correction(db, "宁德时代").empty());
}

TEST_CASE("more like this finds the twin in the other script first and not the article itself", "[like]") {
  SearchRequest req;
  req.like = "zh-t";
  SearchResponse r = search(req);
  auto got = ids(r);
  REQUIRE(!got.empty());
  CHECK(got[0] == "zh-s");
  CHECK(std::find(got.begin(), got.end(), "zh-t") == got.end());
  CHECK(to_json(r)["like"] == "zh-t");

  req.like = "en-1";
  got = ids(search(req));
  REQUIRE(!got.empty());
  CHECK(got[0] == "en-2");
  CHECK(std::find(got.begin(), got.end(), "en-1") == got.end());
}

TEST_CASE("more like this combines with filters and a query", "[like]") {
  SearchRequest req;
  req.like = "zh-t";
  req.langs = {"en"};
  CHECK(search(req).hits.empty());
  req.langs.clear();
  req.query = "钠离子";
  CHECK(ids(search(req)) == std::vector<std::string>{"zh-s"});
  req.query = "大豆";  // only in an article that shares nothing with zh-t
  CHECK(search(req).hits.empty());
}

TEST_CASE("more like this with an unknown id is a usage error", "[like]") {
  SearchRequest req;
  req.like = "no-such-article";
  CHECK_THROWS_AS(search(req), UsageError);
}

TEST_CASE("the language facet counts matches by language, a primary subtag counting its regions", "[facets]") {
  SearchRequest req;
  req.query = "电池 OR semiconductor OR 大豆";
  req.facets = true;
  SearchResponse r = search(req);
  const Facet* lang = nullptr;
  for (const Facet& f : r.facets)
    if (f.name == "lang") lang = &f;
  REQUIRE(lang);
  std::map<std::string, Xapian::doccount> counts;
  for (const FacetCount& c : lang->counts) counts[c.value] = c.count;
  CHECK(counts["en"] == 2);
  CHECK(counts["zh"] == 3);
  CHECK(counts["zh-Hans"] == 2);
  CHECK(counts["zh-Hant"] == 1);
  CHECK(to_json(r)["facets"]["lang"].size() == 4);
}

TEST_CASE("the command line prints did you mean and searches like an article", "[spell][like]") {
  RunResult r = run(search_bin() + " --db " + test_db() + " semicondutor");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Did you mean: semiconductor") != std::string::npos);
  r = run(search_bin() + " --db " + test_db() + " --json --like zh-s");
  REQUIRE(r.status == 0);
  json j = json::parse(r.out);
  REQUIRE(!j["results"].empty());
  CHECK(j["results"][0]["id"] == "zh-t");
}
