// The query language: Xapian QueryParser's syntax, parsed by xinwen so that
// every piece of text goes through the same Analyzer as the documents.
//
//   words          deepseek banks 银行    (all words rank above some words)
//   "phrases"      "chip export rules"   (also “curly” quotes)
//   operators      AND OR NOT XOR ( )    (upper case, as QueryParser)
//   +must -mustnot +nvidia -intel
//   fields         title:輝達 title:"export rules" author:… source:Reuters
//                  lang:zh tag:semiconductors id:… url:…
//   wildcards      export*               (English prefixes, bounded expansion)
//   date ranges    2025-06-01..2025-07-01, 2025-06-01.., ..2025-07-01
//
// Han text becomes a character n-gram match (found wherever it stands, in
// either script) boosted by the query's own words (whole words rank higher).
// With a Lexicon, plain words are expanded across English and Chinese (see
// QueryBuilder::set_lexicon). Parsing is pure: a QueryBuilder holds an
// Analyzer and is not thread-safe; the Lexicon it reads may be shared.
#pragma once

#include <xapian.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xinwen/analyzer.h>
#include <xinwen/lexicon.h>

namespace xinwen {

struct QueryLimits {
  std::size_t max_bytes = 1024;                // longer queries are refused
  std::size_t max_depth = 16;                  // parenthesis nesting
  std::size_t max_items = 64;                  // words, phrases and filters
  Xapian::termcount max_wildcard = 100;        // terms one wildcard may expand to
  Xapian::termcount max_han_expansion = 2000;  // n-grams a one-character Han query may use
};

// What to highlight in snippets: the positive parts of the query.
struct Highlights {
  std::set<std::string> words;      // folded terms, matched exactly
  std::set<std::string> stems;      // english stems, matched by stem
  std::vector<std::u32string> han;  // folded Han strings, matched as substrings
};

// What one query word or name was expanded to.
enum class ExpansionKind { kEntity, kKind, kTranslation };

struct Expansion {
  std::string words;  // as typed ("Federal Reserve", 輝達)
  ExpansionKind kind = ExpansionKind::kEntity;
  std::vector<std::string> to;  // the other forms searched (names, kind words, translations)
};

const char* expansion_kind_name(ExpansionKind kind);  // "entity", "kind", "translation"

// One word (or name, phrase, field:word) of a list of words, with what it
// searches, expansions included: a result that lacks it says so ("missing").
struct QueryWord {
  std::string text;  // as typed
  Xapian::Query query;
};

struct ParsedQuery {
  Xapian::Query query;                     // what matches
  std::optional<Xapian::Query> all_words;  // the same, requiring every word; set
                                           // when the query is a list of >= 2 words
  std::vector<QueryWord> words;            // the words all_words requires, when set
  Highlights highlights;
  std::vector<Expansion> expansions;  // in query order; empty without a lexicon
};

// Whether a document whose terms that the query uses are `present` (as
// Enquire::get_matching_terms gives them) matches q. Phrases and NEAR count as
// all their words; wildcards and value ranges as matching.
bool matches_terms(const Xapian::Query& q, const std::set<std::string>& present);

// The first and last published times of a database's articles, as its value
// bounds give them ("" when unknown): ranges are clamped to them.
struct PublishedSpan {
  std::string first, last;  // "YYYY-MM-DDTHH:MM:SSZ"
};

// Y/M/D terms one closed date range may become before it falls back to a
// value range: a range of ten thousand years must not become ten thousand
// terms (and a query tree as deep).
inline constexpr std::size_t kMaxDateTerms = 200;

class QueryBuilder {
 public:
  explicit QueryBuilder(QueryLimits limits = {});

  // Throws UsageError with a one-line message on a syntax error or a query
  // over the limits.
  ParsedQuery parse(std::string_view text);

  // A date-range filter on the published time: YYYY-MM-DD (or YYYY-MM, YYYY),
  // either end may be empty. A closed range is the OR of the fewest Y/M/D
  // terms that cover it, clamped to span (the days a database's articles
  // were published in, when known); past kMaxDateTerms terms it is a value
  // range instead. Throws UsageError on a bad date.
  static Xapian::Query date_range(std::string_view from, std::string_view to, const PublishedSpan& span = {});

  // The span date ranges in queries are clamped to (see date_range).
  void set_published_span(PublishedSpan span) { span_ = std::move(span); }

  // Query-time expansion across English and Chinese. With a lexicon, each
  // run of plain words (no field, sign, wildcard or quotes) is matched
  // longest name first: an entity's name or ticker becomes an OP_SYNONYM of
  // all its names in every script and its tickers; a kind word ("banks",
  // 银行) keeps its own weight and adds, scaled by kKindWeight, its kind's
  // words and its entities' names; any other word the dictionary translates
  // adds its translations scaled by kTranslationWeight. Names marked '?' are
  // searched as typed but never expanded or added. A ticker that is typed in
  // lower case is a plain word ("now", "c"): tickers expand when typed in
  // upper case or as ticker:SYMBOL. null (the default) or set_expand(false):
  // the query is taken literally, except that ticker: still finds the names.
  void set_lexicon(std::shared_ptr<const Lexicon> lexicon) {
    lexicon_ = std::move(lexicon);
    forms_.clear();
  }
  void set_expand(bool expand) { expand_ = expand; }

  Analyzer& analyzer() { return analyzer_; }
  const QueryLimits& limits() const { return limits_; }

  // An expansion form (a name, kind word or translation) as it is searched,
  // with what it adds to the highlights: kept across queries, since a kind
  // word brings hundreds of names that each would need the analyzer again.
  struct Form {
    Xapian::Query query;
    Highlights highlights;
  };

 private:
  QueryLimits limits_;
  Analyzer analyzer_;
  PublishedSpan span_;
  std::shared_ptr<const Lexicon> lexicon_;
  bool expand_ = true;
  std::unordered_map<std::string, Form> forms_;  // by text; emptied when the lexicon changes or it grows large
};

// Boost given to a query's own words over its n-gram match, so that documents
// with the whole word rank above those where the characters merely stand side
// by side.
inline constexpr double kWholeWordBoost = 3.0;

// Weights of expansions relative to the words as typed (set_lexicon): below
// 1, so that an exact match ranks above a kind word's entities or a
// dictionary translation. Chosen on the judged queries (scripts/eval).
inline constexpr double kKindWeight = 0.4;
inline constexpr double kTranslationWeight = 0.4;

}  // namespace xinwen
