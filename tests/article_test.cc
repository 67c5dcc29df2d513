// The input contract: dates, ids, validation, Markdown and plain text.
#include <catch2/catch.hpp>
#include <set>

#include <xinwen/analyzer.h>
#include <xinwen/article.h>
#include <xinwen/readers.h>
#include <xinwen/schema.h>

using namespace xinwen;

TEST_CASE("ISO 8601 times normalize to UTC", "[article]") {
  struct Row {
    const char* in;
    const char* out;  // nullptr: rejected
  };
  const Row rows[] = {
      {"2025-06-01", "2025-06-01T00:00:00Z"},
      {"2025-06-01T08:30:00+08:00", "2025-06-01T00:30:00Z"},
      {"2025-06-01T08:30:00.123-0500", "2025-06-01T13:30:00Z"},
      {"2025-06-01 08:30Z", "2025-06-01T08:30:00Z"},
      {"2025-01-01T02:00:00+08:00", "2024-12-31T18:00:00Z"},
      {"2024-02-29", "2024-02-29T00:00:00Z"},
      {"2025-02-29", nullptr},
      {"2025-13-01", nullptr},
      {"yesterday", nullptr},
      {"2025-06-01T25:00", nullptr},
      {"2025-06-01Tjunk", nullptr},
  };
  for (const Row& r : rows) {
    INFO(r.in);
    auto t = normalize_time(r.in);
    if (r.out) {
      REQUIRE(t);
      CHECK(*t == r.out);
    } else {
      CHECK_FALSE(t);
    }
  }
}

TEST_CASE("JSON records are checked against the contract", "[article]") {
  SECTION("title alone is enough; id defaults to the url") {
    auto o = article_from_json(R"({"title":"Hello","url":"https://e.com/a"})");
    REQUIRE(o.article);
    CHECK(o.article->id == "https://e.com/a");
    // The canonical form: scheme and host folded, no fragment, no default port.
    auto c = article_from_json(R"({"title":"Hello","url":"HTTPS://News.Example.COM:443/Path/A?x=1#top"})");
    REQUIRE(c.article);
    CHECK(c.article->id == "https://news.example.com/Path/A?x=1");
    CHECK(c.article->url == "HTTPS://News.Example.COM:443/Path/A?x=1#top");
  }
  SECTION("without url the id is a content hash, stable across runs") {
    auto a = article_from_json(R"({"body":"text only"})");
    auto b = article_from_json(R"({"body":"text only"})");
    REQUIRE(a.article);
    CHECK(a.article->id.rfind("sha:", 0) == 0);
    CHECK(a.article->id == b.article->id);
  }
  SECTION("neither title nor body is rejected") {
    auto o = article_from_json(R"({"id":"x","url":"u"})");
    CHECK_FALSE(o.article);
    CHECK(o.error.find("title") != std::string::npos);
  }
  SECTION("unknown fields are ignored with a warning") {
    auto o = article_from_json(R"({"title":"t","colour":"red"})");
    REQUIRE(o.article);
    REQUIRE(o.warnings.size() == 1);
    CHECK(o.warnings[0].find("colour") != std::string::npos);
  }
  SECTION("wrong types and bad dates are rejected with a reason") {
    CHECK(article_from_json(R"({"title":42})").error.find("title") != std::string::npos);
    CHECK(article_from_json(R"({"title":"t","published":"soon"})").error.find("ISO 8601") != std::string::npos);
    CHECK(article_from_json(R"([1,2])").error.find("object") != std::string::npos);
    CHECK(article_from_json("{\"title\":").error.find("invalid JSON") != std::string::npos);
    CHECK(article_from_json("{\"title\":\"\xFF\"}").error.find("invalid JSON") != std::string::npos);
  }
  SECTION("tags may be one string; control characters are removed") {
    auto o = article_from_json(R"({"title":"a\u0000b\u0007c","tags":"chips"})");
    REQUIRE(o.article);
    CHECK(o.article->title == "a b c");
    CHECK(o.article->tags == std::vector<std::string>{"chips"});
  }
}

TEST_CASE("a document carries the schema's terms and values", "[article]") {
  Analyzer an;
  auto o = article_from_json(
      R"({"id":"n1","url":"https://e.com/n1","title":"Nvidia","body":"chips","published":"2025-06-01T08:30:00+08:00",
          "source":"Harbour Ledger","lang":"zh-Hant","tags":["Semiconductors"],"author":"Ann Lee"})");
  REQUIRE(o.article);
  Xapian::Document doc = make_document(*o.article, an);
  std::set<std::string> terms;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) terms.insert(*it);
  for (const char* t : {"Qn1", "Uhttps://e.com/n1", "Snvidia", "XSRCharbour ledger", "Lzh-hant", "Lzh",
                        "Ksemiconductors", "D20250601", "M202506", "Y2025", "Aann", "chips"})
    CHECK(terms.count(t) == 1);
  CHECK(doc.get_value(kSlotPublished) == "2025-06-01T00:30:00Z");
  CHECK(doc.get_value(kSlotSource) == "Harbour Ledger");
  CHECK(doc.get_value(kSlotMonth) == "2025-06");
  CHECK(article_from_document(doc).title == "Nvidia");
  // The stored form decides "unchanged".
  CHECK(doc.get_value(kSlotContentHash) == make_document_hash(*o.article));
  o.article->body = "chips and more";
  CHECK(doc.get_value(kSlotContentHash) != make_document_hash(*o.article));
}

TEST_CASE("a long id becomes a hashed term under the limit", "[article]") {
  std::string id(400, 'x');
  std::string t = id_term(id);
  CHECK(t.size() <= kMaxTermBytes);
  CHECK(t != id_term(std::string(401, 'x')));
}

TEST_CASE("Markdown with front matter", "[article]") {
  const std::string md =
      "---\ntitle: Arizona fabs\ndate: 2025-03-04T10:00:00+08:00\nauthor: [Ann, Bo]\ntags: [chips, tsmc]\n"
      "url: https://e.com/az\nslug: ignored\n---\n# Heading\n\nSome **bold** and a [link "
      "text](https://x.org/hidden).\n\n"
      "- item one\n- item `code`\n";
  auto o = article_from_markdown(md, "posts/az.md");
  REQUIRE(o.article);
  const Article& a = *o.article;
  CHECK(a.title == "Arizona fabs");
  CHECK(a.published == "2025-03-04T02:00:00Z");
  CHECK(a.author == "Ann, Bo");
  CHECK(a.tags == std::vector<std::string>{"chips", "tsmc"});
  CHECK(a.id == "https://e.com/az");
  CHECK(a.body.find("bold") != std::string::npos);
  CHECK(a.body.find("link text") != std::string::npos);
  for (const char* markup : {"**", "#", "](", "hidden", "`", "- item"}) CHECK(a.body.find(markup) == std::string::npos);

  CHECK_FALSE(article_from_markdown("---\ntitle: x\n", "f.md").article);
  CHECK(article_from_markdown("---\ntitle: [unclosed\n---\nbody", "f.md").error.find("YAML") != std::string::npos);
  CHECK(article_from_markdown("---\ntitle: x\ndraft: true\n---\nbody", "f.md").error.find("draft") !=
        std::string::npos);
  // Without url or id, the file path is the id, so editing the file replaces it.
  CHECK(article_from_markdown("---\ntitle: x\n---\nbody", "posts/x.md").article->id == "posts/x.md");
}

TEST_CASE("plain text: the first line is the title", "[article]") {
  auto o = article_from_plain_text("\n  Headline here\n\nBody line one.\nLine two.\n", "notes/a.txt");
  REQUIRE(o.article);
  CHECK(o.article->title == "Headline here");
  CHECK(o.article->body.find("Line two.") != std::string::npos);
  CHECK(o.article->id == "notes/a.txt");
}
