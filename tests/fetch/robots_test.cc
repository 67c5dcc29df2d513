// RobotsRules: groups, Allow and Disallow, "*" and "$", longest match.
#include <xinwen/fetch/robots.h>

#include <catch2/catch.hpp>

using xinwen::RobotsRules;

TEST_CASE("robots.txt: the crawler's own group, else everyone's", "[fetch][robots]") {
  const char* text =
      "User-agent: *\n"
      "Disallow: /private/\n"
      "\n"
      "User-agent: OtherBot\n"
      "Disallow: /\n"
      "\n"
      "User-agent: Xinwen-Fetch   # case does not matter\n"
      "Disallow: /news/drafts/\n"
      "Allow: /news/drafts/public\n"
      "Disallow: /*.pdf$\n"
      "Disallow: /search?*q=\n";
  RobotsRules mine = RobotsRules::parse(text, "xinwen-fetch/0.1 (+https://news.example.org/bot)");
  CHECK(mine.allowed("https://a.example/private/x.html"));  // only everyone's group says so
  CHECK_FALSE(mine.allowed("https://a.example/news/drafts/x"));
  CHECK(mine.allowed("https://a.example/news/drafts/public-note"));  // the longer Allow wins
  CHECK_FALSE(mine.allowed("https://a.example/files/report.pdf"));
  CHECK(mine.allowed("https://a.example/files/report.pdf?page=2"));  // "$" anchors at the end
  CHECK_FALSE(mine.allowed("https://a.example/search?lang=en&q=port"));
  CHECK(mine.allowed("https://a.example"));

  RobotsRules other = RobotsRules::parse(text, "curl/8.0");
  CHECK_FALSE(other.allowed("https://a.example/private/x.html"));
  CHECK(other.allowed("https://a.example/news/drafts/x"));
}

TEST_CASE("robots.txt: empty rules, ties and the unreachable case", "[fetch][robots]") {
  CHECK(RobotsRules().allowed("https://a.example/anything"));
  CHECK(RobotsRules::parse("User-agent: *\nDisallow:\n", "xinwen-fetch").allowed("https://a.example/x"));
  CHECK(RobotsRules::parse("User-agent: *\nDisallow: /a\nAllow: /a\n", "xinwen-fetch").allowed("https://a.example/a"));
  CHECK(RobotsRules::parse("garbage without colons\n\n", "xinwen-fetch").allowed("https://a.example/x"));
  CHECK_FALSE(RobotsRules::disallow_all().allowed("https://a.example/"));
}
