// extract_page and html_to_text: metadata from the usual places, the main
// text without page furniture, and a real scraped page (from ../shared,
// skipped when absent) whose article is followed by a disclaimer and a list
// of unrelated headlines.
#include <xinwen/fetch/charset.h>
#include <xinwen/fetch/html_extract.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <vector>

#include "fetch/fixture_server.h"

using namespace xinwen;
using test::fixture;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

struct Seed {
  std::string title;
  std::vector<std::string> article;  // lines of the article after the title
  std::string disclaimer;
  std::vector<std::vector<std::string>> teasers;  // each: headline, then the rest
};

// The scraped text, cut where its own structure says: the title, the article,
// the disclaimer line, then teasers separated by "placeholder" lines.
Seed read_seed(const std::string& text) {
  Seed s;
  std::istringstream in(text);
  std::string line;
  int part = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (s.title.empty()) {
      s.title = line;
    } else if (part == 0 && line.rfind("免責聲明", 0) == 0) {
      s.disclaimer = line;
      part = 1;
    } else if (part == 0) {
      s.article.push_back(line);
    } else if (line == "placeholder") {
      s.teasers.emplace_back();
    } else if (!s.teasers.empty()) {
      s.teasers.back().push_back(line);
    }
  }
  return s;
}

const char* kSiteHead =
    "<!DOCTYPE html><html lang=\"zh-Hant\"><head><meta charset=\"utf-8\"><title>%TITLE% - 財經網</title>"
    "<meta property=\"og:site_name\" content=\"財經網\"></head><body>"
    "<div class=\"top-bar\"><a href=\"/\">首頁</a> <a href=\"/news\">新聞</a> <a href=\"/markets\">行情</a> "
    "<a href=\"/academy\">學院</a></div>";

std::string head_for(const Seed& s) {
  std::string h = kSiteHead;
  h.replace(h.find("%TITLE%"), 7, escape(s.title));
  return h;
}

// As a site would mark it up: article, disclaimer box and headline list in
// their own elements.
std::string structured_page(const Seed& s) {
  std::string html =
      head_for(s) + "<div class=\"article-wrap\"><h1>" + escape(s.title) + "</h1><div class=\"article-content\">";
  for (const std::string& l : s.article) html += "<p>" + escape(l) + "</p>\n";
  html += "</div><div class=\"disclaimer\">" + escape(s.disclaimer) + "</div></div><div class=\"news-list\">";
  int k = 0;
  for (const auto& t : s.teasers) {
    if (t.empty()) continue;
    html += "<div class=\"item\"><a href=\"/news/" + std::to_string(++k) + "\"><img alt=\"placeholder\"><h3>" +
            escape(t[0]) + "</h3></a>";
    for (std::size_t i = 1; i < t.size(); ++i) html += "<p>" + escape(t[i]) + "</p>";
    html += "</div>\n";
  }
  return html + "</div></body></html>";
}

// The hard case: every line a <p> of one container, as the scraper saw it;
// only the headlines are links.
std::string flat_page(const Seed& s) {
  std::string html = head_for(s) + "<div class=\"main\"><h1>" + escape(s.title) + "</h1>";
  for (const std::string& l : s.article) html += "<p>" + escape(l) + "</p>\n";
  html += "<p>" + escape(s.disclaimer) + "</p>\n";
  int k = 0;
  for (const auto& t : s.teasers) {
    if (t.empty()) continue;
    html +=
        "<p><img alt=\"placeholder\"></p><p><a href=\"/news/" + std::to_string(++k) + "\">" + escape(t[0]) + "</a></p>";
    for (std::size_t i = 1; i < t.size(); ++i) html += "<p>" + escape(t[i]) + "</p>\n";
  }
  return html + "</div></body></html>";
}

// Older sites: one container, lines separated by <br>, headlines as links.
std::string br_page(const Seed& s) {
  std::string html = head_for(s) + "<div id=\"news_text\"><h1>" + escape(s.title) + "</h1>";
  for (const std::string& l : s.article) html += escape(l) + "<br><br>\n";
  html += escape(s.disclaimer) + "<br><br>\n";
  int k = 0;
  for (const auto& t : s.teasers) {
    if (t.empty()) continue;
    html += "<a href=\"/news/" + std::to_string(++k) + "\">" + escape(t[0]) + "</a><br>";
    for (std::size_t i = 1; i < t.size(); ++i) html += escape(t[i]) + "<br>\n";
  }
  return html + "</div></body></html>";
}

void check_seed_body(const Seed& s, const PageInfo& p) {
  INFO(p.body);
  CHECK(p.title == s.title);
  // The article, first to last paragraph.
  CHECK(contains(p.body, "AI startups in China are chipping away at America"));
  CHECK(contains(p.body, "Global lenders such as HSBC and Standard Chartered"));
  CHECK(contains(p.body, "Whoever gets there first will be difficult to supplant."));
  CHECK(contains(p.body, "global transparency and shared standards may be the real casualties"));
  // Not the disclaimer, nor the headlines and leads after it, nor furniture.
  CHECK_FALSE(contains(p.body, "免責聲明"));
  CHECK_FALSE(contains(p.body, "過去的表現"));
  CHECK_FALSE(contains(p.body, "Meta股價"));
  CHECK_FALSE(contains(p.body, "TradingKey"));
  CHECK_FALSE(contains(p.body, "黃金"));
  CHECK_FALSE(contains(p.body, "特斯拉"));
  CHECK_FALSE(contains(p.body, "placeholder"));
  CHECK_FALSE(contains(p.body, "goTop"));
  CHECK_FALSE(contains(p.body, "首頁"));
}

}  // namespace

TEST_CASE("a news page: metadata from og, article:, link rel and meta", "[fetch][html]") {
  PageInfo p = extract_page(fixture("article-en.html"), "http://fixtures.test/static/article-en.html");
  CHECK(p.title == "Rail freight from Chongqing to Europe doubles");            // og:title first
  CHECK(p.published == "2025-06-04T23:45:00Z");                                 // article:published_time, to UTC
  CHECK(p.canonical_url == "http://fixtures.test/world/rail-freight-doubles");  // rel=canonical, resolved
  CHECK(p.site_name == "Meridian Post");
  CHECK(p.author == "Hana Zhou");
  CHECK(p.lang == "en-GB");
  CHECK(p.description == "Cargo trains now run daily.");
  CHECK(p.tags == std::vector<std::string>{"rail"});
}

TEST_CASE("a news page: the main text without furniture", "[fetch][html]") {
  PageInfo p = extract_page(fixture("article-en.html"), "http://fixtures.test/a");
  INFO(p.body);
  CHECK(p.body.rfind("The number of freight trains leaving Chongqing", 0) == 0);
  CHECK(contains(p.body, "Trains now leave every day for Duisburg, Łódź and Budapest"));
  CHECK(contains(p.body, "“Reliability matters more than price"));
  CHECK(contains(p.body, "later in the year."));
  CHECK(contains(p.body, "sea routes.\n\nTrains now leave"));  // paragraphs stay paragraphs
  for (const char* furniture : {"World", "Business", "Home", "Share on", "Shipping rates climb", "Disclaimer", "First!",
                                "Most read", "Markets close", "All rights reserved", "analytics", "font-family",
                                "Photo: agency", "By Hana Zhou", "Rail freight from Chongqing to Europe doubles"})
    CHECK_FALSE(contains(p.body, furniture));
}

TEST_CASE("metadata fallbacks: JSON-LD, <time>, <title> and <meta name>", "[fetch][html]") {
  const std::string ld =
      "<html><head><title>Ignored when JSON-LD has a headline</title>"
      "<script type=\"application/ld+json\">[{\"@type\":\"WebSite\",\"name\":\"x\"},"
      "{\"@graph\":[{\"@type\":[\"NewsArticle\"],\"headline\":\"Graph headline\",\"datePublished\":"
      "\"2025-03-04T05:06:07+01:00\",\"author\":[{\"@type\":\"Person\",\"name\":\"A. Writer\"},\"B. Writer\"],"
      "\"publisher\":{\"name\":\"LD News\"},\"mainEntityOfPage\":{\"@id\":\"https://ld.example/story\"},"
      "\"inLanguage\":\"zh-TW\"}]}]</script></head><body><p>Short.</p></body></html>";
  PageInfo a = extract_page(ld, "https://ld.example/story?utm=x");
  CHECK(a.title == "Graph headline");
  CHECK(a.published == "2025-03-04T04:06:07Z");
  CHECK(a.author == "A. Writer, B. Writer");
  CHECK(a.site_name == "LD News");
  CHECK(a.canonical_url == "https://ld.example/story");
  CHECK(a.lang == "zh-TW");

  const std::string plain =
      "<html><head><title>Plain headline | Plain Site</title><meta property=\"og:site_name\" content=\"Plain Site\">"
      "</head><body><article><time pubdate datetime=\"2025-02-03\">3 Feb</time><p>Body text that is long enough "
      "to be a paragraph of the article, with a comma, and another.</p></article></body></html>";
  PageInfo b = extract_page(plain, "https://plain.example/x");
  CHECK(b.title == "Plain headline");  // the site's name is taken off
  CHECK(b.published == "2025-02-03T00:00:00Z");
  CHECK(b.canonical_url.empty());

  PageInfo c = extract_page(fixture("article-zhs.html").replace(0, 0, ""), "https://zh.example/a");
  CHECK(c.title == "新能源汽车出口持续增长");    // <h1> before <title>
  CHECK(c.published == "2025-06-06T10:20:00Z");  // <meta name=publishdate>
}

TEST_CASE("a Chinese page: 　 indents, related links and the editor line go", "[fetch][html]") {
  std::string html = fixture("article-zhs.html");
  html.replace(html.find("{{META}}"), 8, "<meta charset=\"utf-8\">");
  PageInfo p = extract_page(html, "https://zh.example/a");
  INFO(p.body);
  CHECK(p.body.rfind("海关总署最新数据显示", 0) == 0);
  CHECK(contains(p.body, "增速可能有所放缓。"));
  for (const char* furniture : {"首页", "相关新闻", "动力电池", "责任编辑", "版权所有", "来源：经济日报", "　"})
    CHECK_FALSE(contains(p.body, furniture));
}

TEST_CASE("JSON-LD articleBody stands in for a page that renders its text by script", "[fetch][html]") {
  const std::string html =
      "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H\","
      "\"articleBody\":\"First sentence of the real article, which the page draws with JavaScript. Second "
      "sentence, also only here.\"}</script></head><body><div id=\"app\">Loading…</div></body></html>";
  PageInfo p = extract_page(html, "https://spa.example/");
  CHECK(p.body ==
        "First sentence of the real article, which the page draws with JavaScript. Second sentence, "
        "also only here.");
}

TEST_CASE("bad HTML does not throw", "[fetch][html]") {
  CHECK(extract_page("", "https://x.example/").body.empty());
  CHECK_NOTHROW(extract_page("<html><body><p>unclosed <b>bold <i>both</p></div></span>", "https://x.example/"));
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "deep text, deep text, deep text, deep text";
  CHECK_NOTHROW(extract_page(deep, "https://x.example/"));
}

TEST_CASE("html_to_text for feed content", "[fetch][html]") {
  CHECK(html_to_text("<p>One</p><p>Two <b>bold</b></p>") == "One\n\nTwo bold");
  CHECK(html_to_text("line<br>next") == "line\n\nnext");
  CHECK(html_to_text("Plain &amp; simple") == "Plain & simple");
  CHECK(html_to_text("no markup at all") == "no markup at all");
  CHECK(html_to_text("<p>中文\n换行</p>") == "中文换行");  // a source line break between Han is no space
  CHECK(html_to_text("<p>English\nwrapped</p>") == "English wrapped");
  CHECK(html_to_text("<script>x()</script><style>p{}</style><p>kept</p>") == "kept");
  CHECK(html_to_text("<p>Story.</p><p>免责声明：本文不构成投资建议。</p><p>广告</p>") == "Story.");
  CHECK(html_to_text("<p>Story.</p><p>Related: <a href=x>another</a></p>") == "Story.");
  CHECK(html_to_text("<p>Recommended reading habits help students, a study of 400 schools found.</p>")
            .rfind("Recommended", 0) == 0);  // an ordinary sentence, not a heading
}

TEST_CASE("the scraped seed page: article kept, disclaimer and headlines dropped", "[fetch][html][seed]") {
  const std::string path = std::string(XINWEN_SHARED_DIR) + "/data/seed/scraped-article.txt";
  const std::string text = test::slurp(path);
  if (text.empty()) test::skip_test(path + " is absent (the shared data folder is not mounted)");
  const Seed s = read_seed(text);
  REQUIRE(s.article.size() > 10);
  REQUIRE_FALSE(s.disclaimer.empty());
  REQUIRE(s.teasers.size() >= 3);
  SECTION("marked up as a site would") {
    check_seed_body(s, extract_page(structured_page(s), "https://fin.example/a"));
  }
  SECTION("every line a paragraph of one container") {
    check_seed_body(s, extract_page(flat_page(s), "https://fin.example/a"));
  }
  SECTION("lines separated by <br> in one container") {
    check_seed_body(s, extract_page(br_page(s), "https://fin.example/a"));
  }
}

namespace {

// Prose for the extraction fixtures: sentences with commas, as articles have.
std::string story(const std::string& tag, int n) {
  std::string out;
  for (int i = 1; i <= n; ++i)
    out += "<p>" + tag + " paragraph " + std::to_string(i) +
           ", in which the port authority said on Monday that volumes rose, while costs fell, and ships waited "
           "less than a day.</p>";
  return out;
}

// A list of long links: much text on the page that is not prose, so that an
// element holding the story holds less than half of the page's text.
std::string link_list(int n) {
  std::string out = "<ul class=\"links\">";
  for (int i = 0; i < n; ++i)
    out += "<li><a href=\"/l" + std::to_string(i) +
           "\">A headline of another story that links elsewhere on the site, number " + std::to_string(i) + "</a></li>";
  return out + "</ul>";
}

std::string page(const std::string& inner) {
  return "<html><head><title>T</title></head><body><nav><a href=\"/\">Home</a></nav>" + inner + link_list(30) +
         "</body></html>";
}

}  // namespace

TEST_CASE("a wrapper whose class only contains a furniture word keeps its article", "[fetch][html][extract]") {
  for (const char* cls : {"content-with-sidebar-wrp", "box article modal-enabled", "pg-side-of-rail",
                          "entry-content-read-more", "pagination-first"}) {
    INFO(cls);
    PageInfo p = extract_page(page(std::string("<div class=\"") + cls + "\">" + story("Story", 4) +
                                   "</div><div class=\"sidebar\"><p>Sidebar words that are no article at all, "
                                   "really, none of them.</p></div>"),
                              "https://x.example/a");
    INFO(p.body);
    CHECK(contains(p.body, "Story paragraph 1,"));
    CHECK(contains(p.body, "Story paragraph 4,"));
    CHECK_FALSE(contains(p.body, "Sidebar words"));
  }
}

TEST_CASE("an ancestor of the article is never removed for its class", "[fetch][html][extract]") {
  // Blogger's "widget Blog" names the post's wrapper with a furniture word.
  PageInfo p = extract_page(
      page("<div class=\"widget Blog\"><div class=\"post-outer\"><div class=\"post-body\">" + story("Blog", 3) +
           "</div></div></div><div class=\"widget Label\"><a href=\"/x\">news</a></div>"),
      "https://x.example/a");
  CHECK(contains(p.body, "Blog paragraph 1,"));
  CHECK(contains(p.body, "Blog paragraph 3,"));
}

TEST_CASE("CMS bookkeeping classes (tag-*, category-*, post-*) are not furniture", "[fetch][html][extract]") {
  PageInfo p = extract_page(
      page("<article class=\"post-77 post type-post status-publish tag-share tag-sidebar category-more hentry\">"
           "<h1>Headline</h1><div class=\"entry\">" +
           story("WordPress", 3) + "</div></article><div class=\"share\"><a href=\"/s\">Share this</a></div>"),
      "https://x.example/a");
  CHECK(contains(p.body, "WordPress paragraph 1,"));
  CHECK(contains(p.body, "WordPress paragraph 3,"));
  CHECK_FALSE(contains(p.body, "Share this"));
}

TEST_CASE("a container named content around the headline does not outrank the story", "[fetch][html][extract]") {
  PageInfo p = extract_page(
      page("<div class=\"content-wrapper title\"><h1>A headline that is long enough to score as text</h1>"
           "<div class=\"byline\">By A. Reporter - 11/18/19 11:04 PM EST</div></div>"
           "<div class=\"content-wrapper\"><div id=\"content\"><div class=\"field\"><div class=\"field-item\">"
           "<p>The lead, with <a href=\"/p\">a person's name, linked to a card of their stories: one headline, "
           "another headline, a third one</a> in it, and the rest of the sentence after it.</p>" +
           story("Field", 2) + "</div></div></div></div>"),
      "https://x.example/a");
  INFO(p.body);
  CHECK(contains(p.body, "Field paragraph 2,"));
  CHECK_FALSE(contains(p.body, "By A. Reporter"));
}

TEST_CASE("a story split over sibling blocks of one class is joined", "[fetch][html][extract]") {
  PageInfo p = extract_page(
      page("<section name=\"articleBody\"><div class=\"StoryBodyCompanionColumn\"><div>" + story("First", 3) +
           "</div></div><div class=\"ad\"><a href=\"/ad\">Advertisement</a></div>"
           "<div class=\"StoryBodyCompanionColumn\"><div>" +
           story("Second", 2) + "</div></div><div class=\"StoryBodyCompanionColumn\"><div>" + story("Third", 1) +
           "</div></div></section>"),
      "https://x.example/a");
  INFO(p.body);
  CHECK(contains(p.body, "First paragraph 1,"));
  CHECK(contains(p.body, "Second paragraph 2,"));
  CHECK(contains(p.body, "Third paragraph 1,"));
  CHECK(p.body.find("First paragraph 3,") < p.body.find("Second paragraph 1,"));  // in document order
  CHECK_FALSE(contains(p.body, "Advertisement"));
}

TEST_CASE("a photo credit drops alone; a copyright notice ends the article", "[fetch][html][extract]") {
  PageInfo p = extract_page(
      page("<article>" + story("Before", 1) +
           "<p>© Jane Doe Nurses give flu shots at a clinic in the city, on May 13, 2019.</p>" + story("After", 2) +
           "<p>攝影：陳大文</p><p>Photo: Agency</p>" + story("Last", 1) +
           "<p>© 2025 Example News. All rights reserved.</p><p>Another story's headline, with its lead, which "
           "follows the notice on the page.</p></article>"),
      "https://x.example/a");
  INFO(p.body);
  CHECK(contains(p.body, "Before paragraph 1,"));
  CHECK(contains(p.body, "After paragraph 2,"));
  CHECK(contains(p.body, "Last paragraph 1,"));
  for (const char* gone : {"Jane Doe", "攝影", "Photo: Agency", "Example News", "Another story"})
    CHECK_FALSE(contains(p.body, gone));
}

TEST_CASE("Chinese news pages in GBK, GB2312, Big5 and UTF-8: the expected body, exactly", "[fetch][html][zh]") {
  // Each NAME.html declares its charset with <meta>; NAME.txt is the body a
  // reader would call the article (UTF-8). The pages carry the furniture of
  // Chinese news sites: 相关阅读 and 热门 lists, 免责声明 boxes, 责任编辑 and
  // 攝影 credits, image sources, CMS classes, split and <br> paragraphs.
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(test::fixtures_dir()) / "zh-pages";
  std::vector<fs::path> pages;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".html") pages.push_back(e.path());
  std::sort(pages.begin(), pages.end());
  REQUIRE(pages.size() >= 10);
  int legacy = 0;
  for (const fs::path& html : pages) {
    INFO(html.filename().string());
    const DecodedText d = decode_to_utf8(test::slurp(html.string()), "", MarkupKind::kHtml);
    if (d.charset != "UTF-8") {
      ++legacy;
      CHECK(d.from == "document");  // the <meta> declaration was read, not guessed
    }
    std::string expected = test::slurp(fs::path(html).replace_extension(".txt").string());
    while (!expected.empty() && expected.back() == '\n') expected.pop_back();
    REQUIRE_FALSE(expected.empty());
    const PageInfo p = extract_page(d.text, "https://zh.example/" + html.filename().string());
    CHECK(p.body == expected);
  }
  CHECK(legacy >= 8);
}
