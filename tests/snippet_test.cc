// Snippets, one step at a time: the candidate matches, the window chosen
// around the best of them, and the marking of the words that really match,
// in English and Chinese, with windows that fall inside words and characters.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include <xinwen/analyzer.h>
#include <xinwen/query.h>
#include <xinwen/snippet.h>

using namespace xinwen;

namespace {

Highlights words(std::initializer_list<std::string> w) {
  Highlights hl;
  hl.words.insert(w.begin(), w.end());
  return hl;
}

Highlights han(std::initializer_list<std::u32string> h) {
  Highlights hl;
  hl.han.assign(h.begin(), h.end());
  return hl;
}

// "w000 w001 ...": n words of four letters, five bytes apart.
std::string numbered_words(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    char w[8];
    std::snprintf(w, sizeof w, "w%03zu ", i);
    out += w;
  }
  return out;
}

// A candidate at a byte range, as find_snippet_candidates makes them.
SnippetCandidate at(std::size_t begin, std::size_t end, const std::string& key) { return {begin, end, key, false}; }

// Parts as "text" or "[match]", joined.
std::string shape(const Snippet& s) {
  std::string out;
  for (const auto& [text, match] : s.parts) out += match ? "[" + text + "]" : text;
  return out;
}

}  // namespace

TEST_CASE("candidates: Han strings across scripts, ASCII words at word starts only", "[snippet]") {
  std::string zh = "晶片巨頭輝達周三盤中，辉达";
  auto c = find_snippet_candidates(zh, han({U"辉达"}));
  REQUIRE(c.size() == 2);
  CHECK(zh.substr(c[0].begin, c[0].end - c[0].begin) == "輝達");  // Traditional, found by its folded form
  CHECK(zh.substr(c[1].begin, c[1].end - c[1].begin) == "辉达");
  CHECK(c[0].exact);
  CHECK(c[0].key == "辉达");

  std::string en = "NVIDIA's chips, not snvidia; Nvidia again";
  c = find_snippet_candidates(en, words({"nvidia"}));
  REQUIRE(c.size() == 2);
  CHECK(c[0].begin == 0);
  CHECK(c[1].begin == en.find("Nvidia"));
  CHECK_FALSE(c[0].exact);

  CHECK(find_snippet_candidates(en, words({"intel"})).empty());
}

TEST_CASE("window: the start of the text when nothing matches, the whole of a short text", "[snippet]") {
  std::string text = numbered_words(100);  // 500 bytes
  SnippetWindow w = choose_snippet_window(text, {}, 50);
  CHECK(w.begin == 0);
  CHECK(w.end == 50);

  std::string short_text = "Nvidia sells chips";
  w = choose_snippet_window(short_text, {at(0, 6, "nvidia")}, 160);
  CHECK(w.begin == 0);
  CHECK(w.end == short_text.size());
}

TEST_CASE("window: a match in the middle starts a fifth of the window before it", "[snippet]") {
  std::string text = numbered_words(100);
  std::size_t match = text.find("w050");  // byte 250
  SnippetWindow w = choose_snippet_window(text, {at(match, match + 4, "w050")}, 50);
  CHECK(w.begin == match - 10);
  CHECK(w.end == match - 10 + 50);
}

TEST_CASE("window: a match at the start or the end keeps the window inside the text", "[snippet]") {
  std::string text = numbered_words(100);
  SnippetWindow w = choose_snippet_window(text, {at(5, 9, "w001")}, 50);
  CHECK(w.begin == 0);
  CHECK(w.end == 50);

  std::size_t last = text.find("w099");
  w = choose_snippet_window(text, {at(last, last + 4, "w099")}, 50);
  CHECK(w.end == text.size());
  CHECK(w.begin == text.size() - 50);
}

TEST_CASE("window: the place with the most distinct matches wins over repeats of one", "[snippet]") {
  std::string text = numbered_words(100);
  auto cand = [&](const char* word, const std::string& key) {
    std::size_t b = text.find(word);
    return at(b, b + 4, key);
  };
  // nvidia three times early on; nvidia and chips together later.
  std::vector<SnippetCandidate> cands = {cand("w010", "nvidia"), cand("w012", "nvidia"), cand("w014", "nvidia"),
                                         cand("w060", "nvidia"), cand("w062", "chips")};
  SnippetWindow w = choose_snippet_window(text, cands, 50);
  CHECK(w.begin == text.find("w060") - 10);
}

TEST_CASE("window: counts code points, not bytes, and ends on character boundaries", "[snippet]") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += i == 60 ? "輝達" : "中文";  // 200 characters, 3 bytes each
  auto c = find_snippet_candidates(text, han({U"辉达"}));
  REQUIRE(c.size() == 1);
  CHECK(c[0].begin == 120 * 3);
  SnippetWindow w = choose_snippet_window(text, c, 40);
  CHECK(w.begin == (120 - 8) * 3);
  CHECK(w.end == (120 - 8 + 40) * 3);
}

TEST_CASE("marking: English words and stems, at the start, the middle and the end", "[snippet]") {
  Analyzer analyzer;
  std::string text = "Nvidia sells chips to China as exports grow, says Nvidia";
  SnippetWindow all{0, text.size()};
  Highlights hl = words({"nvidia"});
  CHECK(shape(mark_snippet(analyzer, text, all, hl, find_snippet_candidates(text, hl))) ==
        "[Nvidia] sells chips to China as exports grow, says [Nvidia]");
  hl = words({"chips"});
  hl.stems.insert(analyzer.stem("export"));
  CHECK(shape(mark_snippet(analyzer, text, all, hl, find_snippet_candidates(text, hl))) ==
        "Nvidia sells [chips] to China as [exports] grow, says Nvidia");
}

TEST_CASE("marking: a word that only begins like a query word is not marked", "[snippet]") {
  Analyzer analyzer;
  std::string text = "the chipset ships";
  Highlights hl = words({"chip"});
  auto cands = find_snippet_candidates(text, hl);
  CHECK(cands.size() == 1);  // a cheap guess...
  Snippet s = mark_snippet(analyzer, text, {0, text.size()}, hl, cands);
  CHECK(shape(s) == "the chipset ships");  // ...that word breaking does not confirm
  REQUIRE(s.parts.size() == 1);
  CHECK_FALSE(s.parts[0].second);
}

TEST_CASE("marking: Chinese matches at the start, the middle and the end, overlaps merged", "[snippet]") {
  Analyzer analyzer;
  std::string text = "輝達周三盤中股價創新高輝達";
  Highlights hl = han({U"辉达"});
  CHECK(shape(mark_snippet(analyzer, text, {0, text.size()}, hl, find_snippet_candidates(text, hl))) ==
        "[輝達]周三盤中股價創新高[輝達]");
  hl = han({U"股价", U"价创"});
  CHECK(shape(mark_snippet(analyzer, text, {0, text.size()}, hl, find_snippet_candidates(text, hl))) ==
        "輝達周三盤中[股價創]新高輝達");
}

TEST_CASE("marking: no match gives the window as plain text", "[snippet]") {
  Analyzer analyzer;
  std::string text = "Nvidia sells\tchips\nto China";
  Snippet s = mark_snippet(analyzer, text, {0, text.size()}, words({"intel"}), {});
  REQUIRE(s.parts.size() == 1);
  CHECK(s.parts[0] == std::make_pair(std::string("Nvidia sells chips to China"), false));  // tabs, newlines: spaces
}

TEST_CASE("marking: a window cut inside words is widened to whole words, with ellipses", "[snippet]") {
  Analyzer analyzer;
  std::string text = "alpha beta gamma delta";
  // Bytes 8..13 are "ta ga": inside "beta" and "gamma".
  Snippet s = mark_snippet(analyzer, text, {8, 13}, words({"gamma"}), {});
  CHECK(shape(s) == "…beta [gamma]…");
  CHECK(s.plain() == "…beta gamma…");
  // The text goes on beyond what was looked at: an ellipsis even at its end.
  CHECK(shape(mark_snippet(analyzer, text, {0, text.size()}, {}, {}, true)) == "alpha beta gamma delta…");
}

TEST_CASE("marking: Chinese windows start and end on whole characters", "[snippet]") {
  Analyzer analyzer;
  std::string text;
  for (int i = 0; i < 50; ++i) text += i == 25 ? "輝達" : "中文";
  Highlights hl = han({U"辉达"});
  auto cands = find_snippet_candidates(text, hl);
  // A window given in the middle of a character starts at the next one.
  Snippet s = mark_snippet(analyzer, text, {40 * 3 + 1, 60 * 3 + 2}, hl, cands);
  REQUIRE(s.parts.size() == 4);
  CHECK(s.parts[0].first == "…" + text.substr(41 * 3, 9 * 3));  // characters 41-49, whole
  CHECK(s.parts[1] == std::make_pair(std::string("輝達"), true));
  CHECK(s.parts[2].first == text.substr(52 * 3, 9 * 3));  // characters 52-60, whole
  CHECK(s.parts[3].first == "…");
}

TEST_CASE("make_snippet: a long text shows the window around its best match", "[snippet]") {
  Analyzer analyzer;
  std::string text = numbered_words(100) + "Nvidia sells chips. " + numbered_words(100);
  Snippet s = make_snippet(analyzer, text, words({"nvidia", "chips"}), 40);
  // The window (40 code points from 8 before the match) widened to whole words.
  CHECK(s.html() == "…w098 w099 <mark>Nvidia</mark> sells <mark>chips</mark>. w000 w001 w002…");
}
