// The sources file: sections, keys, and errors that name their line.
#include <xinwen/fetch/sources.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include <xinwen/canonical.h>
#include <xinwen/errors.h>

using namespace xinwen;

TEST_CASE("a sources file lists feeds by source", "[fetch][sources]") {
  const char* text =
      "# Morning news\n"
      "\n"
      "[Reuters]\n"
      "url = https://example.com/world.rss\n"
      "url = https://example.com/business.rss\n"
      "lang = en-US\n"
      "\n"
      "; another comment style\n"
      "[36氪]\n"
      "  URL =  https://36kr.example/feed  \n"
      "content = page\n"
      "lang = zh_CN\n"
      "[Aggregator]\n"
      "url = http://agg.example/all.xml\n"
      "content = page\n"
      "source-from-page = yes\n";
  std::vector<FeedSource> s = parse_sources(text, "sources");
  REQUIRE(s.size() == 4);
  CHECK(s[0].url == "https://example.com/world.rss");
  CHECK(s[0].name == "Reuters");
  CHECK(s[0].lang == "en-US");  // the lang line comes after the urls: it is the section's
  CHECK(s[0].content == ContentMode::kFeed);
  CHECK(s[0].origin == "sources:4");
  CHECK(s[1].url == "https://example.com/business.rss");
  CHECK(s[2].name == "36氪");
  CHECK(s[2].url == "https://36kr.example/feed");
  CHECK(s[2].content == ContentMode::kPage);
  CHECK(s[2].lang == "zh-Hans");
  CHECK_FALSE(s[2].source_from_page);
  CHECK(s[3].source_from_page);
}

TEST_CASE("mistakes in a sources file name the line", "[fetch][sources]") {
  auto error_of = [](const std::string& text) {
    try {
      parse_sources(text, "feeds.conf");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("url = https://a.example/\n").find("feeds.conf:1") != std::string::npos);
  CHECK(error_of("[A]\nurl = file:///etc/passwd\n").find("feeds.conf:2: url must be an http") == 0);
  CHECK(error_of("[A]\nurl = https://a.example/\ncontent = pages\n").find("feeds.conf:3") == 0);
  CHECK(error_of("[A]\nurl = https://a.example/\nlanguage = en\n").find("unknown key \"language\"") !=
        std::string::npos);
  CHECK(error_of("[A]\nurl = https://a.example/\n[B]\nurl = https://a.example/\n")
            .find("feeds.conf:4: url https://a.example/ is already listed at feeds.conf:2") == 0);
  CHECK(error_of("[A]\n[B]\nurl = https://b.example/\n").find("feeds.conf:1: [A] has no url line") == 0);
  CHECK(error_of("[]\n").find("feeds.conf:1") == 0);
  CHECK(error_of("[A\n").find("feeds.conf:1") == 0);
  CHECK(error_of("just words\n").find("feeds.conf:1") == 0);
  CHECK(error_of("[A]\nurl = https://a.example/two words\n").find("feeds.conf:2: url must not contain spaces") == 0);
  CHECK(error_of("# only comments\n") == "no error");
}

TEST_CASE("language tags become the index's form", "[fetch][sources]") {
  CHECK(canonical_language("zh-CN") == "zh-Hans");
  CHECK(canonical_language("zh-Hans-CN") == "zh-Hans");
  CHECK(canonical_language("zh_TW") == "zh-Hant");
  CHECK(canonical_language("zh-HK") == "zh-Hant");
  CHECK(canonical_language("zh") == "zh");
  CHECK(canonical_language("en-GB") == "en-GB");
  CHECK(canonical_language(" EN ") == "en");
  CHECK(canonical_language("").empty());
  // The sources file's lang line goes through the same function.
  auto sources = parse_sources("[A]\nurl = https://a.example/\nlang = zh_tw\n", "feeds.conf");
  REQUIRE(sources.size() == 1);
  CHECK(sources[0].lang == "zh-Hant");
}

TEST_CASE("the shipped example sources file parses", "[fetch][sources]") {
  std::ifstream in(std::string(XINWEN_SOURCE_DIR) + "/scripts/sources.example", std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<FeedSource> s = parse_sources(text.str(), "sources.example");
  CHECK(s.size() >= 4);
}

TEST_CASE("a source's time zone is an IANA name", "[fetch][sources][dates]") {
  std::vector<FeedSource> s = parse_sources(
      "[Xinhua]\nurl = https://xh.example/feed\ntimezone = Asia/Shanghai\n[Wire]\nurl = https://w.example/feed\n",
      "sources");
  REQUIRE(s.size() == 2);
  CHECK(s[0].timezone == "Asia/Shanghai");
  CHECK(s[1].timezone.empty());
  CHECK_THROWS_WITH(parse_sources("[X]\nurl = https://x.example/feed\ntimezone = Beijing\n", "sources"),
                    Catch::Contains("sources:3") && Catch::Contains("IANA"));
}
