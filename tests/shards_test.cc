// Sharded indexes (xinwen/shards.h): a month, year or hash:3 index holds the
// same articles and ranks them as an unsharded one; moves across shards,
// delete, parallel writers, stats per shard, and compaction of only the shards
// that changed.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include <xinwen/load.h>
#include <xinwen/schema.h>
#include <xinwen/search.h>
#include <xinwen/shards.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;
using test::TempDir;

namespace {

const std::vector<std::string> kEnglish = {
    "The central bank kept interest rates unchanged and said inflation was cooling faster than expected.",
    "Chip makers rallied after a supplier reported strong demand for artificial intelligence servers.",
    "Heavy rain flooded the river delta, and farmers warned that the rice harvest would be late.",
    "The city council approved a new subway line that will link the airport with the old harbour.",
    "A football club from the north won the cup final after a penalty shoot-out in the rain.",
    "Electric car sales rose again as battery prices fell and new charging stations opened.",
    "Scientists measured record ocean temperatures and linked them to coral bleaching on the reef.",
    "The trade talks ended without a deal on tariffs, though both sides promised to meet again.",
};
const std::vector<std::string> kChinese = {
    "央行维持利率不变，并表示通胀降温的速度快于预期。",     "芯片股大涨，一家供应商称人工智能服务器的需求强劲。",
    "暴雨导致河流三角洲被淹，农民担心水稻收成将推迟。",     "市议会批准修建新的地铁线路，连接机场和老港口。",
    "北方一支足球俱乐部在雨中通过点球大战赢得杯赛冠军。",   "电池价格下降，新充电站启用，电动汽车销量再度上升。",
    "科学家测得创纪录的海洋温度，并认为这与珊瑚白化有关。", "贸易谈判未能就关税达成协议，但双方承诺将再次会面。",
};

// About forty articles over two years and a few undated ones, in English,
// Chinese and both, and two long stories with a syndicated copy each (edited,
// dated later).
std::vector<Article> corpus() {
  std::vector<Article> out;
  for (int i = 0; i < 36; ++i) {
    Article a;
    a.id = "story-" + std::to_string(i);
    a.source = i % 2 ? "Harbour Ledger" : "东方日报";
    const std::size_t k = static_cast<std::size_t>(i) % kEnglish.size();
    const std::size_t m = static_cast<std::size_t>(i * 3 + 1) % kEnglish.size();
    if (i % 3 == 0) {
      a.lang = "zh-Hans";
      a.title = kChinese[k].substr(0, 18);
      a.body = kChinese[k] + kChinese[m] + "第" + std::to_string(i) + "号报道。";
    } else if (i % 3 == 1) {
      a.lang = "en";
      a.title = kEnglish[k].substr(0, 40);
      a.body = kEnglish[k] + " " + kEnglish[m] + " Report number " + std::to_string(i) + ".";
    } else {
      a.lang = "en";
      a.title = kEnglish[m].substr(0, 30);
      a.body = kEnglish[k] + " " + kChinese[m] + " " + kEnglish[(m + 2) % kEnglish.size()];
    }
    // 24 months: more shards than a ShardedIndexer keeps open at once.
    if (i % 12 != 11) {
      char date[32];
      std::snprintf(date, sizeof date, "%04d-%02d-%02dT08:00:00Z", 2024 + (i % 24) / 12, (i % 24) % 12 + 1, 1 + i % 27);
      a.published = date;
    }
    out.push_back(a);
  }
  // Two long stories (short texts are matched exactly only), each with a
  // syndicated copy in another month.
  Article en;
  en.id = "long-en";
  en.lang = "en";
  en.source = "Harbour Ledger";
  en.published = "2024-03-09T06:00:00Z";
  en.title = "Port authority opens deep-water terminal after six years of work";
  en.body =
      "The port authority opened its new deep-water terminal on Saturday, six years after dredging began and two "
      "years later than first planned. The terminal can take the largest container ships now at sea, which until "
      "now had to unload at anchor in the bay. Officials said the first vessel, carrying furniture and machine "
      "parts, berthed shortly after dawn and was unloaded in under a day.\n"
      "Dock workers' unions had opposed the automated cranes installed along the new quay, and a short strike in "
      "the spring delayed the opening further. The authority agreed to keep manual crews on the older berths and "
      "to retrain staff for the control room. Shipping lines welcomed the terminal but asked for lower fees in its "
      "first year, saying that the road and rail links to the hinterland were still unfinished.";
  Article zh;
  zh.id = "long-zh";
  zh.lang = "zh-Hans";
  zh.source = "东方日报";
  zh.published = "2025-05-20T02:00:00Z";
  zh.title = "山区小学迎来第一座图书馆";
  zh.body =
      "位于西南山区的一所小学本周迎来了建校以来的第一座图书馆。图书馆由当地村民和返乡青年共同修建，藏书约三千册，"
      "其中大部分由城市里的志愿者捐赠。校长说，过去学生只能在课本之外读到很少的书，如今每周都安排了阅读课。\n"
      "图书馆还配备了几台旧电脑，供学生在放学后查阅资料。村委会表示，将在暑假期间向全村开放，让老人和务农的家长"
      "也能来借书。教育部门的官员在开馆仪式上说，类似的项目今后会推广到周边的十几所学校，但经费和管理人员仍然不足。";
  out.push_back(en);
  out.push_back(zh);
  // Copies: the same text with a line added, dated later.
  for (int i : {36, 37}) {
    Article c = out[static_cast<std::size_t>(i)];
    c.id = "copy-of-" + c.id;
    c.source = "Reprint Wire";
    c.body += c.lang == "zh-Hans" ? "（转载）" : " (Reprinted with permission.)";
    c.published = c.published.substr(0, 5) + "12" + c.published.substr(7);
    out.push_back(c);
  }
  return out;
}

const std::vector<std::string> kQueries = {
    "terminal port", "图书馆",   "container ships 学校", "interest rates", "rain",   "chip demand servers", "央行",
    "利率",          "足球 cup", "electric 电动汽车",    "harbour",        "report", "水稻 harvest"};

struct Ranked {
  std::string id;
  double score;
};

std::vector<Ranked> top(const std::string& db, const std::string& query, bool collapse, std::size_t n = 40) {
  Searcher s(db);
  SearchRequest req;
  req.query = query;
  req.limit = n;
  req.collapse = collapse;
  req.now = "2026-01-01";
  req.snippets = false;
  req.spelling = false;
  std::vector<Ranked> out;
  for (const Hit& h : s.search(req).hits) out.push_back({h.article.id, h.score});
  return out;
}

bool same_score(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a)); }

// The top 20 of a and b are the same ranking: the same scores in the same
// order, and within each run of equal scores the same ids. Xapian orders
// equal scores by docid, which differs between a sharded and an unsharded
// index, so the order inside such a run is not compared. a and b hold 40
// hits, so that a run crossing position 20 is seen whole.
void check_same_top20(const std::vector<Ranked>& a, const std::vector<Ranked>& b, const std::string& what) {
  INFO(what);
  REQUIRE(a.size() == b.size());
  std::size_t i = 0;
  while (i < std::min<std::size_t>(20, a.size())) {
    std::size_t j = i;
    while (j < a.size() && same_score(a[j].score, a[i].score)) ++j;
    std::multiset<std::string> ids_a, ids_b;
    for (std::size_t k = i; k < j; ++k) {
      INFO("position " << k << ": " << a[k].id << " " << a[k].score << " / " << b[k].id << " " << b[k].score);
      CHECK(same_score(a[k].score, b[k].score));
      ids_a.insert(a[k].id);
      ids_b.insert(b[k].id);
    }
    // A run cut by the end of the 40 may hold other ids past the cut.
    if (j < a.size()) CHECK(ids_a == ids_b);
    i = j;
  }
}

void check_same_rankings(const std::string& plain, const std::string& sharded) {
  for (const std::string& q : kQueries)
    for (bool collapse : {false, true})
      check_same_top20(top(plain, q, collapse), top(sharded, q, collapse),
                       "query " + q + (collapse ? " collapsed" : " not collapsed"));
}

std::set<std::string> ids_of(const std::string& db) {
  Xapian::Database x(db);
  std::set<std::string> ids;
  for (auto t = x.allterms_begin("Q"); t != x.allterms_end("Q"); ++t) ids.insert((*t).substr(1));
  return ids;
}

// The articles grouped by story id (the groups, not the ids, must agree).
std::set<std::set<std::string>> story_groups(const std::string& db) {
  Xapian::Database x(db);
  std::map<std::string, std::set<std::string>> by_story;
  for (auto t = x.allterms_begin("Q"); t != x.allterms_end("Q"); ++t) {
    auto p = x.postlist_begin(*t);
    by_story[x.get_document(*p).get_value(kSlotStory)].insert((*t).substr(1));
  }
  std::set<std::set<std::string>> out;
  for (auto& [story, ids] : by_story) out.insert(ids);
  return out;
}

// The shards holding id.
std::vector<std::string> shards_with(const std::string& dir, const std::string& id) {
  std::vector<std::string> out;
  for (const std::string& name : list_shards(dir))
    if (Xapian::Database(dir + "/" + name).term_exists("Q" + id)) out.push_back(name);
  return out;
}

void build_plain(const std::string& db, const std::vector<Article>& articles) {
  Indexer ix(db);
  for (const Article& a : articles) ix.add(a);
  ix.finish();
}

void build_sharded(const std::string& dir, const std::string& scheme, const std::vector<Article>& articles) {
  open_sharded(dir, parse_shard_scheme(scheme));
  ShardedIndexer ix(dir);
  for (const Article& a : articles) ix.add(a);
  ix.finish();
}

std::string idx() { return test::index_bin(); }

}  // namespace

TEST_CASE("shard schemes: names from the date or a stable hash; bad schemes are refused", "[shards]") {
  Article a;
  a.id = "x";
  a.published = "2025-06-30T23:59:59Z";
  CHECK(parse_shard_scheme("month")->shard_of(a) == "2025-06");
  CHECK(parse_shard_scheme("year")->shard_of(a) == "2025");
  a.published.clear();
  CHECK(parse_shard_scheme("month")->shard_of(a) == "undated");
  CHECK(parse_shard_scheme("hash:3")->shard_of(a) == parse_shard_scheme("hash:3")->shard_of(a));
  CHECK(parse_shard_scheme("hash:1024")->shard_of(a).size() == 5);  // h0000..h1023
  CHECK(parse_shard_scheme("hash:16")->shard_of(a).size() == 3);
  for (const char* bad : {"hash:0", "hash:1025", "hash:", "hash:3x", "day", ""}) CHECK_FALSE(parse_shard_scheme(bad));
}

TEST_CASE("month, year and hash:3 indexes hold the same articles and rank them as an unsharded one", "[shards]") {
  TempDir t;
  const std::vector<Article> articles = corpus();
  build_plain(t / "plain", articles);
  for (const std::string scheme : {"month", "year", "hash:3"}) {
    INFO("scheme " << scheme);
    const std::string dir = t / ("sharded-" + scheme.substr(0, 4));
    build_sharded(dir, scheme, articles);
    CHECK(ids_of(dir) == ids_of(t / "plain"));
    CHECK(story_groups(dir) == story_groups(t / "plain"));
    CHECK(list_shards(dir).size() == (scheme == "month" ? 24u + 1 : 3u));
    for (const Article& a : articles) CHECK(shards_with(dir, a.id).size() == 1);
    check_same_rankings(t / "plain", dir);
    // Each copy (in another month's shard) got its original's story.
    for (const std::string id : {"long-en", "long-zh"}) {
      bool together = false;
      for (const std::set<std::string>& g : story_groups(dir)) together |= g.count(id) && g.count("copy-of-" + id);
      CHECK(together);
    }
  }
}

TEST_CASE("a re-add whose date moves an article to another shard leaves it in exactly one", "[shards]") {
  TempDir t;
  std::vector<Article> articles = corpus();
  build_plain(t / "plain", articles);
  build_sharded(t / "months", "month", articles);
  Article moved = articles[1];
  REQUIRE(shards_with(t / "months", moved.id) == std::vector<std::string>{"2024-02"});
  moved.published = "2025-07-04T10:00:00Z";
  moved.body += " Updated with a correction.";
  {
    // A later run: the id is found in the shards as they were.
    ShardedIndexer ix(t / "months");
    CHECK(ix.add(moved) == AddResult::kReplaced);
    // And again within the run, now found where this run put it.
    moved.published = "2024-05-01T10:00:00Z";
    CHECK(ix.add(moved) == AddResult::kReplaced);
    CHECK(ix.add(moved) == AddResult::kUnchanged);
    ix.finish();
  }
  CHECK(shards_with(t / "months", moved.id) == std::vector<std::string>{"2024-05"});
  {
    Indexer ix(t / "plain");
    ix.add(moved);
    ix.finish();
  }
  CHECK(ids_of(t / "months") == ids_of(t / "plain"));
  CHECK(Xapian::Database(t / "months").get_doccount() == articles.size());
  check_same_rankings(t / "plain", t / "months");

  SECTION("delete finds it in its new shard") {
    test::RunResult r = test::run(idx() + " delete --db " + t / "months" + " " + moved.id + " " + articles[5].id);
    CHECK(r.status == 0);
    CHECK(shards_with(t / "months", moved.id).empty());
    CHECK(shards_with(t / "months", articles[5].id).empty());
    test::RunResult missing = test::run(idx() + " delete --db " + t / "months" + " " + moved.id);
    CHECK(missing.status == 1);
    CHECK(Xapian::Database(t / "months").get_doccount() == articles.size() - 2);
  }
}

TEST_CASE("two writer threads (add --jobs 2) on a sharded index write the same articles and stories as one writer",
          "[shards]") {
  TempDir t;
  std::vector<Article> articles = corpus();
  // Within the input, one id comes back with a date in another month.
  Article again = articles[2];
  again.published = "2025-11-11T11:00:00Z";
  again.body += " Second version.";
  articles.push_back(again);
  for (const std::string& dir : {t / "one", t / "two"}) {
    LoadCounters counters;
    Loader loader(dir, dir == t / "one" ? 1 : 2, {}, &counters, parse_shard_scheme("month"));
    CHECK(loader.sharded());
    for (const Article& a : articles) loader.add(a);
    loader.finish();
    CHECK(counters.added == articles.size() - 1);
    CHECK(counters.replaced == 1);
  }
  CHECK(ids_of(t / "one") == ids_of(t / "two"));
  CHECK(story_groups(t / "one") == story_groups(t / "two"));
  CHECK(list_shards(t / "one") == list_shards(t / "two"));
  CHECK(shards_with(t / "two", again.id) == std::vector<std::string>{"2025-11"});
  check_same_rankings(t / "one", t / "two");
}

TEST_CASE("xinwen-index add --shards: the scheme is kept, and another one is a usage error", "[shards]") {
  TempDir t;
  const std::string samples = test::samples_dir() + "/news.jsonl";
  test::RunResult first = test::run(idx() + " add -q --db " + t / "news" + " --shards year " + samples);
  REQUIRE(first.status == 0);
  CHECK(test::slurp(t / "news/SHARDS") == "year\n");
  const std::string stub = test::slurp(t / "news/XAPIANDB");
  CHECK(stub.rfind("auto 2025\n", 0) == 0);
  // A later add without --shards routes the same way: nothing new.
  test::RunResult again = test::run(idx() + " add -q --db " + t / "news" + " " + samples);
  CHECK(again.status == 0);
  CHECK(again.out.find("unchanged 24") != std::string::npos);
  CHECK(test::slurp(t / "news/XAPIANDB") == stub);

  test::RunResult other = test::run(idx() + " add -q --db " + t / "news" + " --shards month " + samples);
  CHECK(other.status == 2);
  CHECK(other.err.find("sharded by year") != std::string::npos);
  test::run(idx() + " add -q --db " + t / "plain" + " " + samples);
  test::RunResult plain = test::run(idx() + " add -q --db " + t / "plain" + " --shards month " + samples);
  CHECK(plain.status == 2);
  CHECK(plain.err.find("unsharded") != std::string::npos);
  test::RunResult bad = test::run(idx() + " add -q --db " + t / "new" + " --shards week " + samples);
  CHECK(bad.status == 2);
  CHECK_FALSE(std::filesystem::exists(t / "new"));

  SECTION("stats reports each shard and the total") {
    test::RunResult s = test::run(idx() + " stats --json --db " + t / "news");
    REQUIRE(s.status == 0);
    nlohmann::json j = nlohmann::json::parse(s.out);
    CHECK(j["scheme"] == "year");
    CHECK(j["documents"] == 24);
    unsigned documents = 0;
    std::uint64_t bytes = 0;
    std::vector<std::string> names;
    for (const auto& sh : j["shards"]) {
      names.push_back(sh["name"]);
      documents += sh["documents"].get<unsigned>();
      bytes += sh["bytes"].get<std::uint64_t>();
      CHECK_FALSE(sh["last_update"].get<std::string>().empty());
    }
    CHECK(names == list_shards(t / "news"));
    CHECK(documents == 24);
    CHECK(bytes == j["bytes"].get<std::uint64_t>());
    test::RunResult text = test::run(idx() + " stats --db " + t / "news");
    CHECK(text.out.find("by year") != std::string::npos);
  }
}

TEST_CASE("compact rewrites only the shards that changed since their last compaction", "[shards][compact]") {
  TempDir t;
  const std::vector<Article> articles = corpus();
  build_sharded(t / "h", "hash:3", articles);
  auto inode = [&](const std::string& name) {
    struct stat st {};
    REQUIRE(::stat((t / "h/" + name).c_str(), &st) == 0);
    return st.st_ino;
  };
  test::RunResult first = test::run(idx() + " compact --check --db " + t / "h");
  REQUIRE(first.status == 0);
  CHECK(first.out.find("compacted=3 unchanged=0") != std::string::npos);
  std::map<std::string, ino_t> before;
  for (const std::string& n : list_shards(t / "h")) before[n] = inode(n);
  struct stat stub_before {};
  ::stat((t / "h/XAPIANDB").c_str(), &stub_before);

  Article changed = articles[3];
  changed.body += " A late addition.";
  const std::string target = parse_shard_scheme("hash:3")->shard_of(changed);
  {
    ShardedIndexer ix(t / "h");
    CHECK(ix.add(changed) == AddResult::kReplaced);
    ix.finish();
  }
  test::RunResult second = test::run(idx() + " compact --db " + t / "h");
  REQUIRE(second.status == 0);
  CHECK(second.out.find(target + " compacted") != std::string::npos);
  CHECK(second.out.find("compacted=1 unchanged=2") != std::string::npos);
  for (const auto& [name, ino] : before) {
    INFO("shard " << name);
    CHECK((inode(name) != ino) == (name == target));
  }
  // The stub is a new file, so that searchers reopen.
  struct stat stub_after {};
  ::stat((t / "h/XAPIANDB").c_str(), &stub_after);
  CHECK(stub_after.st_ino != stub_before.st_ino);
  CHECK(ids_of(t / "h").size() == articles.size());
  CHECK(top(t / "h", "late addition", false, 5).at(0).id == changed.id);

  test::RunResult plain = test::run(idx() + " compact --db " + t / "nothing");
  CHECK(plain.status == 2);
}

TEST_CASE("an id left in two shards by a killed run is mended by its next add or delete", "[shards]") {
  TempDir t;
  const std::vector<Article> articles = corpus();
  build_sharded(t / "months", "month", articles);
  // What a run killed between two shards' commits can leave: the old copy
  // still in its shard, the new one committed in another.
  Article a = articles[1], b = articles[2];
  for (Article* x : {&a, &b}) {
    Article stray = *x;
    stray.published = "2024-09-09T09:00:00Z";
    stray.body += " Stray copy.";
    Indexer ix(t / "months/2024-09");
    ix.add(stray);
    ix.finish();
    REQUIRE(shards_with(t / "months", x->id).size() == 2);
  }
  {
    ShardedIndexer ix(t / "months");
    a.body += " Corrected.";
    CHECK(ix.add(a) == AddResult::kReplaced);
    CHECK(ix.remove(b.id));
    ix.finish();
  }
  CHECK(shards_with(t / "months", a.id) == std::vector<std::string>{"2024-02"});
  CHECK(shards_with(t / "months", b.id).empty());
}
