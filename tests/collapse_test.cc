// Syndicated copies: near-duplicate fingerprints, story ids at index time
// (one writer and a parallel load), and collapsed search results.
#include <bit>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include <xinwen/analyzer.h>
#include <xinwen/article.h>
#include <xinwen/fingerprint.h>
#include <xinwen/schema.h>
#include <xinwen/search.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;

namespace {

Article article(std::string id, std::string title, std::string body, std::string lang = "zh-Hans") {
  Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.body = std::move(body);
  a.lang = std::move(lang);
  a.source = "Test Wire";
  a.published = "2025-08-28T00:00:00Z";
  return a;
}

const std::string kBody =
    "英伟达周三公布第二季度财报，营收达到三百亿美元，同比增长一倍以上，超过分析师预期。"
    "公司表示，数据中心业务仍是主要增长动力，人工智能芯片需求持续强劲。\n"
    "首席执行官黄仁勋在电话会议上说，新一代芯片将在年底前开始大规模出货，客户包括多家大型云服务商。"
    "不过，公司对下一季度的毛利率预测略低于市场预期，股价在盘后交易中下跌百分之三。\n"
    "分析师指出，出口管制仍然给中国市场的销售带来不确定性，公司已针对中国客户推出符合规定的产品。";

// The same story in Traditional characters, as a Hong Kong paper prints it.
const std::string kBodyTraditional =
    "輝達週三公布第二季度財報，營收達到三百億美元，同比增長一倍以上，超過分析師預期。"
    "公司表示，數據中心業務仍是主要增長動力，人工智能芯片需求持續強勁。\n"
    "首席執行官黃仁勳在電話會議上說，新一代芯片將在年底前開始大規模出貨，客戶包括多家大型雲服務商。"
    "不過，公司對下一季度的毛利率預測略低於市場預期，股價在盤後交易中下跌百分之三。\n"
    "分析師指出，出口管制仍然給中國市場的銷售帶來不確定性，公司已針對中國客戶推出符合規定的產品。";

// Lightly edited, with the reprinting site's boilerplate line.
const std::string kBodyEdited =
    "英伟达周三公布第二季度业绩，营收达到三百亿美元，同比增长一倍以上，超过分析师预期。"
    "公司表示，数据中心业务仍是主要增长动力，人工智能芯片需求持续强劲。\n"
    "首席执行官黄仁勋在电话会议上说，新一代芯片将在年底前开始大规模出货，客户包括多家大型云服务商。"
    "不过，公司对下一季度的毛利率预测略低于市场预期，股价在盘后交易中下跌百分之三。\n"
    "分析师指出，出口管制仍然给中国市场的销售带来不确定性，公司已针对中国客户推出符合规定的产品。\n"
    "（本文来源：财经快讯，转载请注明出处）";

// Same company, same words here and there, another story.
const std::string kOtherBody =
    "英伟达宣布将在台湾新建一座研发中心，投资金额约为十亿美元，预计三年内招聘上千名工程师。"
    "黄仁勋在台北的活动上表示，台湾的供应链对公司的人工智能芯片至关重要。\n"
    "当地官员欢迎这项投资，称其将带动半导体产业的发展。新中心将专注于芯片设计和软件开发，"
    "并与本地大学合作培养人才。分析师认为，此举有助于公司分散风险，但地缘政治紧张仍是隐忧。";

std::vector<Article> story_articles() {
  return {article("wire-1", "英伟达季度营收翻倍", kBody),
          article("hk-2", "輝達業績勝預期 盤後股價跌", kBodyTraditional, "zh-Hant"),
          article("site-3", "黄仁勋：新芯片年底大规模出货", kBodyEdited),
          article("tw-4", "英伟达在台湾设研发中心", kOtherBody)};
}

std::string story_of(const Xapian::Database& db, const std::string& id) {
  auto p = db.postlist_begin("Q" + id);
  REQUIRE(p != db.postlist_end("Q" + id));
  return db.get_document(*p).get_value(kSlotStory);
}

std::map<std::string, Xapian::doccount> search_copies(const std::string& db, const std::string& query, bool collapse) {
  Searcher s(db);
  SearchRequest req;
  req.query = query;
  req.collapse = collapse;
  std::map<std::string, Xapian::doccount> out;
  for (const Hit& h : s.search(req).hits) out[h.article.id] = h.copies;
  return out;
}

}  // namespace

TEST_CASE("copies in either script and with edits have close fingerprints; another story does not", "[collapse]") {
  Analyzer an;
  std::vector<Fingerprint> fps;
  for (const Article& a : story_articles()) {
    Xapian::Document doc = make_document(a, an);
    std::optional<Fingerprint> fp = parse_fingerprint(doc.get_value(kSlotFingerprint));
    REQUIRE(fp);
    CHECK_FALSE(fp->exact_only);
    fps.push_back(*fp);
  }
  for (int i = 1; i < 3; ++i) {
    INFO("copy " << i << " differs in " << std::popcount(fps[0].bits ^ fps[static_cast<std::size_t>(i)].bits)
                 << " bits");
    CHECK(same_story(fps[0], fps[static_cast<std::size_t>(i)]));
  }
  INFO("the other story differs in " << std::popcount(fps[0].bits ^ fps[3].bits) << " bits");
  CHECK_FALSE(same_story(fps[0], fps[3]));
  CHECK(parse_fingerprint(fingerprint_value(fps[0]))->bits == fps[0].bits);
}

TEST_CASE("three syndicated copies show as one result with a count of 3; collapse off shows all", "[collapse]") {
  test::TempDir t;
  const std::string db = t / "db";
  {
    Indexer ix(db);
    for (const Article& a : story_articles()) ix.add(a);
    ix.finish();
  }
  Xapian::Database x(db);
  const std::string story = story_of(x, "wire-1");
  CHECK(story == own_story_id("wire-1"));  // the first copy keeps its own id
  CHECK(story_of(x, "hk-2") == story);
  CHECK(story_of(x, "site-3") == story);
  CHECK(story_of(x, "tw-4") == own_story_id("tw-4"));

  // Every article has both words; the matcher sees all four, so the count,
  // a lower bound in general, is exact here.
  auto collapsed = search_copies(db, "英伟达 芯片", true);
  REQUIRE(collapsed.size() == 2);
  CHECK(collapsed.count("tw-4") == 1);
  CHECK(collapsed["tw-4"] == 1);
  Xapian::doccount copies = 0;
  for (const auto& [id, n] : collapsed)
    if (id != "tw-4") copies = n;
  CHECK(copies == 3);

  auto all = search_copies(db, "英伟达 芯片", false);
  CHECK(all.size() == 4);
  for (const auto& [id, n] : all) CHECK(n == 1);

  Searcher s(db);
  SearchRequest req;
  req.query = "英伟达 芯片";
  nlohmann::json j = to_json(s.search(req));
  std::multiset<int> counts;
  for (const auto& r : j["results"]) counts.insert(r.value("copies", 1));
  CHECK(counts == std::multiset<int>{1, 3});
}

TEST_CASE("a replaced article keeps finding its story, not itself", "[collapse]") {
  test::TempDir t;
  const std::string db = t / "db";
  std::vector<Article> as = story_articles();
  {
    Indexer ix(db);
    ix.add(as[0]);
    ix.add(as[1]);
    as[0].title += "（更新）";
    CHECK(ix.add(as[0]) == AddResult::kReplaced);
    ix.finish();
  }
  Xapian::Database x(db);
  // The replaced wire-1 joins hk-2's story, which was wire-1's own id.
  CHECK(story_of(x, "wire-1") == own_story_id("wire-1"));
  CHECK(story_of(x, "hk-2") == own_story_id("wire-1"));
}

TEST_CASE("copies written by different writers of a parallel load share one story", "[collapse]") {
  std::vector<Article> as = story_articles();
  constexpr unsigned kJobs = 3;
  std::set<std::size_t> shards;
  for (int i = 0; i < 3; ++i) shards.insert(std::hash<std::string>{}(as[static_cast<std::size_t>(i)].id) % kJobs);
  REQUIRE(shards.size() > 1);  // the copies are split between writers
  test::TempDir t;
  const std::string db = t / "db";
  LoadCounters counters;
  {
    ParallelLoader loader(db, kJobs, {}, &counters);
    for (const Article& a : as) loader.submit(a);
    loader.finish();
  }
  Xapian::Database x(db);
  REQUIRE(x.get_doccount() == 4);
  const std::string story = story_of(x, "wire-1");
  CHECK(story_of(x, "hk-2") == story);
  CHECK(story_of(x, "site-3") == story);
  CHECK(story_of(x, "tw-4") != story);
  CHECK(search_copies(db, "英伟达 芯片", true).size() == 2);
}

TEST_CASE("articles whose body is only a boilerplate line are not one story", "[collapse]") {
  // Feeds that carry no text give every item the body "点击查看原文>".
  Analyzer an;
  auto fp = [&](const char* id, const char* title) {
    return *parse_fingerprint(make_document(article(id, title, "点击查看原文>"), an).get_value(kSlotFingerprint));
  };
  CHECK_FALSE(same_story(fp("a", "GitHub Issues 大改造：用缓存和预取，让页面打开快了数倍"),
                         fp("b", "圆桌访谈：AI 创作场——当生成门槛降低，真正稀缺的是什么？")));
}

TEST_CASE("a later run finds the stories of articles indexed by an earlier one", "[collapse]") {
  // The indexer keeps fingerprints in memory; a new run reads them back from
  // the database, so tonight's copy joins last night's story.
  test::TempDir t;
  const std::string db = t / "db";
  std::vector<Article> as = story_articles();
  {
    Indexer ix(db);
    ix.add(as[0]);
    ix.add(as[3]);
    ix.finish();
  }
  {
    Indexer ix(db);
    ix.add(as[1]);
    CHECK(ix.remove("tw-4"));
    ix.add(as[2]);
    ix.finish();
  }
  Xapian::Database x(db);
  CHECK(story_of(x, "hk-2") == own_story_id("wire-1"));
  CHECK(story_of(x, "site-3") == own_story_id("wire-1"));
}

TEST_CASE("batch collapses copies unless --no-collapse or a line says collapse: false", "[collapse][cli]") {
  test::TempDir t;
  const std::string db = t / "db";
  {
    Indexer ix(db);
    for (const Article& a : story_articles()) ix.add(a);
    ix.finish();
  }
  test::spit(t / "in", "{\"q\":\"英伟达 芯片\"}\n{\"q\":\"英伟达 芯片\",\"collapse\":false}\n");
  auto counts = [&](const std::string& args) {
    test::RunResult r = test::run(test::search_bin() + " batch --db " + db + args + " < " + (t / "in"));
    REQUIRE(r.status == 0);
    std::vector<std::size_t> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line)["ids"].size());
    return out;
  };
  CHECK(counts("") == std::vector<std::size_t>{2, 4});
  CHECK(counts(" --no-collapse") == std::vector<std::size_t>{4, 4});
}
