// Query-time expansion across English and Chinese (QueryBuilder::set_lexicon):
// entity names in every script, kind words, dictionary translations, their
// weights, and turning it off. A small lexicon and database made here; one
// case runs the program on the bundled samples with the shipped entity file.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include <xinwen/lexicon.h>
#include <xinwen/query.h>
#include <xinwen/search.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;
using namespace xinwen::test;

namespace {

const char* kEntities = R"(
[kind bank]
words = bank, banks, lender, lenders, 银行, 銀行

[kind chipmaker]
words = chipmaker, chipmakers, 芯片商

[kind tech]
words = tech company, 科技公司

[entity nvidia]
kind = chipmaker
en = Nvidia
zh-hans = 英伟达, 辉达
zh-hant = 輝達
tickers = NVDA

[entity hsbc]
kind = bank
en = HSBC
zh-hans = 汇丰
zh-hant = 滙豐
tickers = 0005.HK

[entity standard-chartered]
kind = bank
en = Standard Chartered
zh-hans = 渣打
zh-hant = 渣打
tickers = 2888.HK

[entity servicenow]
kind = tech
en = ServiceNow
tickers = NOW

[entity apple]
kind = tech
en = Apple Inc, Apple?
zh-hans = 苹果公司, 苹果?
zh-hant = 蘋果公司, 蘋果?
tickers = AAPL
)";

const char* kTable = "大豆\tsoybean\n地\tearth\tground\n";

struct Sample {
  const char* id;
  const char* lang;
  const char* title;
  const char* body;
};

// Each article names its subject one way only.
const Sample kSamples[] = {
    {"zht-nvidia", "zh-Hant", "輝達市值再創新高", "輝達股價周一上漲，市值再創新高，投資者看好人工智能晶片需求。"},
    {"en-nvidia", "en", "Nvidia market value hits a new high",
     "Nvidia shares rose on Monday as investors bet on demand for artificial intelligence chips."},
    {"en-lenders-trial", "en", "Lenders quietly trial a Chinese model",
     "HSBC and Standard Chartered have begun internal trials of DeepSeek models for document review."},
    {"en-deepseek-coding", "en", "DeepSeek releases a coding model",
     "DeepSeek released a new model for writing software, with a longer context than before."},
    {"en-banks-rates", "en", "Banks raise deposit rates",
     "Banks in the city raised deposit rates for the second time this year as funding costs climbed."},
    {"en-hsbc-rates", "en", "HSBC raises deposit rates",
     "HSBC in the city raised deposit rates for the second time this year as funding costs climbed."},
    {"en-soybean", "en", "Soybean exports rise", "Soybean exports rose sharply last month on strong demand."},
    {"zhs-soybean", "zh-Hans", "大豆出口增加", "上个月大豆出口大幅增加，需求强劲。"},
};

struct Fixture {
  TempDir dir;
  std::string db = dir / "db";
  std::shared_ptr<const Lexicon> lexicon;

  Fixture() {
    spit(dir / "entities.ini", kEntities);
    spit(dir / "lexicon.tsv", kTable);
    lexicon = std::make_shared<const Lexicon>(Lexicon::load(dir / "entities.ini", dir / "lexicon.tsv"));
    Indexer indexer(db);
    for (const Sample& s : kSamples) {
      Article a;
      a.id = s.id;
      a.lang = s.lang;
      a.title = s.title;
      a.body = s.body;
      a.source = "Test Wire";
      a.published = "2025-06-01T00:00:00Z";
      indexer.add(a);
    }
    indexer.finish();
  }

  SearchResponse search(const std::string& q, bool expand = true) {
    SearcherOptions options;
    options.lexicon = lexicon;
    Searcher searcher(db, options);
    SearchRequest req;
    req.query = q;
    req.limit = 20;
    req.expand = expand;
    return searcher.search(req);
  }
};

std::vector<std::string> ids(const SearchResponse& r) {
  std::vector<std::string> out;
  for (const Hit& h : r.hits) out.push_back(h.article.id);
  return out;
}

std::map<std::string, double> scores(const SearchResponse& r) {
  std::map<std::string, double> out;
  for (const Hit& h : r.hits) out[h.article.id] = h.score;
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

std::size_t rank(const std::vector<std::string>& v, const std::string& id) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), id) - v.begin());
}

}  // namespace

TEST_CASE("Nvidia in any script or by its ticker finds an article that names it only as 輝達", "[expand]") {
  Fixture f;
  for (const char* q : {"Nvidia", "nvidia", "英伟达", "辉达", "輝達", "NVDA", "ticker:NVDA", "ticker:nvda"}) {
    INFO(q);
    std::vector<std::string> got = ids(f.search(q));
    CHECK(has(got, "zht-nvidia"));
    CHECK(has(got, "en-nvidia"));
  }
}

TEST_CASE("names of one entity rank alike, whichever name is typed", "[expand]") {
  Fixture f;
  std::map<std::string, double> by_en = scores(f.search("Nvidia"));
  REQUIRE(by_en.size() == 2);
  for (const char* q : {"輝達", "英伟达", "NVDA"}) {
    INFO(q);
    std::map<std::string, double> other = scores(f.search(q));
    REQUIRE(other.size() == by_en.size());
    for (const auto& [id, score] : by_en) CHECK(other[id] == Approx(score));
  }
}

TEST_CASE("a kind word finds the entities of that kind", "[expand]") {
  Fixture f;
  std::vector<std::string> got = ids(f.search("DeepSeek banks"));
  REQUIRE(has(got, "en-lenders-trial"));
  // It has every word (banks through HSBC and lenders): above DeepSeek alone.
  CHECK(rank(got, "en-lenders-trial") == 0);
  CHECK(has(got, "en-deepseek-coding"));
  CHECK(has(ids(f.search("银行")), "en-hsbc-rates"));
}

TEST_CASE("kind and word expansions rank below an exact match", "[expand]") {
  Fixture f;
  // Two articles alike but for "Banks" against "HSBC".
  std::vector<std::string> banks = ids(f.search("banks"));
  REQUIRE(has(banks, "en-banks-rates"));
  REQUIRE(has(banks, "en-hsbc-rates"));
  CHECK(rank(banks, "en-banks-rates") < rank(banks, "en-hsbc-rates"));
  // The dictionary: soybean finds 大豆, below the article that says soybean.
  std::map<std::string, double> soy = scores(f.search("soybean"));
  REQUIRE(soy.count("zhs-soybean"));
  REQUIRE(soy.count("en-soybean"));
  CHECK(soy["en-soybean"] > soy["zhs-soybean"]);
  std::map<std::string, double> dadou = scores(f.search("大豆"));
  REQUIRE(dadou.count("en-soybean"));
  CHECK(dadou["zhs-soybean"] > dadou["en-soybean"]);
}

TEST_CASE("expand=false searches the words as typed", "[expand]") {
  Fixture f;
  CHECK(ids(f.search("Nvidia", false)) == std::vector<std::string>{"en-nvidia"});
  CHECK(ids(f.search("輝達", false)) == std::vector<std::string>{"zht-nvidia"});
  CHECK_FALSE(has(ids(f.search("soybean", false)), "zhs-soybean"));
  CHECK_FALSE(has(ids(f.search("banks", false)), "en-hsbc-rates"));
  CHECK_FALSE(has(ids(f.search("DeepSeek banks", false)), "en-hsbc-rates"));
}

TEST_CASE("expansion: multi-word names, ambiguous names and tickers that are words", "[expand]") {
  Fixture f;
  QueryBuilder b;
  b.set_lexicon(f.lexicon);
  auto expanded = [&](const std::string& q) {
    std::vector<std::string> out;
    for (const Expansion& e : b.parse(q).expansions) out.push_back(e.words + "=" + expansion_kind_name(e.kind));
    return out;
  };
  CHECK(expanded("Standard Chartered profit") == std::vector<std::string>{"Standard Chartered=entity"});
  CHECK(expanded("NOW") == std::vector<std::string>{"NOW=entity"});
  CHECK(expanded("now").empty());
  CHECK(expanded("苹果").empty());  // marked '?': the fruit stays the fruit
  CHECK(expanded("苹果公司") == std::vector<std::string>{"苹果公司=entity"});
  CHECK(expanded("\"Standard Chartered\"").empty());  // quotes: as written
  // One Han character is not translated, nor is its run cut apart for it.
  CHECK(expanded("一地兩檢").empty());
  // A Han run is cut at a known name only when no lone character is left:
  // 大豆出口 splits (出口 has two characters), 的大豆 stays one literal run
  // (的 alone would be searched as every n-gram starting with it).
  CHECK(expanded("大豆出口") == std::vector<std::string>{"大豆=translation"});
  CHECK(expanded("的大豆").empty());
  CHECK(b.parse("的大豆").query.get_description().find("WILDCARD") == std::string::npos);
  // Every word counts as matched through its expansions.
  ParsedQuery pq = b.parse("Nvidia 輝達 chips");
  REQUIRE(pq.all_words);
  b.set_expand(false);
  CHECK(b.parse("Nvidia").expansions.empty());
}

TEST_CASE("the program expands with the shipped entity file and --no-expand turns it off", "[expand][e2e]") {
  TempDir dir;
  std::string db = dir / "db";
  RunResult r = run(index_bin() + " add --db " + db + " " + samples_dir());
  REQUIRE(r.status == 0);
  auto search = [&](const std::string& args) {
    RunResult s = run(search_bin() + " --db " + db + " --json -n 20 " + args);
    INFO(s.err);
    REQUIRE(s.status == 0);
    const nlohmann::json j = nlohmann::json::parse(s.out);
    std::vector<std::string> out;
    for (const auto& h : j["results"]) out.push_back(h["id"]);
    return out;
  };
  CHECK(has(search("Nvidia"), "zht-nvidia-4-trillion-2025"));
  CHECK(has(search("NVDA"), "zht-nvidia-4-trillion-2025"));
  CHECK(has(search("英伟达"), "zht-nvidia-4-trillion-2025"));
  CHECK(has(search("輝達"), "en-nvidia-h20-licences-2025"));
  CHECK_FALSE(has(search("--no-expand Nvidia"), "zht-nvidia-4-trillion-2025"));
  // The text output lists what was also searched, and what a result lacks.
  RunResult text = run(search_bin() + " --db " + db + " -n 20 DeepSeek 輝達");
  REQUIRE(text.status == 0);
  CHECK(text.out.find("Also searched: ") != std::string::npos);
  CHECK(text.out.find("Nvidia") != std::string::npos);
  CHECK(text.out.find("   Missing: ") != std::string::npos);
  RunResult bad = run(search_bin() + " --db " + db + " --entities " + (dir / "missing.ini") + " Nvidia");
  CHECK(bad.status != 0);
}

TEST_CASE("a result that lacks a query word names it, expansions considered", "[expand][missing]") {
  Fixture f;
  std::map<std::string, std::vector<std::string>> missing;
  for (const Hit& h : f.search("DeepSeek banks").hits) missing[h.article.id] = h.missing;
  REQUIRE(missing.count("en-lenders-trial"));
  REQUIRE(missing.count("en-deepseek-coding"));
  REQUIRE(missing.count("en-banks-rates"));
  CHECK(missing["en-lenders-trial"].empty());  // banks through HSBC and lenders
  CHECK(missing["en-deepseek-coding"] == std::vector<std::string>{"banks"});
  CHECK(missing["en-banks-rates"] == std::vector<std::string>{"DeepSeek"});
  // Without expansion the trial article has no bank: it lacks the word.
  for (const Hit& h : f.search("DeepSeek banks", false).hits)
    if (h.article.id == "en-lenders-trial") CHECK(h.missing == std::vector<std::string>{"banks"});
  // A Han word and a name spanning words are named as typed.
  std::map<std::string, std::vector<std::string>> mixed;
  for (const Hit& h : f.search("Standard Chartered 大豆").hits) mixed[h.article.id] = h.missing;
  REQUIRE(mixed.count("zhs-soybean"));
  CHECK(mixed["zhs-soybean"] == std::vector<std::string>{"Standard Chartered"});
  REQUIRE(mixed.count("en-lenders-trial"));
  CHECK(mixed["en-lenders-trial"] == std::vector<std::string>{"大豆"});
}

TEST_CASE("the JSON names missing words and what the query also searched", "[expand][missing]") {
  Fixture f;
  const nlohmann::json j = to_json(f.search("DeepSeek banks"));
  REQUIRE(j.contains("expansions"));
  REQUIRE(j["expansions"].size() == 1);
  CHECK(j["expansions"][0]["words"] == "banks");
  CHECK(j["expansions"][0]["kind"] == "kind");
  const auto& to = j["expansions"][0]["to"];
  CHECK(std::find(to.begin(), to.end(), "HSBC") != to.end());
  CHECK(std::find(to.begin(), to.end(), "渣打") != to.end());
  bool named = false;
  for (const auto& r : j["results"]) {
    if (r["id"] == "en-deepseek-coding") {
      CHECK(r["matched"] == "some");
      CHECK(r["missing"] == nlohmann::json::array({"banks"}));
      named = true;
    }
    if (r["matched"] == "all") CHECK_FALSE(r.contains("missing"));
  }
  CHECK(named);
  CHECK_FALSE(to_json(f.search("DeepSeek banks", false)).contains("expansions"));
}

TEST_CASE("matches_terms follows the query's operators", "[missing]") {
  using Q = Xapian::Query;
  const std::set<std::string> present{"a", "b"};
  CHECK(matches_terms(Q("a"), present));
  CHECK_FALSE(matches_terms(Q("c"), present));
  CHECK(matches_terms(Q(Q::OP_AND, Q("a"), Q("b")), present));
  CHECK_FALSE(matches_terms(Q(Q::OP_AND, Q("a"), Q("c")), present));
  CHECK(matches_terms(Q(Q::OP_OR, Q("c"), Q("b")), present));
  CHECK(matches_terms(Q(Q::OP_SYNONYM, Q("c"), Q("a")), present));
  CHECK_FALSE(matches_terms(Q(Q::OP_AND_MAYBE, Q("c"), Q("a")), present));
  CHECK(matches_terms(Q(Q::OP_SCALE_WEIGHT, Q("a"), 0.4), present));
  CHECK_FALSE(matches_terms(Q(Q::OP_SCALE_WEIGHT, Q("d"), 0.4), present));
  CHECK(matches_terms(Q(Q::OP_AND_NOT, Q("a"), Q("c")), present));
  CHECK_FALSE(matches_terms(Q(Q::OP_AND_NOT, Q("a"), Q("b")), present));
}
