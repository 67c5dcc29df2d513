// resolve_url and the scheme check that keeps the fetcher on the web.
#include <xinwen/fetch/url.h>

#include <catch2/catch.hpp>

using namespace xinwen;

TEST_CASE("relative links resolve against the document", "[fetch][url]") {
  CHECK(resolve_url("http://a.example/news/feed.xml", "item/1.html") == "http://a.example/news/item/1.html");
  CHECK(resolve_url("http://a.example/news/feed.xml", "/top") == "http://a.example/top");
  CHECK(resolve_url("https://a.example/x/", "//b.example/y") == "https://b.example/y");
  CHECK(resolve_url("https://a.example/x/", "  https://c.example/z  \n") == "https://c.example/z");
  CHECK(resolve_url("https://a.example/x/", "../up") == "https://a.example/up");
  CHECK(resolve_url("", "https://c.example/z") == "https://c.example/z");
  CHECK(resolve_url("", "relative/only").empty());
  CHECK(resolve_url("https://a.example/", "").empty());
}

TEST_CASE("only absolute http and https URLs count as web URLs", "[fetch][url]") {
  CHECK(is_web_url("http://a.example/"));
  CHECK(is_web_url("HTTPS://A.example/x?y=1"));
  CHECK_FALSE(is_web_url("file:///etc/passwd"));
  CHECK_FALSE(is_web_url("ftp://a.example/x"));
  CHECK_FALSE(is_web_url("javascript:alert(1)"));
  CHECK_FALSE(is_web_url("gopher://a.example/"));
  CHECK_FALSE(is_web_url("/relative"));
  CHECK_FALSE(is_web_url(""));
  CHECK(url_scheme(resolve_url("http://a.example/", "file:///etc/passwd")) == "file");
  CHECK(url_host("https://News.Example:8443/a") == "news.example");
}

TEST_CASE("links with a scheme but no // are returned as written, not lost", "[fetch][url]") {
  CHECK(resolve_url("http://a.example/feed", "javascript:alert(1)") == "javascript:alert(1)");
  CHECK(resolve_url("http://a.example/feed", " data:text/html,<b>x</b> ") == "data:text/html,<b>x</b>");
  CHECK(resolve_url("http://a.example/feed", "mailto:desk@a.example") == "mailto:desk@a.example");
  CHECK_FALSE(is_web_url(resolve_url("http://a.example/feed", "javascript:alert(1)")));
  // Relative references that merely contain a colon still resolve.
  CHECK(resolve_url("http://a.example/news/feed", "item:1") == "item:1");
  CHECK(resolve_url("http://a.example/news/feed", "./item:1") == "http://a.example/news/item:1");
}
