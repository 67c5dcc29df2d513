// The field table drives every field: reading JSON and front matter,
// normalization, the document, the stored data and the search results. Also
// the one place language tags and URL ids are made canonical.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include <xinwen/analyzer.h>
#include <xinwen/article.h>
#include <xinwen/canonical.h>
#include <xinwen/readers.h>
#include <xinwen/schema.h>
#include <xinwen/search.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;
using nlohmann::json;

namespace {

std::set<std::string> terms_of(const Xapian::Document& doc) {
  std::set<std::string> out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) out.insert(*it);
  return out;
}

// Indexes JSON Lines text into a new database at path.
void index_json_lines(const std::string& path, const std::string& text) {
  Indexer indexer(path);
  std::istringstream in(text);
  read_json_lines(in, "test.jsonl", [&](Record&& r) {
    REQUIRE(r.outcome.article);
    indexer.add(*r.outcome.article);
  });
  indexer.commit();
}

}  // namespace

TEST_CASE("language tags are made canonical with ICU", "[fields][lang]") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"zh-TW", "zh-Hant"},
      {"zh_TW", "zh-Hant"},
      {"ZH-tw", "zh-Hant"},
      {"zh-HK", "zh-Hant"},
      {"zh-MO", "zh-Hant"},
      {"zh-Hant-TW", "zh-Hant"},
      {"zh-hant", "zh-Hant"},
      {"zh-CN", "zh-Hans"},
      {"zh-SG", "zh-Hans"},
      {"zh-Hans-CN", "zh-Hans"},
      {"zh-hans", "zh-Hans"},
      {"zh-Hant-CN", "zh-Hant"},
      {"zh", "zh"},
      {"en", "en"},
      {" EN ", "en"},
      {"en-US", "en-US"},
      {"en-us", "en-US"},
      {"en_GB", "en-GB"},
      {"pt-br", "pt-BR"},
      {"sr-latn-rs", "sr-Latn-RS"},
      {"en-US-u-ca-gregory", "en-US"},
      {"iw", "he"},
      {"", ""},
      // Not a tag ICU reads: kept, trimmed and in lower case.
      {" en-US.UTF-8 ", "en-us.utf-8"},
  };
  for (const Row& r : rows) {
    INFO(r.in);
    CHECK(canonical_language(r.in) == r.out);
    // Applying it again changes nothing.
    CHECK(canonical_language(canonical_language(r.in)) == r.out);
  }
}

TEST_CASE("a zh-TW JSON Lines record is stored as zh-Hant and found by lang:zh-hant", "[fields][lang]") {
  auto o = article_from_json(R"({"id":"tw1","title":"高雄港貨櫃量創新高","lang":"zh-TW"})");
  REQUIRE(o.article);
  CHECK(o.article->lang == "zh-Hant");
  Analyzer an;
  std::set<std::string> terms = terms_of(make_document(*o.article, an));
  CHECK(terms.count("Lzh-hant") == 1);
  CHECK(terms.count("Lzh") == 1);
  CHECK(terms.count("Lzh-tw") == 0);

  test::TempDir t;
  const std::string db = t / "db";
  index_json_lines(db, R"({"id":"tw1","title":"高雄港貨櫃量創新高","lang":"zh-TW"})"
                       "\n"
                       R"({"id":"cn1","title":"深圳港集装箱吞吐量创新高","lang":"zh_CN"})"
                       "\n"
                       R"({"id":"en1","title":"Ningbo port record","lang":"en-US"})"
                       "\n");
  Searcher s(db);
  auto ids = [&](const std::string& query) {
    SearchRequest req;
    req.query = query;
    std::set<std::string> out;
    for (const Hit& h : s.search(req).hits) out.insert(h.article.id);
    return out;
  };
  CHECK(ids("lang:zh-hant") == std::set<std::string>{"tw1"});
  CHECK(ids("lang:zh-Hans") == std::set<std::string>{"cn1"});
  CHECK(ids("lang:zh") == std::set<std::string>{"tw1", "cn1"});
  CHECK(ids("lang:en") == std::set<std::string>{"en1"});
  // Filters name languages as loosely as inputs do.
  CHECK(ids("lang:zh-TW") == std::set<std::string>{"tw1"});
  CHECK(ids("lang:en-us") == std::set<std::string>{"en1"});
  SearchRequest by_option;
  by_option.query = "港";
  by_option.langs = {"zh_HK"};
  std::set<std::string> found;
  for (const Hit& h : s.search(by_option).hits) found.insert(h.article.id);
  CHECK(found == std::set<std::string>{"tw1"});
  SearchRequest req;
  req.query = "高雄";
  json j = to_json(s.search(req));
  REQUIRE(j["results"].size() == 1);
  CHECK(j["results"][0]["lang"] == "zh-Hant");
}

TEST_CASE("a URL gives the same id whichever reader met it", "[fields][id]") {
  CHECK(canonical_url("HTTPS://News.Example.COM:443/Path/A?x=1#top") == "https://news.example.com/Path/A?x=1");
  CHECK(canonical_url("http://e.com:80") == "http://e.com/");
  CHECK(canonical_url("http://e.com:8080/a") == "http://e.com:8080/a");
  CHECK(canonical_url("urn:uuid:1234") == "urn:uuid:1234");
  // What `add` makes of a record without an id is what the fetcher calls.
  auto o = article_from_json(R"({"title":"t","url":"HTTP://E.com/a#c"})");
  REQUIRE(o.article);
  CHECK(o.article->id == canonical_url("http://e.com/a"));
  CHECK(o.article->url == "HTTP://E.com/a#c");
}

TEST_CASE("every field has one accessor and distinct names", "[fields][table]") {
  std::set<std::string_view> names, front_matter;
  for (const Field& f : fields()) {
    INFO(f.name);
    CHECK((f.text == nullptr) != (f.list == nullptr));
    CHECK((f.list != nullptr) == (f.shape == InputShape::kList));
    CHECK(names.insert(f.name).second);
    CHECK(field_by_name(f.name) == &f);
    for (std::string_view k : f.front_matter) {
      CHECK(front_matter.insert(k).second);
      CHECK(field_by_front_matter_key(k) == &f);
    }
  }
}

TEST_CASE("article, document and article_from_document keep every field", "[fields][table]") {
  Article a;
  a.id = "rt-1";
  a.url = "https://e.com/rt-1";
  a.title = "Round trip 往返";
  a.body = "Body text\nwith two lines.";
  a.published = "2025-06-01T00:30:00Z";
  a.source = "Harbour Ledger";
  a.lang = "zh-Hant";
  a.tags = {"chips", "晶片"};
  a.author = "Ann Lee, Bo Chen";
  std::vector<std::string> warnings;
  REQUIRE(normalize_article(a, &warnings).empty());
  Analyzer an;
  Article back = article_from_document(make_document(a, an));
  for (const Field& f : fields()) {
    INFO(f.name);
    if (f.list) {
      CHECK_FALSE((a.*f.list).empty());
      CHECK(back.*f.list == a.*f.list);
    } else {
      CHECK_FALSE((a.*f.text).empty());
      CHECK(back.*f.text == a.*f.text);
    }
  }
}

TEST_CASE("the stored data and content hash of an unchanged article stay as they were", "[fields][table]") {
  // Written by the release before the field table drove the fields: the
  // same article must not count as changed.
  auto o = article_from_json(
      R"({"id":"h1","url":"https://e.com/h1","title":"Nvidia","body":"chips","published":"2025-06-01T08:30:00+08:00",)"
      R"("source":"Harbour Ledger","lang":"en","tags":["Semiconductors","ai"],"author":"Ann Lee"})");
  REQUIRE(o.article);
  Analyzer an;
  Xapian::Document doc = make_document(*o.article, an);
  CHECK(doc.get_data() ==
        R"({"author":"Ann Lee","body":"chips","id":"h1","lang":"en","published":"2025-06-01T00:30:00Z",)"
        R"("source":"Harbour Ledger","tags":["Semiconductors","ai"],"title":"Nvidia","url":"https://e.com/h1"})");
  // The hash covers the schema version: "d3da059cbfffe34f" under version 2.
  CHECK(doc.get_value(kSlotContentHash) == "6726a87878755eea");
}

TEST_CASE("JSON input shapes follow the table", "[fields][json]") {
  auto o = article_from_json(R"({"id":42,"title":" t ","author":["Ann","Bo"],"tags":"one","lang":null})");
  REQUIRE(o.article);
  CHECK(o.article->id == "42");
  CHECK(o.article->title == "t");
  CHECK(o.article->author == "Ann, Bo");
  CHECK(o.article->tags == std::vector<std::string>{"one"});
  CHECK(o.article->lang.empty());
  CHECK(article_from_json(R"({"title":"t","tags":[1]})").error ==
        "field \"tags\" must be a string or an array of strings");
  CHECK(article_from_json(R"({"title":["a"]})").error == "field \"title\" must be a string");
  CHECK(article_from_json(R"({"title":"t","url":7})").error == "field \"url\" must be a string");
  // Front-matter aliases are not JSON keys.
  auto alias = article_from_json(R"({"title":"t","date":"2025-06-01"})");
  REQUIRE(alias.article);
  CHECK(alias.article->published.empty());
  CHECK(alias.warnings.size() == 1);
}

TEST_CASE("front-matter keys and their aliases set their fields", "[fields][markdown]") {
  const std::string md =
      "---\ntitle: Aliases\npublishDate: 2025-02-03\nauthors: [A, B]\ncategories: [c1]\ntags: t1\n"
      "permalink: https://E.com/p#x\nlanguage: zh_HK\nsource: Blog\nbody: not the body\nslug: ignored\n---\nText "
      "*here*\n";
  auto o = article_from_markdown(md, "posts/a.md");
  REQUIRE(o.article);
  const Article& a = *o.article;
  CHECK(a.title == "Aliases");
  CHECK(a.published == "2025-02-03T00:00:00Z");
  CHECK(a.author == "A, B");
  CHECK(a.tags == std::vector<std::string>{"c1", "t1"});
  CHECK(a.url == "https://E.com/p#x");
  CHECK(a.id == "https://e.com/p");
  CHECK(a.lang == "zh-Hant");
  CHECK(a.source == "Blog");
  CHECK(a.body == "Text here");
  for (const char* key : {"date", "published", "publishDate"}) {
    INFO(key);
    auto d = article_from_markdown(std::string("---\n") + key + ": 2025-03-04T10:00:00+08:00\n---\nx\n", "f.md");
    REQUIRE(d.article);
    CHECK(d.article->published == "2025-03-04T02:00:00Z");
  }
  auto bad = article_from_markdown("---\ndate: soon\n---\nx\n", "f.md");
  CHECK(bad.error.find("published is not an ISO 8601 date") == 0);
}

TEST_CASE("search results carry the table's fields; facets come when asked", "[fields][json]") {
  test::TempDir t;
  const std::string db = t / "db";
  index_json_lines(db,
                   R"({"id":"x1","url":"https://e.com/x1","title":"Copper","body":"copper prices","tags":["metals"],)"
                   R"("published":"2025-06-01","source":"Wire","lang":"en","author":"Ann"})"
                   "\n");
  Searcher s(db);
  SearchRequest req;
  req.query = "copper";
  req.facets = true;
  json j = to_json(s.search(req));
  REQUIRE(j["results"].size() == 1);
  const json& hit = j["results"][0];
  for (const Field& f : fields()) {
    INFO(f.name);
    CHECK(hit.contains(std::string(f.name)) == f.in_results);
  }
  CHECK(hit["tags"] == json::array({"metals"}));
  CHECK(hit["published"] == "2025-06-01T00:00:00Z");
  REQUIRE(j["facets"].size() == facet_specs().size());
  CHECK(j["facets"]["source"] == json::parse(R"([{"value":"Wire","count":1}])"));
  CHECK(j["facets"]["month"] == json::parse(R"([{"value":"2025-06","count":1}])"));

  // No match: the facet lists are still there, empty.
  req.query = "nothingmatchesthis";
  json none = to_json(s.search(req));
  CHECK(none["facets"]["source"] == json::array());
  CHECK(none["facets"]["month"] == json::array());
  req.facets = false;
  CHECK_FALSE(to_json(s.search(req)).contains("facets"));
}
