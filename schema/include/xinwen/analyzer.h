// The analyzer: one pipeline that turns text into terms for documents and for
// queries. ICU's dictionary word break runs on the original text; each word is
// then folded (NFKC + case fold, Traditional to Simplified), English words
// lose their possessive "'s" and acronym dots, and runs of Han characters also
// yield character bigrams (plus each run's last character alone) so that
// Chinese recall does not depend on how the query and the document were
// segmented. Han words are indexed without positions, and only those of three
// or more characters as terms of their own; other words with positions.
//
// An Analyzer owns an ICU break iterator: it is not thread-safe; use one per
// thread. It never throws on bad text: invalid UTF-8 reads as U+FFFD, control
// characters separate words, and every term stays under kMaxTermBytes.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xinwen/schema.h>

namespace xinwen {

enum class TokenKind {
  kWord,    // letters (possibly with digits): english words, tickers like h20
  kNumber,  // numbers: 747.9, 2025
  kHan,     // a run of Han ideographs as ICU segmented it
  kOther,   // kana and other scripts: indexed as words, never stemmed
};

const char* token_kind_name(TokenKind kind);

struct Token {
  std::string term;       // folded
  std::size_t begin = 0;  // byte offsets of the word in the original text
  std::size_t end = 0;
  Xapian::termpos position = 0;  // 1-based, counting indexed words
  TokenKind kind = TokenKind::kWord;
};

// A maximal run of adjacent Han characters, folded one by one, with the byte
// span of each character in the original text. Runs come from the characters
// themselves, not from word boundaries, so n-grams never depend on ICU.
struct HanRun {
  std::u32string chars;
  std::vector<std::size_t> begins, ends;
};

struct AnalyzerOptions {
  // Text beyond this many bytes of one field is not analyzed (cut at a
  // character boundary). Protects memory against pathological input.
  std::size_t max_field_bytes = 1 << 20;
  // Han n-grams are what make Chinese recall independent of segmentation.
  // Turning them off exists only to measure what they cost.
  bool han_ngrams = true;
};

class Analyzer {
 public:
  explicit Analyzer(AnalyzerOptions options = {});
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // The folded words of text, in order. Words too long to index are dropped
  // (they still take a position).
  std::vector<Token> tokenize(std::string_view text);

  // Raw ICU segmentation of the original text, before any folding: every
  // segment that is not white space, punctuation included. For evaluation.
  std::vector<std::string_view> segment(std::string_view text);

  // Adds the terms of one field's text to doc, positions continuing from
  // *position. Returns false if the text was cut at max_field_bytes.
  bool index_field(Xapian::Document& doc, const Field& field, std::string_view text, Xapian::termpos* position);

  // The Han runs of text.
  static std::vector<HanRun> han_runs(std::string_view text);

  // English stem of a folded word, or "" if the word is not stemmed.
  std::string stem(const std::string& term);

  const AnalyzerOptions& options() const { return options_; }

 private:
  struct Impl;
  AnalyzerOptions options_;
  std::unique_ptr<Impl> impl_;
};

// The n-grams of a Han run: each bigram, then the last character alone.
// Every character occurrence starts exactly one of them. (index_field drops
// a last character that starts a bigram elsewhere in the same text.)
template <typename Fn>
void for_each_han_ngram(std::u32string_view chars, Fn&& fn) {
  for (std::size_t i = 0; i < chars.size(); ++i) fn(chars.substr(i, i + 1 < chars.size() ? 2 : 1));
}
std::vector<std::string> han_ngrams(std::u32string_view chars);

// The n-grams a Han query string must all match: its bigrams, or the single
// character if it has one (which then matches as a prefix).
std::vector<std::string> han_query_ngrams(std::u32string_view chars);

// What a Han word (folded, as ICU segmented it) adds to a document beside
// the n-grams of its run:
//   kNone    one character: nothing; the n-grams that start with it find it;
//   kBigram  two characters: its bigram counts kWholeWordWdf times, not once,
//            so documents where it stands as a word rank above those where
//            the two characters only meet across a word boundary;
//   kTerm    three or more characters (or not purely Han): a term of its own,
//            without positions.
enum class HanWordRole { kNone, kBigram, kTerm };
HanWordRole han_word_role(std::string_view folded);

// How many times a bigram that is a whole word counts, against once for a
// bigram across a word boundary.
inline constexpr Xapian::termcount kWholeWordWdf = 3;

// Whether a folded term gets an english stem (ASCII with at least one letter).
bool is_stemmable(std::string_view term);

// Whether a folded word belongs in the spelling data that "did you mean"
// corrects against: ASCII letters only, 3 to 24 of them. Shorter words have
// too many neighbours one edit away; digits and Han text are never misspelt
// the way English words are.
bool is_spelling_word(std::string_view term);

}  // namespace xinwen
