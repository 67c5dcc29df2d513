// End to end: the bundled samples indexed by xinwen-index, queried through
// xinwen-search in English, Simplified, Traditional, cross-script and mixed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include <xinwen/errors.h>
#include <xinwen/readers.h>
#include <xinwen/search.h>
#include "test_util.h"

using namespace xinwen;
using namespace xinwen::test;
using nlohmann::json;

namespace {

// One sample database for the whole program.
const std::string& sample_db() {
  static TempDir dir;
  static const std::string db = [] {
    std::string path = dir / "db";
    RunResult r = run(index_bin() + " add --db " + path + " " + samples_dir());
    if (r.status != 0) throw std::runtime_error("indexing the samples failed: " + r.err);
    return path;
  }();
  return db;
}

json search_json(const std::string& args) {
  RunResult r = run(search_bin() + " --db " + sample_db() + " --json " + args);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

std::vector<std::string> ids(const json& j) {
  std::vector<std::string> out;
  for (const auto& h : j["results"]) out.push_back(h["id"]);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::ptrdiff_t rank_of(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) - v.begin();
}

}  // namespace

TEST_CASE("English: every word ranks above some words, and both come back", "[e2e]") {
  json j = search_json("--limit 20 chip export rules");
  auto r = ids(j);
  REQUIRE(!r.empty());
  CHECK(r[0] == "en-chip-export-rules-2025");
  CHECK(j["results"][0]["matched"] == "all");
  CHECK(has(r, "en-nvidia-h20-licences-2025"));  // chip and export, no rule
  bool seen_some = false;
  for (const auto& h : j["results"]) {
    if (h["matched"] == "some")
      seen_some = true;
    else
      CHECK_FALSE(seen_some);  // no "all" after a "some"
  }
  CHECK(seen_some);
  CHECK(j["total"].get<int>() >= static_cast<int>(r.size()));
}

TEST_CASE("English stems and possessives", "[e2e]") {
  auto r = ids(search_json("bank"));
  CHECK(has(r, "en-deepseek-chinese-banks-2025"));
  r = ids(search_json("--limit 20 \"DeepSeek’s\""));
  CHECK(has(r, "en-deepseek-nvidia-selloff-2025"));
  CHECK(has(r, "en-deepseek-chinese-banks-2025"));
  r = ids(search_json("747.9"));
  CHECK(has(r, "en-lion-rock-record-close-2026"));
  r = ids(search_json("18A"));
  CHECK(has(r, "en-intel-18a-panther-lake-2025"));
}

TEST_CASE("Simplified and Traditional find each other", "[e2e]") {
  for (const char* q : {"輝達", "辉达"}) {
    INFO(q);
    auto r = ids(search_json(q));
    CHECK(has(r, "zht-nvidia-4-trillion-2025"));
    CHECK(has(r, "zhs-nvidia-h20-charge-2025"));
  }
  for (const char* q : {"股價", "股价"}) {
    auto r = ids(search_json(q));
    CHECK(has(r, "zht-nvidia-4-trillion-2025"));
    CHECK(has(r, "zhs-xiaomi-yu7-orders-2025"));
  }
}

TEST_CASE("Han substrings across word boundaries are found", "[e2e]") {
  // ICU splits 輝達 and 創下 apart; 達創 stands across the boundary.
  for (const char* q : {"達創", "达创", "輝達創下", "\"達創\""}) {
    INFO(q);
    CHECK(has(ids(search_json(q)), "zht-nvidia-4-trillion-2025"));
  }
}

TEST_CASE("whole-word matches rank above partial ones", "[e2e]") {
  auto r = ids(search_json("--limit 20 辉达"));
  REQUIRE(has(r, "zhs-gold-4000-2025"));  // 光辉达到: the characters, not the word
  CHECK(rank_of(r, "zhs-nvidia-h20-charge-2025") < rank_of(r, "zhs-gold-4000-2025"));
}

TEST_CASE("mixed English and Chinese queries", "[e2e]") {
  auto r = ids(search_json("DeepSeek 银行 banks"));
  REQUIRE(r.size() >= 2);
  CHECK(has(r, "zhs-banks-deepseek-2025"));
  CHECK(has(r, "en-deepseek-chinese-banks-2025"));
  r = ids(search_json("记账Agent"));
  CHECK(r.at(0) == "mix-bookkeeping-agent-2026");
  r = ids(search_json("ＡＩ 台積電"));
  CHECK(r.at(0) == "zht-tsmc-q2-profit-2025");
}

TEST_CASE("snippets mark matches, in Chinese too", "[e2e]") {
  json j = search_json("辉达");
  bool found = false;
  for (const auto& h : j["results"])
    if (h["id"] == "zht-nvidia-4-trillion-2025") {
      found = true;
      CHECK(h["snippet"].get<std::string>().find("<mark>輝達</mark>") != std::string::npos);
    }
  CHECK(found);
  j = search_json("banks");
  CHECK(j["results"][0]["snippet"].get<std::string>().find("<mark>banks</mark>") != std::string::npos);
  // The plain listing marks nothing when not on a terminal.
  RunResult plain = run(search_bin() + " --db " + sample_db() + " banks");
  CHECK(plain.out.find("\033[1m") == std::string::npos);
  CHECK(plain.out.find("<mark>") == std::string::npos);
}

TEST_CASE("filters, fields, sorting and paging", "[e2e]") {
  auto r = search_json("--sort date --limit 50 nvidia OR 辉达 OR 英伟达");
  std::string last = "9999";
  for (const auto& h : r["results"]) {
    std::string p = h["published"];
    CHECK(p <= last);
    last = p;
  }
  auto only = ids(search_json("--source 港聞快訊 --limit 50 股價"));
  CHECK(only == std::vector<std::string>{"zht-nvidia-4-trillion-2025"});
  CHECK(ids(search_json("source:港聞快訊 股價")) == only);
  auto dated = search_json("--from 2025-07-01 --to 2025-07-31 --limit 50 輝達 OR 台積電");
  for (const auto& h : dated["results"]) CHECK(h["published"].get<std::string>().substr(0, 7) == "2025-07");
  CHECK(ids(search_json("2025-07-01..2025-07-31 輝達")) == std::vector<std::string>{"zht-nvidia-4-trillion-2025"});
  CHECK(has(ids(search_json("tag:banking --limit 50 deepseek")), "zhs-banks-deepseek-2025"));
  CHECK(has(ids(search_json("title:記賬")), "mix-bookkeeping-agent-2026"));
  // The answer must outlive the loop: a member of a temporary would not.
  const auto english = search_json("lang:en --limit 50 chips");
  for (const auto& h : english["results"]) CHECK(h["lang"] == "en");

  auto page1 = ids(search_json("--limit 2 chips"));
  auto page2 = ids(search_json("--limit 2 --offset 2 chips"));
  auto both = ids(search_json("--limit 4 chips"));
  REQUIRE(both.size() == 4);
  CHECK(std::vector<std::string>(both.begin(), both.begin() + 2) == page1);
  CHECK(std::vector<std::string>(both.begin() + 2, both.end()) == page2);
}

TEST_CASE("Markdown and text samples are searchable without markup", "[e2e]") {
  json j = search_json("Arizona");
  REQUIRE(j["results"].size() >= 1);
  bool md = false;
  for (const auto& h : j["results"])
    if (h["url"].get<std::string>().find("tsmc-arizona-expansion") != std::string::npos) {
      md = true;
      CHECK(h["snippet"].get<std::string>().find("**") == std::string::npos);
    }
  CHECK(md);
}

TEST_CASE("errors: syntax, missing database, leading dash", "[e2e]") {
  RunResult bad = run(search_bin() + " --db " + sample_db() + " 'nvidia AND'");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("syntax error") != std::string::npos);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
  RunResult missing = run(search_bin() + " --db /nonexistent/db nvidia");
  CHECK(missing.status == 2);
  CHECK(missing.err.find("no database") != std::string::npos);
  RunResult dash = run(search_bin() + " --db " + sample_db() + " --json -- -intel chips");
  CHECK(dash.status == 0);
  auto j = json::parse(dash.out);
  for (const auto& h : j["results"]) CHECK(h["id"] != "en-intel-18a-panther-lake-2025");
  CHECK(j["results"].size() > 0);
}

TEST_CASE("every sample finds itself by its own title, and by any Han substring", "[e2e]") {
  Searcher s(sample_db());
  std::size_t articles = 0, substrings = 0;
  read_paths({samples_dir()}, [&](Record&& rec) {
    REQUIRE(rec.outcome.article);
    const Article& a = *rec.outcome.article;
    ++articles;
    SearchRequest req;
    req.query = "\"" + a.title + "\"";
    req.limit = 3;
    auto r = s.search(req);
    INFO(a.id << " " << a.title);
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].article.id == a.id);
    // Han substrings of 2 to 6 characters from the body, as written.
    for (const HanRun& run : Analyzer::han_runs(a.body)) {
      for (std::size_t len = 2; len <= 6 && len <= run.chars.size(); ++len) {
        for (std::size_t at = 0; at + len <= run.chars.size(); at += 7) {
          std::string q(a.body.substr(run.begins[at], run.ends[at + len - 1] - run.begins[at]));
          req.query = q;
          req.limit = 1000;
          auto hits = s.search(req).hits;
          INFO(q);
          CHECK(std::any_of(hits.begin(), hits.end(), [&](const Hit& h) { return h.article.id == a.id; }));
          ++substrings;
        }
      }
    }
  });
  CHECK(articles == 30);
  CHECK(substrings > 100);
}

TEST_CASE("analyze shows each word, its position and how it is indexed", "[e2e][cli]") {
  RunResult r = run(search_bin() + " analyze --json --query " + sh_quote("DeepSeek’s 股價創新高"));
  REQUIRE(r.status == 0);
  json j = json::parse(r.out);
  const json& toks = j["tokens"];
  REQUIRE(toks.size() >= 3);
  CHECK(toks[0]["token"] == "deepseek");
  CHECK(toks[0]["position"] == 1);
  CHECK(toks[0]["type"] == "word");
  CHECK(toks[0]["indexed"] == "term+positions");
  bool price = false;
  for (const json& t : toks)
    if (t["token"] == "股价") {
      price = true;
      CHECK(t["type"] == "han");
      CHECK(t["indexed"] == "bigram x3");
      CHECK(t["start_offset"] == 13);  // byte offsets in the original text
    }
  CHECK(price);
  std::vector<std::string> grams = j["ngrams"];
  CHECK(std::find(grams.begin(), grams.end(), "价创") != grams.end());  // across a word boundary
  CHECK(j["query"].get<std::string>().find("XC股价") != std::string::npos);

  RunResult plain = run(search_bin() + " analyze " + sh_quote("DeepSeek’s 股價"));
  CHECK(plain.status == 0);
  CHECK(plain.out.find("deepseek") != std::string::npos);
  CHECK(plain.out.find("han n-grams: 股价 价") != std::string::npos);
  CHECK(run(search_bin() + " analyze").status == 2);
}

TEST_CASE("--help lists every mode, and help shows the defaults the options really have", "[e2e][cli]") {
  RunResult help = run(search_bin() + " --help");
  CHECK(help.status == 0);
  for (const char* mode : {"analyze", "suggest", "batch", "segment", "serve"}) {
    INFO(mode);
    CHECK(help.out.find("\n  " + std::string(mode) + " ") != std::string::npos);
  }
  // SearchRequest's limit of 10, shown from the struct the option writes to.
  auto option_line = [](const std::string& text, const std::string& option) {
    std::size_t at = text.find(option);
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
  };
  CHECK(option_line(help.out, "--limit").find("=10") != std::string::npos);
  CHECK(option_line(help.out, "--sort").find("=relevance") != std::string::npos);
  RunResult serve = run(search_bin() + " serve --help");
  CHECK(serve.status == 0);
  CHECK(option_line(serve.out, "--threads").find("=32") != std::string::npos);
  CHECK(option_line(serve.out, "--listen").find("=127.0.0.1:8080") != std::string::npos);
  CHECK(run(search_bin() + " analyze --help").status == 0);
}

TEST_CASE("bad options and missing arguments exit 2 in every mode", "[e2e][cli]") {
  const std::string db = sample_db();
  CHECK(run(search_bin() + " --db " + db + " --no-such-option nvidia").status == 2);
  CHECK(run(search_bin() + " --db " + db + " --limit many nvidia").status == 2);
  CHECK(run(search_bin() + " --db " + db + " --sort newest nvidia").status == 2);
  CHECK(run(search_bin() + " --db " + db).status == 2);  // no query
  CHECK(run(search_bin() + " nvidia").status == 2);      // no database
  CHECK(run(search_bin()).status == 2);
  CHECK(run(search_bin() + " analyze --no-such-option text").status == 2);
  CHECK(run(search_bin() + " suggest nv").status == 2);
  CHECK(run(search_bin() + " batch --db " + db + " --limit x </dev/null").status == 2);
  CHECK(run(search_bin() + " serve --db " + db + " --no-such-option").status == 2);
  RunResult bad = run(search_bin() + " --db " + db + " --no-such-option nvidia");
  CHECK(bad.err.find("--no-such-option") != std::string::npos);
}

TEST_CASE("a mode is named first: later, mode names are words of the query", "[e2e][cli]") {
  // Searching for the word "serve" must not start a server.
  RunResult r = run(search_bin() + " --db " + sample_db() + " --json serve");
  REQUIRE(r.status == 0);
  CHECK(json::parse(r.out)["query"] == "serve");
  r = run(search_bin() + " --db " + sample_db() + " --json chips analyze");
  REQUIRE(r.status == 0);
  CHECK(json::parse(r.out)["query"] == "chips analyze");
  // And the text of a mode may be the name of another mode.
  r = run(search_bin() + " analyze --json suggest");
  REQUIRE(r.status == 0);
  CHECK(json::parse(r.out)["tokens"][0]["token"] == "suggest");
}

TEST_CASE("suggest, batch and segment answer as before", "[e2e][cli]") {
  RunResult s = run(search_bin() + " suggest --db " + sample_db() + " -n 3 nv");
  REQUIRE(s.status == 0);
  CHECK(s.out.find("nvidia\n") != std::string::npos);
  RunResult b =
      run("printf '%s\\n' '{\"q\":\"nvidia\"}' '{\"q\":\"nvidia\",\"limit\":1}' '{\"q\":\"x\",\"sort\":\"bad\"}' | " +
          search_bin() + " batch --db " + sample_db() + " --limit 2");
  REQUIRE(b.status == 0);
  std::istringstream lines(b.out);
  std::string line;
  std::vector<json> answers;
  while (std::getline(lines, line)) answers.push_back(json::parse(line));
  REQUIRE(answers.size() == 3);
  CHECK(answers[0]["ids"].size() == 2);  // the --limit of the command line
  CHECK(answers[1]["ids"].size() == 1);  // the limit of the line
  CHECK(answers[2]["error"].get<std::string>().find("relevance or date") != std::string::npos);
  RunResult seg = run("echo 'Nvidia 股價創新高' | " + search_bin() + " segment");
  REQUIRE(seg.status == 0);
  CHECK(seg.out.rfind("Nvidia ", 0) == 0);
}
