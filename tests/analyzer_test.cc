// Table-driven tests of the analyzer: folding, English rules, Han n-grams and
// bad input. Each row is text in, terms out.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include <xinwen/analyzer.h>
#include <xinwen/article.h>
#include <xinwen/fold.h>
#include <xinwen/schema.h>

using namespace xinwen;

namespace {

std::vector<std::string> terms_of(Analyzer& a, const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : a.tokenize(text)) out.push_back(t.term);
  return out;
}

std::set<std::string> doc_terms(const Xapian::Document& doc) {
  std::set<std::string> out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) out.insert(*it);
  return out;
}

Xapian::termcount positions_of(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return (it != doc.termlist_end() && *it == term) ? it.positionlist_count() : 0u;
}

bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

}  // namespace

TEST_CASE("words are folded and normalized", "[analyzer]") {
  Analyzer a;
  struct Row {
    std::string text;
    std::vector<std::string> terms;
  };
  const std::vector<Row> rows = {
      {"NVIDIA Chips", {"nvidia", "chips"}},
      {"ＡＩ ｃｈｉｐｓ", {"ai", "chips"}},  // full-width Latin: NFKC
      {"AI\xC2\xA0"
       "chips",
       {"ai", "chips"}},                                         // NBSP separates like a space
      {"DeepSeek\xE2\x80\x99s models", {"deepseek", "models"}},  // curly possessive
      {"DeepSeek's models", {"deepseek", "models"}},             // straight possessive
      {"the U.S. economy", {"the", "us", "economy"}},
      {"H20 and 18A at 747.9", {"h20", "and", "18a", "at", "747.9"}},
      {"股價", {"股价"}},                                                         // Traditional folded to Simplified
      {"don\xE2\x80\x99t", {"don't"}},                                            // curly apostrophe inside a word
      {"5月3日 增长2亿", {"5月", "5", "3日", "3", "增长", "2亿", "2"}},           // number + unit is a word, number too
      {"<UNIA.TO> open_ai", {"unia.to", "unia", "to", "open_ai", "open", "ai"}},  // dotted words and their parts
      {"", {}},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(terms_of(a, row.text) == row.terms);
  }
}

TEST_CASE("Traditional and Simplified fold to one term", "[analyzer]") {
  CHECK(fold_term("輝達") == fold_term("辉达"));
  CHECK(fold_term("股價") == "股价");
  CHECK(fold_term("銀行") == "银行");
  CHECK(fold_han(U'輝') == U'辉');
  CHECK(fold_han(U'a') == U'a');
}

TEST_CASE("segmentation runs on the original script", "[analyzer]") {
  Analyzer a;
  // Segments keep the text as written (nothing folded) and drop white space.
  std::vector<std::string_view> segs = a.segment("輝達 股價，創新高");
  std::string joined;
  for (auto s : segs) joined += std::string(s) + "|";
  CHECK(joined.find("輝") != std::string::npos);
  CHECK(joined.find("，|") != std::string::npos);  // punctuation is a segment
  CHECK(joined.find(' ') == std::string::npos);
  // A doubled dash is one mark; a number with its month is one word.
  std::vector<std::string_view> marks = a.segment("他说——5月");
  CHECK(std::find(marks.begin(), marks.end(), "——") != marks.end());
  CHECK(std::find(marks.begin(), marks.end(), "5月") != marks.end());
}

TEST_CASE("Han runs come from characters, not from word boundaries", "[analyzer]") {
  // "2000年前": ICU's word is "2000年"... the run 年前 still yields its bigram.
  std::vector<HanRun> runs = Analyzer::han_runs("在2000年前后");
  REQUIRE(runs.size() == 2);
  CHECK(runs[1].chars == U"年前后");
}

TEST_CASE("Han runs yield bigrams across word boundaries", "[analyzer]") {
  CHECK(han_ngrams(U"辉达创") == std::vector<std::string>{"辉达", "达创", "创"});
  CHECK(han_ngrams(U"辉") == std::vector<std::string>{"辉"});
  CHECK(han_query_ngrams(U"辉达创") == std::vector<std::string>{"辉达", "达创"});
  CHECK(han_query_ngrams(U"辉") == std::vector<std::string>{"辉"});

  Analyzer a;
  const std::string text = "緊隨輝達創下新高";
  std::vector<Token> toks = a.tokenize(text);
  std::vector<HanRun> runs = Analyzer::han_runs(text);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].chars == U"紧随辉达创下新高");
  // Each character keeps its span in the original text.
  CHECK(text.substr(runs[0].begins[2], runs[0].ends[3] - runs[0].begins[2]) == "輝達");
}

TEST_CASE("documents get words, positions, stems and n-grams", "[analyzer]") {
  Analyzer a;
  Article art;
  art.id = "x";
  art.title = "Banks adopt 輝達 chips";
  art.body = "The U.S. banks' DeepSeek\xE2\x80\x99s pilots.";
  Xapian::Document doc = make_document(art, a);
  std::set<std::string> t = doc_terms(doc);
  for (const char* want : {"banks", "Zbank", "Sbanks", "ZSbank", "us", "deepseek", "XC辉达", "XTC辉达", "XC达", "Qx"})
    CHECK(t.count(want) == 1);
  // Words have positions, n-grams and stems do not.
  CHECK(positions_of(doc, "banks") == 2);  // title and body
  CHECK(positions_of(doc, "XC辉达") == 0);
  CHECK(positions_of(doc, "Zbank") == 0);
}

TEST_CASE("Han words: long ones are terms, two-character ones weigh on their bigram", "[analyzer]") {
  Analyzer a;
  Xapian::Document doc;
  Xapian::termpos pos = 0;
  // ICU: 阿里巴巴 | 股價 | 的 | 升 (a four-, a two- and two one-character words).
  a.index_field(doc, *field_by_name("body"), "阿里巴巴股價的升", &pos);
  auto wdf = [&](const std::string& term) -> Xapian::termcount {
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(term);
    return (it != doc.termlist_end() && *it == term) ? it.get_wdf() : 0;
  };
  CHECK(wdf("阿里巴巴") == 1);  // a term of its own
  CHECK(positions_of(doc, "阿里巴巴") == 0);
  CHECK(wdf("股价") == 0);  // no term: its bigram stands for it
  CHECK(wdf("XC股价") == kWholeWordWdf);
  CHECK(wdf("XC巴股") == 1);  // across a word boundary
  CHECK(wdf("XC阿里") == 1);  // inside a longer word
  CHECK(wdf("的") == 0);      // one character: the n-grams find it
  CHECK(wdf("XC的升") == 1);
  CHECK(wdf("XC升") == 1);  // ends the run and starts no bigram
  Xapian::Document twice;
  pos = 0;
  a.index_field(twice, *field_by_name("body"), "股升。升股", &pos);
  // Each run's last character also starts a bigram in this text: the
  // bigrams find it, so it is not indexed alone.
  std::set<std::string> t = doc_terms(twice);
  CHECK(t == std::set<std::string>{"XC股升", "XC升股"});
  CHECK(han_word_role("股价") == HanWordRole::kBigram);
  CHECK(han_word_role("阿里巴巴") == HanWordRole::kTerm);
  CHECK(han_word_role("的") == HanWordRole::kNone);
  CHECK(han_word_role("5月") == HanWordRole::kTerm);
}

TEST_CASE("bad input never throws and every term is valid and short", "[analyzer]") {
  Analyzer a;
  const std::vector<std::string> inputs = {
      std::string("\xFF\xFE bad \xC3 utf8 \xE4\xB8"),
      [] {
        static const char kText[] =
            "nul\0inside\x01\x02"
            "control";
        return std::string(kText, sizeof kText - 1);  // the NUL inside counts, the last does not
      }(),
      std::string(10 << 20, 'a'),  // 10 MB, no break
      [] {
        std::string s;
        for (int i = 0; i < 200000; ++i) s += "中文";
        return s;
      }(),
      std::string(),
      std::string("\xF0\x9F\x98\x80\xF0\x9F\x98\x80 emoji"),
  };
  for (const std::string& text : inputs) {
    Xapian::Document doc;
    Xapian::termpos pos = 0;
    REQUIRE_NOTHROW(a.index_field(doc, *field_by_name("body"), text, &pos));
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
      CHECK((*it).size() <= kMaxTermBytes);
      CHECK(valid_utf8(*it));
    }
  }
  CHECK(terms_of(a, std::string("nul\0inside", 10)) == std::vector<std::string>{"nul", "inside"});
  CHECK(terms_of(a, std::string(10 << 20, 'a')).empty());
}

TEST_CASE("oversized fields are cut at a character boundary", "[analyzer]") {
  AnalyzerOptions options;
  options.max_field_bytes = 10;
  Analyzer a(options);
  Xapian::Document doc;
  Xapian::termpos pos = 0;
  CHECK_FALSE(a.index_field(doc, *field_by_name("body"), "中文中文中文", &pos));  // 18 bytes
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) CHECK(valid_utf8(*it));
}

TEST_CASE("token offsets are bytes of the text, past astral characters and bad bytes", "[analyzer]") {
  Analyzer a;
  // U+20000 (four bytes, two UTF-16 units), a bad byte, then words.
  const std::string text = "\xF0\xA0\x80\x80 ab \xFF cd \xE4\xB8\xAD\xE6\x96\x87 ef";
  std::vector<Token> toks = a.tokenize(text);
  std::vector<std::string> seen;
  for (const Token& t : toks) seen.push_back(text.substr(t.begin, t.end - t.begin));
  for (const char* want : {"ab", "cd", "ef"})
    CHECK(std::find(seen.begin(), seen.end(), std::string(want)) != seen.end());
  for (const Token& t : toks)
    if (t.term == "cd") CHECK(t.begin == text.find("cd"));
}

TEST_CASE("a word's stem and a Han word count every occurrence", "[analyzer]") {
  Analyzer a;
  const Field& body = *field_by_name("body");
  const Xapian::termcount w = body.weight ? body.weight : 1;
  Xapian::Document doc;
  Xapian::termpos pos = 0;
  a.index_field(doc, body, "banks bank banks 奥林匹克 和 奥林匹克", &pos);
  auto wdf_of = [&](const std::string& term) -> Xapian::termcount {
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(term);
    return (it != doc.termlist_end() && *it == term) ? it.get_wdf() : 0u;
  };
  CHECK(wdf_of("Zbank") == 3 * w);
  CHECK(wdf_of("banks") == 2 * w);
  CHECK(wdf_of("奥林匹克") == 2 * w);
}
