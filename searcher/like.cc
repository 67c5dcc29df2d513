#include <xinwen/like.h>

#include <algorithm>
#include <vector>

#include <xinwen/analyzer.h>
#include <xinwen/article.h>
#include <xinwen/ascii.h>
#include <xinwen/errors.h>
#include <xinwen/schema.h>

namespace xinwen {
namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Query syntax words, which are written in capitals and never corrected.
bool is_operator(std::string_view word) {
  return word == "AND" || word == "OR" || word == "NOT" || word == "NEAR" || word == "XOR";
}

// Terms of the default search space that say what an article is about:
// unprefixed words (which start with a lower-case letter, a digit or a
// non-ASCII byte) and the default space's Han n-grams. Filter terms (Q, U,
// L, K, XSRC, D, M, Y), field-prefixed copies and stems stay out, and so do
// bare numbers, which tie articles by their dates and prices, not their story.
class LikeTerms : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.empty()) return false;
    const auto c = static_cast<unsigned char>(term[0]);
    if ((c >= 'a' && c <= 'z') || c >= 0x80) return true;
    if (c >= '0' && c <= '9') return std::any_of(term.begin(), term.end(), [](char ch) { return is_ascii_letter(ch); });
    const std::string_view ngram(kDefaultNgramPrefix);
    return term.size() > ngram.size() && term.starts_with(ngram) &&
           static_cast<unsigned char>(term[ngram.size()]) >= 0x80;
  }
};

}  // namespace

std::string spelling_correction(const Xapian::Database& db, std::string_view query) {
  std::string out;
  bool changed = false;
  std::size_t i = 0;
  while (i < query.size()) {
    if (is_ascii_space(query[i])) {
      out += query[i++];
      continue;
    }
    std::size_t end = i;
    while (end < query.size() && !is_ascii_space(query[end])) ++end;
    const std::string_view token = query.substr(i, end - i);
    i = end;
    // The word inside leading + or - and surrounding quotes or brackets.
    std::size_t b = 0, e = token.size();
    while (b < e && (token[b] == '+' || token[b] == '-' || token[b] == '"' || token[b] == '(')) ++b;
    while (e > b && (token[e - 1] == '"' || token[e - 1] == ')')) --e;
    const std::string_view word = token.substr(b, e - b);
    std::string folded = lower_ascii(word);
    std::string fixed;
    if (!is_operator(word) && is_spelling_word(folded) && !db.term_exists(folded)) {
      fixed = db.get_spelling_suggestion(folded, folded.size() <= 4 ? 1 : 2);
    }
    if (fixed.empty() || fixed == folded) {
      out += token;
      continue;
    }
    changed = true;
    out += token.substr(0, b);
    out += fixed;
    out += token.substr(e);
  }
  return changed ? out : std::string();
}

Xapian::Query like_query(const Xapian::Database& db, std::string_view id, Xapian::termcount terms) {
  const std::string id_t = id_term(id);
  Xapian::PostingIterator p = db.postlist_begin(id_t);
  if (p == db.postlist_end(id_t)) throw UsageError("no article has the id " + std::string(id));
  Xapian::RSet rset;
  rset.add_document(*p);
  Xapian::Enquire enquire(db);
  const LikeTerms decider;
  // Exact term frequencies: without them Xapian estimates each term's
  // frequency from one shard, and a stub of shards picks other words than
  // one database holding the same articles.
  const Xapian::ESet eset = enquire.get_eset(terms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
  std::vector<Xapian::Query> parts;
  const double top = eset.empty() ? 1.0 : eset.begin().get_weight();
  for (auto it = eset.begin(); it != eset.end(); ++it) {
    if (top <= 0 || it.get_weight() <= 0) continue;
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it), it.get_weight() / top);
  }
  if (parts.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()),
                       Xapian::Query(id_t));
}

}  // namespace xinwen
