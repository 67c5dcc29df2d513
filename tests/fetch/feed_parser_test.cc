// parse_feed: RSS 2.0, Atom 1.0 and JSON Feed 1.1, and the documents that
// must fail safely (malformed XML, an entity bomb, external entities).
#include <xinwen/fetch/feed_parser.h>

#include <xinwen/fetch/charset.h>

#include <catch2/catch.hpp>

#include "fetch/fixture_server.h"

using namespace xinwen;
using test::fixture;

namespace {
const std::string kBase = "http://fixtures.test";
}

TEST_CASE("RSS 2.0 with content:encoded, dc:date and dc:creator", "[fetch][feed]") {
  Feed f = parse_feed(fixture("rss2.xml"), kBase + "/static/rss2.xml");
  CHECK(f.format == FeedFormat::kRss);
  CHECK(f.title == "Harbour Wire");
  CHECK(f.lang == "en-gb");
  REQUIRE(f.items.size() == 3);

  const FeedItem& a = f.items[0];
  CHECK(a.title == "Ningbo port handles a record number of containers");
  CHECK(a.link == kBase + "/news/ningbo-record");
  CHECK(a.id == kBase + "/news/ningbo-record");
  CHECK(a.published == "2025-06-02T01:15:00Z");
  CHECK(a.author == "Lin Qiao");
  CHECK(a.tags == std::vector<std::string>{"shipping", "ports"});
  // content:encoded wins over the description; its markup and script are gone.
  CHECK(a.text ==
        "The port at Ningbo moved more containers in May than in any month before, its operator said on Monday.\n\n"
        "Freight forwarders credited new berths and a late rush of orders ahead of the summer.");

  const FeedItem& b = f.items[1];
  CHECK(b.title == "Q&A: what the \"entity list\" means for chipmakers");
  CHECK(b.published == "2025-06-02T10:00:00Z");  // from dc:date
  CHECK(b.text == "Export controls explained in five questions.\n\nSecond paragraph.");

  const FeedItem& c = f.items[2];
  CHECK(c.title == "深圳港集装箱吞吐量创新高");
  CHECK(c.text == "深圳港五月份集装箱吞吐量同比增长百分之十二，创下历史新高。");
  CHECK(c.published == "2025-06-03T01:30:00Z");
}

TEST_CASE("Atom 1.0 with xml:base, html and xhtml content", "[fetch][feed]") {
  Feed f = parse_feed(fixture("atom.xml"), kBase + "/static/atom.xml");
  CHECK(f.format == FeedFormat::kAtom);
  CHECK(f.title == "Lantern Review");
  CHECK(f.lang == "en");
  REQUIRE(f.items.size() == 2);

  const FeedItem& a = f.items[0];
  CHECK(a.title == "Tea exporters switch to rail");
  CHECK(a.link == kBase + "/atom/stories/tea-rail.html");  // relative to xml:base, not the enclosure
  CHECK(a.id == "tag:lantern.example,2025:tea-rail");
  CHECK(a.published == "2025-06-03T00:00:00Z");  // published, not updated
  CHECK(a.author == "Lantern Desk");             // the feed's author
  CHECK(a.tags == std::vector<std::string>{"Trade"});
  CHECK(a.text == "Tea from Fujian now reaches Europe by train in eighteen days.");

  const FeedItem& b = f.items[1];
  CHECK(b.link == "https://elsewhere.example/hk/shipping");
  CHECK(b.published == "2025-06-02T23:30:00Z");  // updated, when there is no published
  CHECK(b.author == "陳記者");
  CHECK(b.lang == "zh-Hant");
  CHECK(b.text == "航運公司須於明年起提交排放報告。\n\n業界表示歡迎。");  // content wins over summary
}

TEST_CASE("JSON Feed 1.1", "[fetch][feed]") {
  Feed f = parse_feed(fixture("feed.json"), kBase + "/static/feed.json");
  CHECK(f.format == FeedFormat::kJsonFeed);
  CHECK(f.title == "Abacus Notes");
  CHECK(f.lang == "zh-CN");
  REQUIRE(f.items.size() == 2);
  const FeedItem& a = f.items[0];
  CHECK(a.id == "abacus-1");
  CHECK(a.link == kBase + "/abacus/1");
  CHECK(a.title == "央行下调存款准备金率");
  CHECK(a.text == "央行宣布下调存款准备金率零点五个百分点。\n\n此举预计释放长期资金。");
  CHECK(a.published == "2025-06-04T01:30:00Z");
  CHECK(a.author == "Abacus Staff");
  CHECK(a.tags == std::vector<std::string>{"货币政策", "银行"});
  const FeedItem& b = f.items[1];
  CHECK(b.id == "2");
  CHECK(b.link == kBase + "/abacus/2");  // relative URL resolved
  CHECK(b.text == "Copper fell for a third day as warehouse stocks rose.");
  CHECK(b.published == "2025-06-04T11:00:00Z");
  CHECK(b.author == "Mei Tan, Joe Park");
  CHECK(b.lang == "en");
}

TEST_CASE("a feed with no items is a feed", "[fetch][feed]") {
  Feed f = parse_feed(fixture("empty.xml"), kBase);
  CHECK(f.title == "Quiet Wire");
  CHECK(f.items.empty());
  CHECK(f.warnings.empty());
  Feed j = parse_feed(R"({"version": "https://jsonfeed.org/version/1.1", "title": "none", "items": []})", kBase);
  CHECK(j.items.empty());
}

TEST_CASE("malformed XML: bare ampersands are repaired, the rest is recovered", "[fetch][feed]") {
  Feed f = parse_feed(fixture("malformed.xml"), kBase);
  REQUIRE(f.items.size() >= 2);
  CHECK(f.items[0].title == "Salt & pepper prices rise");
  CHECK(f.items[1].title == "Second story survives");
  REQUIRE_FALSE(f.warnings.empty());
  CHECK(f.warnings[0].find("malformed XML at line") == 0);

  Feed amp = parse_feed("<rss><channel><item><title>AT&T & Verizon</title></item></channel></rss>", kBase);
  REQUIRE(amp.items.size() == 1);
  CHECK(amp.items[0].title == "AT&T & Verizon");
}

TEST_CASE("documents that are not feeds fail with a reason", "[fetch][feed]") {
  CHECK_THROWS_AS(parse_feed(fixture("garbage.xml"), kBase), FeedError);
  CHECK_THROWS_WITH(parse_feed(fixture("not-a-feed.html"), kBase), Catch::Contains("not a feed"));
  CHECK_THROWS_WITH(parse_feed("{\"title\": \"x\"}", kBase), Catch::Contains("JSON Feed version"));
  CHECK_THROWS_WITH(parse_feed("{\"version\": ", kBase), Catch::Contains("malformed JSON"));
  CHECK_THROWS_WITH(parse_feed("   ", kBase), Catch::Contains("empty"));
}

TEST_CASE("an entity bomb fails without being expanded", "[fetch][feed]") {
  // Expanded, its title alone would be hundreds of gigabytes: a parser that
  // expanded it would never get to the error.
  CHECK_THROWS_WITH(parse_feed(fixture("bomb.xml"), kBase), Catch::Contains("entity"));
}

TEST_CASE("external entities are neither loaded nor expanded", "[fetch][feed]") {
  Feed f = parse_feed(fixture("xxe.xml"), kBase);
  REQUIRE(f.items.size() == 1);
  CHECK(f.items[0].text == "before middle after");
  CHECK(f.items[0].text.find("root:") == std::string::npos);
}

TEST_CASE("Atom base64 content is decoded, and binary content is left out", "[fetch][feed][conformance]") {
  Feed f = parse_feed(fixture("atom-base64.xml"), kBase + "/static/atom-base64.xml");
  REQUIRE(f.items.size() == 3);
  CHECK(f.items[0].text == "Ferries resume after the storm.");          // type="application/octet-stream"
  CHECK(f.items[1].text == "Rail freight to Europe grew by a third.");  // Atom 0.3 mode="base64"
  CHECK(f.items[2].text == "A chart of port traffic.");                 // a PNG: the summary instead
}

TEST_CASE("an escaped tag inside an XHTML title stays as text", "[fetch][feed][conformance]") {
  Feed f = parse_feed(fixture("atom-base64.xml"), kBase + "/static/atom-base64.xml");
  REQUIRE(f.items.size() == 3);
  CHECK(f.items[1].title == "Why the <blink> tag vanished");
}

TEST_CASE("RSS 2.0 in a default namespace is read", "[fetch][feed][conformance]") {
  Feed f = parse_feed(fixture("rss-default-ns.xml"), kBase + "/static/rss-default-ns.xml");
  CHECK(f.title == "Namespaced Wire");
  REQUIRE(f.items.size() == 1);
  CHECK(f.items[0].title == "Harbour pilots strike for a day");
  CHECK(f.items[0].link == "http://ns.example/pilots");
  CHECK(f.items[0].published == "2025-06-04T06:00:00Z");
}

TEST_CASE("items in an unknown namespace fail the feed instead of making it empty", "[fetch][feed][conformance]") {
  CHECK_THROWS_WITH(parse_feed(fixture("rss-stray-ns.xml"), kBase + "/x.xml"),
                    Catch::Contains("no items read") && Catch::Contains("http://stray.example/ns"));
  // A feed that really has no items is still just empty.
  CHECK(parse_feed("<rss version=\"2.0\"><channel><title>t</title></channel></rss>", kBase).items.empty());
}

TEST_CASE("dc:title, dc:description and dcterms dates are read", "[fetch][feed][conformance]") {
  Feed f = parse_feed(fixture("rss-dc.xml"), kBase + "/news/rss-dc.xml");
  CHECK(f.title == "Dublin Core Daily");
  REQUIRE(f.items.size() == 2);
  CHECK(f.items[0].title == "Lighthouse keepers return to the islands");
  CHECK(f.items[0].text == "The last three lighthouses get their keepers back this summer.");
  CHECK(f.items[0].published == "2025-06-05T06:00:00Z");  // dcterms:issued
  CHECK(f.items[0].link == kBase + "/news/lighthouse.html");
  CHECK(f.items[1].published == "2025-06-06T12:00:00Z");  // dcterms:modified
}

TEST_CASE("windows-1252 characters written as C1 controls are read as windows-1252", "[fetch][feed][conformance]") {
  // Raw bytes in a feed declared ISO-8859-1, a reference in XML, and one in
  // escaped HTML: all three are the right single quotation mark.
  const std::string latin1 =
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><item>"
      "<title>We don\x92t know</title><description>Caf\xE9 &#150; &amp;#147;open&amp;#148;</description>"
      "<link>http://c1.example/a</link></item></channel></rss>";
  DecodedText d = decode_to_utf8(latin1, "application/rss+xml", MarkupKind::kXml);
  Feed f = parse_feed(d.text, kBase);
  REQUIRE(f.items.size() == 1);
  CHECK(f.items[0].title == "We don\u2019t know");
  CHECK(f.items[0].text == "Caf\u00e9 \u2013 \u201copen\u201d");

  // The same in UTF-8, as C1 code points and references.
  Feed g = parse_feed(
      "<rss version=\"2.0\"><channel><item><title>don\xC2\x92t &#x92; &#146;</title>"
      "<link>http://c1.example/b</link></item></channel></rss>",
      kBase);
  REQUIRE(g.items.size() == 1);
  CHECK(g.items[0].title == "don\u2019t \u2019 \u2019");
}

TEST_CASE("a feed nested deeper than the parser's limit fails instead of losing its item",
          "[fetch][feed][conformance]") {
  std::string doc = "<rss version=\"2.0\"><channel><item><title>Deep</title><link>http://deep.example/</link>";
  doc.reserve(doc.size() + 100000 * 11);
  for (int i = 0; i < 100000; ++i) doc += "<d>";
  for (int i = 0; i < 100000; ++i) doc += "</d>";
  doc += "</item></channel></rss>";
  CHECK_THROWS_WITH(parse_feed(doc, kBase), Catch::Contains("depth"));
}

TEST_CASE("data: and javascript: item links are kept as written", "[fetch][feed][conformance]") {
  Feed f = parse_feed(fixture("unsafe-links.xml"), kBase + "/static/unsafe-links.xml");
  REQUIRE(f.items.size() == 2);
  CHECK(f.items[0].link == "javascript:alert(document.cookie)");
  CHECK(f.items[1].link == "data:text/html;base64,PGgxPkhlbGxvPC9oMT4=");
}

TEST_CASE("more than 20 unreadable dates: 20 named, then one line", "[fetch][feed][dates]") {
  std::string doc = "<rss version=\"2.0\"><channel>";
  for (int i = 0; i < 25; ++i)
    doc += "<item><title>t" + std::to_string(i) + "</title><pubDate>someday " + std::to_string(i) + "</pubDate></item>";
  doc += "</channel></rss>";
  Feed f = parse_feed(doc, kBase);
  REQUIRE(f.warnings.size() == 21);
  CHECK(f.warnings[19] == "unreadable date \"someday 19\"");
  CHECK(f.warnings[20] == "more unreadable dates, not named");
}
