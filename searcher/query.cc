#include <xinwen/query.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/calendar.h>
#include <xinwen/errors.h>
#include <xinwen/fold.h>
#include <xinwen/schema.h>

namespace xinwen {
namespace {

// ticker:SYMBOL, the names of the entity listed under SYMBOL (not an index field).
constexpr std::string_view kTickerField = "ticker";

enum class Tok { kWord, kPhrase, kLParen, kRParen, kAnd, kOr, kNot, kXor, kEnd };

struct Lexeme {
  Tok type = Tok::kEnd;
  std::string text;   // word or phrase text (without field prefix or '*')
  std::string field;  // query field name, or ""
  char mod = 0;       // '+', '-' or 0
  bool wildcard = false;
  std::size_t column = 0;  // 1-based byte column, for messages
};

// Term prefixes of one search space.
struct Space {
  std::string words, ngrams, stems;
};

Space default_space() { return {"", std::string(kDefaultNgramPrefix), std::string(kStemPrefix)}; }

Space field_space(const Field& f) {
  return {std::string(f.prefix), std::string(f.ngram_prefix), std::string(kStemPrefix) + std::string(f.prefix)};
}

bool is_space_at(std::string_view s, std::size_t i, std::size_t* len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
    *len = 1;
    return true;
  }
  if (s.compare(i, 3, "\xE3\x80\x80") == 0) {  // U+3000 ideographic space
    *len = 3;
    return true;
  }
  return false;
}

bool is_open_quote(std::string_view s, std::size_t i, std::size_t* len) {
  if (s[i] == '"') {
    *len = 1;
    return true;
  }
  if (s.compare(i, 3, "\xE2\x80\x9C") == 0) {  // “
    *len = 3;
    return true;
  }
  return false;
}

bool is_close_quote(std::string_view s, std::size_t i, std::size_t* len) {
  if (s[i] == '"') {
    *len = 1;
    return true;
  }
  if (s.compare(i, 3, "\xE2\x80\x9D") == 0) {  // ”
    *len = 3;
    return true;
  }
  return false;
}

[[noreturn]] void syntax_error(std::size_t column, const std::string& what) {
  throw UsageError("query syntax error at column " + std::to_string(column) + ": " + what);
}

std::vector<Lexeme> lex(std::string_view s) {
  std::vector<Lexeme> out;
  std::size_t i = 0, len = 0;
  while (i < s.size()) {
    if (is_space_at(s, i, &len)) {
      i += len;
      continue;
    }
    Lexeme lx;
    lx.column = i + 1;
    if (s[i] == '(') {
      lx.type = Tok::kLParen;
      out.push_back(lx);
      ++i;
      continue;
    }
    if (s[i] == ')') {
      lx.type = Tok::kRParen;
      out.push_back(lx);
      ++i;
      continue;
    }
    if ((s[i] == '+' || s[i] == '-') && i + 1 < s.size() && !is_space_at(s, i + 1, &len) && s[i + 1] != ')') {
      lx.mod = s[i];
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      ++i;  // a lone sign means nothing
      continue;
    }
    // Word run up to white space, a parenthesis or an opening quote.
    std::size_t start = i;
    while (i < s.size() && !is_space_at(s, i, &len) && s[i] != '(' && s[i] != ')' && !is_open_quote(s, i, &len)) ++i;
    std::string_view run = s.substr(start, i - start);
    std::string field;
    if (auto colon = run.find(':'); colon != std::string_view::npos && colon > 0) {
      std::string name(run.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (field_by_query_name(name) || name == kTickerField) {
        field = name;
        run.remove_prefix(colon + 1);
      }
    }
    if (i < s.size() && is_open_quote(s, i, &len) && run.empty()) {
      // A phrase, possibly field:"...". Unterminated quotes run to the end.
      std::size_t q = i + len, end = q;
      std::size_t close_len = 0;
      while (end < s.size() && !is_close_quote(s, end, &close_len)) ++end;
      lx.type = Tok::kPhrase;
      lx.text = std::string(s.substr(q, end - q));
      lx.field = field;
      i = end < s.size() ? end + close_len : end;
      out.push_back(lx);
      continue;
    }
    if (run.empty()) {
      if (!field.empty()) syntax_error(lx.column, "\"" + field + ":\" needs a value");
      if (lx.mod) continue;
      continue;
    }
    if (field.empty() && !lx.mod) {
      if (run == "AND")
        lx.type = Tok::kAnd;
      else if (run == "OR")
        lx.type = Tok::kOr;
      else if (run == "NOT")
        lx.type = Tok::kNot;
      else if (run == "XOR")
        lx.type = Tok::kXor;
      if (lx.type != Tok::kEnd) {
        out.push_back(lx);
        continue;
      }
    }
    lx.type = Tok::kWord;
    if (run.size() > 1 && run.back() == '*') {
      lx.wildcard = true;
      run.remove_suffix(1);
    }
    lx.text = std::string(run);
    lx.field = field;
    out.push_back(lx);
  }
  Lexeme end;
  end.type = Tok::kEnd;
  end.column = s.size() + 1;
  out.push_back(end);
  return out;
}

// "YYYY-MM-DD", "YYYY-MM" or "YYYY" to the first or last second it covers.
std::string range_end(std::string_view d, bool upper) {
  std::string s(d);
  if (s.size() == 4) s += upper ? "-12" : "-01";
  if (s.size() == 7) {
    int year = 0, month = 0;  // left 0 where they are not digits
    std::from_chars(s.data(), s.data() + 4, year);
    std::from_chars(s.data() + 5, s.data() + 7, month);
    if (upper && month >= 1 && month <= 12)
      s += "-" + std::to_string(days_in_month(year, static_cast<unsigned>(month)));
    else
      s += "-01";  // a month out of range fails below
  }
  auto t = normalize_time(s);
  if (!t || s.size() != 10) throw UsageError("bad date \"" + std::string(d) + "\": expected YYYY-MM-DD");
  return s + (upper ? "T23:59:59Z" : "T00:00:00Z");
}

bool looks_like_date(std::string_view s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = (i == 4 || i == 7);
    if (dash ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9')) return false;
  }
  return true;
}

struct Group {
  std::vector<Xapian::Query> positive, must, must_not;
  std::vector<std::string> labels;                            // per positive: the words as typed ("" for a parenthesis)
  std::map<std::string, std::vector<Xapian::Query>> filters;  // grouped by prefix
  bool empty() const { return positive.empty() && must.empty() && must_not.empty() && filters.empty(); }
};

struct Node {
  std::optional<Group> group;  // set when the node is a bare list of items
  Xapian::Query query;
};

Xapian::Query combine(const Group& g, bool require_all) {
  Xapian::Query q;
  bool have = false;
  if (!g.positive.empty()) {
    q = Xapian::Query(require_all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, g.positive.begin(), g.positive.end());
    have = true;
  }
  if (!g.must.empty()) {
    Xapian::Query m(Xapian::Query::OP_AND, g.must.begin(), g.must.end());
    q = have ? Xapian::Query(Xapian::Query::OP_AND_MAYBE, m, q) : m;
    have = true;
  }
  if (!have) q = Xapian::Query::MatchAll;
  if (!g.filters.empty()) {
    std::vector<Xapian::Query> parts;
    for (const auto& [prefix, terms] : g.filters) parts.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
  }
  if (!g.must_not.empty())
    q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                      Xapian::Query(Xapian::Query::OP_OR, g.must_not.begin(), g.must_not.end()));
  return q;
}

class Parser {
 public:
  Parser(std::vector<Lexeme> lexemes, Analyzer& analyzer, const QueryLimits& limits, const PublishedSpan& span,
         Highlights* hl, const Lexicon* lexicon, bool expand,
         std::unordered_map<std::string, QueryBuilder::Form>* forms)
      : forms_(forms),
        lx_(std::move(lexemes)),
        analyzer_(analyzer),
        limits_(limits),
        span_(span),
        hl_(hl),
        lexicon_(lexicon),
        expand_(expand && lexicon) {}

  ParsedQuery run() {
    ParsedQuery out;
    Node n = parse_or();
    if (peek().type == Tok::kRParen) syntax_error(peek().column, "')' without a matching '('");
    if (peek().type != Tok::kEnd) syntax_error(peek().column, "unexpected text");
    out.query = n.query;
    if (n.group && n.group->positive.size() >= 2) {
      out.all_words = combine(*n.group, true);
      for (std::size_t i = 0; i < n.group->positive.size(); ++i)
        if (!n.group->labels[i].empty()) out.words.push_back({n.group->labels[i], n.group->positive[i]});
    }
    out.expansions = std::move(expansions_);
    return out;
  }

 private:
  const Lexeme& peek() const { return lx_[pos_]; }
  const Lexeme& next() { return lx_[pos_++]; }

  static const char* name(Tok t) {
    switch (t) {
      case Tok::kAnd: return "AND";
      case Tok::kOr: return "OR";
      case Tok::kNot: return "NOT";
      case Tok::kXor: return "XOR";
      default: return "operator";
    }
  }

  Node parse_or() {
    Node left = parse_xor();
    while (peek().type == Tok::kOr) {
      next();
      Node right = parse_xor();
      left = Node{std::nullopt, Xapian::Query(Xapian::Query::OP_OR, left.query, right.query)};
    }
    return left;
  }

  Node parse_xor() {
    Node left = parse_and();
    while (peek().type == Tok::kXor) {
      next();
      Node right = parse_and();
      left = Node{std::nullopt, Xapian::Query(Xapian::Query::OP_XOR, left.query, right.query)};
    }
    return left;
  }

  Node parse_and() {
    Node left = parse_group();
    while (peek().type == Tok::kAnd || peek().type == Tok::kNot) {
      bool negate = next().type == Tok::kNot;
      if (!negate && peek().type == Tok::kNot) {
        next();
        negate = true;
      }
      Node right = parse_group();
      left = Node{std::nullopt,
                  Xapian::Query(negate ? Xapian::Query::OP_AND_NOT : Xapian::Query::OP_AND, left.query, right.query)};
    }
    return left;
  }

  Node parse_group() {
    Group g;
    bool any = false;
    for (;;) {
      const Lexeme& t = peek();
      if (expand_ && plain_word(t)) {
        // A run of plain words is expanded as a whole: names may span words.
        std::vector<const Lexeme*> run;
        while (plain_word(peek())) {
          count_item(peek().column);
          run.push_back(&next());
        }
        add_plain_words(g, run);
        any = true;
      } else if (t.type == Tok::kWord || t.type == Tok::kPhrase) {
        next();
        add_item(g, t);
        any = true;
      } else if (t.type == Tok::kLParen) {
        std::size_t col = next().column;
        if (++depth_ > limits_.max_depth) syntax_error(col, "parentheses nested too deeply");
        Node inner = parse_or();
        if (peek().type != Tok::kRParen) syntax_error(col, "'(' is never closed");
        next();
        --depth_;
        add_positive(g, inner.query, "");
        any = true;
      } else {
        break;
      }
    }
    if (!any) {
      const Lexeme& t = peek();
      if (t.type == Tok::kEnd) {
        if (pos_ == 0) throw UsageError("empty query");
        syntax_error(t.column, std::string("expected a search term after ") + name(lx_[pos_ - 1].type));
      }
      if (t.type == Tok::kRParen) syntax_error(t.column, "')' without a search term before it");
      syntax_error(t.column, std::string("expected a search term before ") + name(t.type));
    }
    Node n;
    n.query = g.empty() ? Xapian::Query() : combine(g, false);
    n.group = std::move(g);
    return n;
  }

  void count_item(std::size_t column) {
    if (++items_ > limits_.max_items)
      syntax_error(column, "too many terms (the limit is " + std::to_string(limits_.max_items) + ")");
  }

  void add_item(Group& g, const Lexeme& t) {
    count_item(t.column);
    if (t.field == kTickerField) {
      place_by_modifier(g, t.mod, ticker_query(t.text, t.mod != '-'), "ticker:" + t.text);
      return;
    }
    const Field* field = t.field.empty() ? nullptr : field_by_query_name(t.field);
    // Boolean filters: source:, lang:, tag:, id:, url:.
    if (field && field->kind == FieldKind::kBoolean) {
      Xapian::Query term(boolean_term(*field, t.text));
      place_filter(g, t.mod, std::string(field->prefix), term);
      return;
    }
    // Date ranges.
    if (!field && t.type == Tok::kWord) {
      auto dots = t.text.find("..");
      if (dots != std::string::npos) {
        std::string_view from = std::string_view(t.text).substr(0, dots);
        std::string_view to = std::string_view(t.text).substr(dots + 2);
        if ((from.empty() || looks_like_date(from)) && (to.empty() || looks_like_date(to)) &&
            !(from.empty() && to.empty())) {
          place_filter(g, t.mod, std::string("\x01") + "date", QueryBuilder::date_range(from, to, span_));
          return;
        }
      }
    }
    const Space space = field ? field_space(*field) : default_space();
    const bool positive = t.mod != '-';
    std::vector<std::string> labels;
    std::vector<Xapian::Query> parts = t.type == Tok::kPhrase
                                           ? phrase_queries(t.text, space, positive)
                                           : word_queries(t.text, space, t.wildcard, positive, &labels);
    const std::string field_label = t.field.empty() ? std::string() : t.field + ":";
    for (std::size_t i = 0; i < parts.size(); ++i) {
      std::string label = t.type == Tok::kPhrase ? "\"" + t.text + "\"" : i < labels.size() ? labels[i] : t.text;
      place_by_modifier(g, t.mod, std::move(parts[i]), field_label + label);
    }
  }

  static void add_positive(Group& g, Xapian::Query q, std::string label) {
    g.positive.push_back(std::move(q));
    g.labels.push_back(std::move(label));
  }

  // +word must match, -word must not, a plain word may.
  static void place_by_modifier(Group& g, char mod, Xapian::Query q, std::string label) {
    if (mod == '+')
      g.must.push_back(std::move(q));
    else if (mod == '-')
      g.must_not.push_back(std::move(q));
    else
      add_positive(g, std::move(q), std::move(label));
  }

  static void place_filter(Group& g, char mod, const std::string& key, const Xapian::Query& q) {
    if (mod == '-')
      g.must_not.push_back(q);
    else
      g.filters[key].push_back(q);
  }

  // Splits analyzed tokens into units: each run of adjacent Han words is one
  // unit, every other word is a unit of its own.
  static std::vector<std::pair<std::size_t, std::size_t>> units(std::vector<Token>& toks) {
    drop_parts(toks);
    std::vector<std::pair<std::size_t, std::size_t>> out;  // [first, last)
    for (std::size_t i = 0; i < toks.size();) {
      std::size_t j = i + 1;
      if (toks[i].kind == TokenKind::kHan)
        while (j < toks.size() && toks[j].kind == TokenKind::kHan && toks[j].begin == toks[j - 1].end) ++j;
      out.emplace_back(i, j);
      i = j;
    }
    return out;
  }

  // A query matches whole words: drops the parts the analyzer adds after a
  // word at the same position ("5" of "5月", "to" of "unia.to").
  static void drop_parts(std::vector<Token>& toks) {
    std::erase_if(toks, [prev = Xapian::termpos(0)](const Token& t) mutable {
      bool part = t.position == prev;
      prev = t.position;
      return part;
    });
  }

  Xapian::Query han_unit(std::string_view text, const std::vector<Token>& toks, std::size_t b, std::size_t e,
                         const Space& space, bool positive) {
    std::vector<Token> sub(toks.begin() + static_cast<std::ptrdiff_t>(b),
                           toks.begin() + static_cast<std::ptrdiff_t>(e));
    std::vector<HanRun> runs = Analyzer::han_runs(text.substr(toks[b].begin, toks[e - 1].end - toks[b].begin));
    std::u32string chars;
    for (const HanRun& r : runs) chars += r.chars;
    if (chars.empty()) return Xapian::Query();
    if (positive && hl_) hl_->han.push_back(chars);
    Xapian::Query ngram;
    if (chars.size() == 1) {
      // Every occurrence of a character starts a bigram or is indexed alone
      // at the end of its run: the n-grams that start with it find them all.
      ngram = Xapian::Query(Xapian::Query::OP_WILDCARD, space.ngrams + han_query_ngrams(chars).front(),
                            limits_.max_han_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    } else {
      std::vector<Xapian::Query> gram_queries;
      std::set<std::string> seen;
      for (const std::string& g : han_query_ngrams(chars))
        if (seen.insert(g).second) gram_queries.emplace_back(space.ngrams + g);
      ngram = gram_queries.size() == 1 ? gram_queries.front()
                                       : Xapian::Query(Xapian::Query::OP_AND, gram_queries.begin(), gram_queries.end());
    }
    // The query's own words. A two-character word is one of the bigrams
    // above, which count more where they stand as words in the document; a
    // longer word is a term of its own (without positions), which adds its
    // weight where the document has it as a word.
    std::vector<Xapian::Query> words;
    for (const Token& t : sub)
      if (han_word_role(t.term) == HanWordRole::kTerm) words.emplace_back(space.words + t.term);
    if (words.empty()) return ngram;
    Xapian::Query whole =
        words.size() == 1 ? words.front() : Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, ngram,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, whole, kWholeWordBoost));
  }

  Xapian::Query word_unit(const Token& t, const Space& space, bool exact, bool wildcard, bool positive) {
    if (wildcard && t.kind != TokenKind::kHan) {
      if (positive && hl_) hl_->words.insert(t.term);
      return Xapian::Query(Xapian::Query::OP_WILDCARD, space.words + t.term, limits_.max_wildcard,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }
    if (!exact && t.kind == TokenKind::kWord) {
      std::string stemmed = analyzer_.stem(t.term);
      if (!stemmed.empty()) {
        if (positive && hl_) hl_->stems.insert(stemmed);
        // Any form of the word matches; the form as typed ranks higher.
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query(space.stems + stemmed),
                             Xapian::Query(space.words + t.term));
      }
    }
    if (positive && hl_) hl_->words.insert(t.term);
    return Xapian::Query(space.words + t.term);
  }

  // labels, when given, receives each unit's text as typed.
  std::vector<Xapian::Query> word_queries(const std::string& text, const Space& space, bool wildcard, bool positive,
                                          std::vector<std::string>* labels = nullptr) {
    std::vector<Token> toks = analyzer_.tokenize(text);
    std::vector<Xapian::Query> out;
    auto us = units(toks);
    for (std::size_t u = 0; u < us.size(); ++u) {
      auto [b, e] = us[u];
      if (labels) labels->push_back(text.substr(toks[b].begin, toks[e - 1].end - toks[b].begin));
      if (toks[b].kind == TokenKind::kHan)
        out.push_back(han_unit(text, toks, b, e, space, positive));
      else
        out.push_back(word_unit(toks[b], space, false, wildcard && u + 1 == us.size(), positive));
    }
    return out;
  }

  std::vector<Xapian::Query> phrase_queries(const std::string& text, const Space& space, bool positive) {
    std::vector<Token> toks = analyzer_.tokenize(text);
    auto us = units(toks);
    if (us.empty()) return {};
    std::vector<Xapian::Query> parts;
    bool has_han = false;
    for (auto [b, e] : us) {
      if (toks[b].kind == TokenKind::kHan) {
        has_han = true;
        parts.push_back(han_unit(text, toks, b, e, space, positive));
      } else {
        parts.push_back(word_unit(toks[b], space, true, false, positive));
      }
    }
    if (parts.size() == 1) return parts;
    if (has_han) {
      // Han words have no positions (n-grams carry Han phrases): a phrase
      // that mixes scripts requires each part.
      return {Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end())};
    }
    std::vector<Xapian::Query> words;
    for (const Token& t : toks) words.emplace_back(space.words + t.term);
    return {Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), words.size())};
  }

  // ---- Expansion across English and Chinese (QueryBuilder::set_lexicon) ----

  static bool plain_word(const Lexeme& t) {
    return t.type == Tok::kWord && t.field.empty() && !t.mod && !t.wildcard && t.text.find("..") == std::string::npos;
  }

  // A name, ticker, kind word or translation as the query would search it:
  // a Latin word by its stem (any form), several words as a phrase, Han text
  // as its n-gram match.
  Xapian::Query form_query(const std::string& text) {
    constexpr std::size_t kMaxCachedForms = 50000;
    auto it = forms_->find(text);
    if (it == forms_->end()) {
      if (forms_->size() >= kMaxCachedForms) forms_->clear();
      QueryBuilder::Form form;
      Highlights* outer = hl_;
      hl_ = &form.highlights;
      form.query = analyze_form(text);
      hl_ = outer;
      it = forms_->emplace(text, std::move(form)).first;
    }
    if (hl_) {
      const Highlights& h = it->second.highlights;
      hl_->words.insert(h.words.begin(), h.words.end());
      hl_->stems.insert(h.stems.begin(), h.stems.end());
      hl_->han.insert(hl_->han.end(), h.han.begin(), h.han.end());
    }
    return it->second.query;
  }

  Xapian::Query analyze_form(const std::string& text) {
    std::vector<Token> toks = analyzer_.tokenize(text);
    auto us = units(toks);
    if (us.empty()) return Xapian::Query();
    if (us.size() == 1 && toks[us[0].first].kind != TokenKind::kHan)
      return word_unit(toks[us[0].first], default_space(), false, false, true);
    std::vector<Xapian::Query> q = phrase_queries(text, default_space(), true);
    return q.empty() ? Xapian::Query() : q.front();
  }

  // The forms of texts not yet in seen (by lexicon key), as one OP_SYNONYM:
  // a document that has several of them counts as having one term often.
  // Forms that search alike (lender, lenders; the words as typed, self) are
  // added once: a synonym counts each form's occurrences.
  Xapian::Query synonyms(const std::vector<std::string>& texts, std::set<std::string>& seen,
                         std::vector<std::string>* shown, const Xapian::Query& self) {
    std::vector<Xapian::Query> forms;
    std::set<std::string> searched{self.get_description()};
    for (const std::string& text : texts) {
      if (forms.size() >= kMaxForms) break;
      if (!seen.insert(Lexicon::key_of(text)).second) continue;
      Xapian::Query q = form_query(text);
      if (q.empty() || !searched.insert(q.get_description()).second) continue;
      forms.push_back(std::move(q));
      if (shown) shown->push_back(text);
    }
    if (forms.empty()) return Xapian::Query();
    if (forms.size() == 1) return forms.front();
    return Xapian::Query(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
  }

  // Every name (not marked '?') and ticker of the entities, in file order.
  static std::vector<std::string> entity_forms(const std::vector<const Entity*>& entities, bool tickers) {
    std::vector<std::string> out;
    for (const Entity* e : entities) {
      for (const EntityName& n : e->names)
        if (!n.ambiguous) out.push_back(n.text);
      if (tickers) out.insert(out.end(), e->tickers.begin(), e->tickers.end());
    }
    return out;
  }

  Xapian::Query ticker_query(const std::string& text, bool positive) {
    std::vector<const Entity*> entities;
    if (lexicon_)
      for (const EntityHit& h : lexicon_->entity_of(text)) entities.push_back(h.entity);
    if (entities.empty() || !positive) {
      // Unknown (or excluded): the symbol itself, and for -ticker: the names too.
      std::vector<std::string> texts{text};
      std::vector<std::string> more = entity_forms(entities, true);
      texts.insert(texts.end(), more.begin(), more.end());
      std::set<std::string> seen;
      return synonyms(texts, seen, nullptr, Xapian::Query());
    }
    Expansion ex{text, ExpansionKind::kEntity, {}};
    std::set<std::string> seen{Lexicon::key_of(text)};
    std::vector<std::string> texts = entity_forms(entities, true);
    Xapian::Query self = form_query(text);
    Xapian::Query names = synonyms(texts, seen, &ex.to, self);
    expansions_.push_back(std::move(ex));
    if (names.empty()) return self;
    return Xapian::Query(Xapian::Query::OP_SYNONYM, self, names);
  }

  struct Words {
    std::vector<const Lexeme*> lexemes;
    std::vector<std::vector<Token>> toks;                 // per lexeme, without parts
    std::vector<std::pair<std::size_t, std::size_t>> at;  // word -> (lexeme, token)
    std::vector<std::string> folded;

    const Token& tok(std::size_t i) const { return toks[at[i].first][at[i].second]; }
    // The words [b, e) as typed: one space between lexemes.
    std::string typed(std::size_t b, std::size_t e) const {
      std::string out;
      for (std::size_t i = b; i < e;) {
        std::size_t j = i;
        while (j + 1 < e && at[j + 1].first == at[i].first) ++j;
        if (!out.empty()) out += ' ';
        out += lexemes[at[i].first]->text.substr(tok(i).begin, tok(j).end - tok(i).begin);
        i = j + 1;
      }
      return out;
    }
  };

  struct WordMatch {
    std::size_t words = 0;
    ExpansionKind kind = ExpansionKind::kEntity;
    std::vector<const Entity*> entities;
    std::vector<const Kind*> kinds;
    std::vector<Translation> translations;
  };

  static std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  }

  static bool has_lower_ascii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  }

  // The longest name, kind word or dictionary phrase at word i; on equal
  // length an entity before a kind before a translation.
  WordMatch match_at(const Words& w, std::size_t i) {
    WordMatch best;
    LexiconMatch<EntityHit> em = lexicon_->match_entity(w.folded, i);
    for (const EntityHit& h : em.hits) {
      if (h.ambiguous) continue;                                            // searched as typed only
      if (h.ticker && has_lower_ascii(w.typed(i, i + em.words))) continue;  // "now", "c": plain words
      best.entities.push_back(h.entity);
    }
    if (!best.entities.empty()) best.words = em.words;
    LexiconMatch<KindHit> km = lexicon_->match_kind(w.folded, i);
    std::vector<const Kind*> kinds;
    for (const KindHit& h : km.hits)
      if (!h.ambiguous) kinds.push_back(h.kind);
    if (!kinds.empty() && km.words > best.words) {
      best = WordMatch{km.words, ExpansionKind::kKind, {}, std::move(kinds), {}};
    }
    LexiconMatch<Translation> tm = lexicon_->match_translation(w.folded, i);
    if (tm.hits.empty() && w.tok(i).kind == TokenKind::kWord) {
      // The dictionary has "bank", not "banks": try the stem.
      if (std::string stem = analyzer_.stem(w.folded[i]); !stem.empty() && stem != w.folded[i]) {
        tm.hits = lexicon_->translations(stem);
        tm.words = tm.hits.empty() ? 0 : 1;
      }
    }
    if (tm.words == 1 && w.tok(i).kind == TokenKind::kHan && code_points(w.folded[i]) < 2)
      tm.hits.clear();  // one character is a bound form or too broad: 地 is not "earth"
    if (!tm.hits.empty() && tm.words > best.words)
      best = WordMatch{tm.words, ExpansionKind::kTranslation, {}, {}, std::move(tm.hits)};
    return best;
  }

  // The words [b, e) as they are searched without expansion: a run of
  // adjacent Han words is one n-gram unit, any other word one unit.
  std::vector<Xapian::Query> literal_units(const Words& w, std::size_t b, std::size_t e,
                                           std::vector<std::string>* labels = nullptr) {
    std::vector<Xapian::Query> out;
    for (std::size_t i = b; i < e;) {
      std::size_t j = i + 1;
      const auto [l, k] = w.at[i];
      if (w.tok(i).kind == TokenKind::kHan) {
        while (j < e && w.at[j].first == l && w.tok(j).kind == TokenKind::kHan && w.tok(j).begin == w.tok(j - 1).end)
          ++j;
        out.push_back(han_unit(w.lexemes[l]->text, w.toks[l], k, k + (j - i), default_space(), true));
      } else {
        out.push_back(word_unit(w.tok(i), default_space(), false, false, true));
      }
      if (labels) labels->push_back(w.typed(i, j));
      i = j;
    }
    return out;
  }

  void add_plain_words(Group& g, const std::vector<const Lexeme*>& run) {
    Words w;
    w.lexemes = run;
    for (std::size_t l = 0; l < run.size(); ++l) {
      w.toks.push_back(analyzer_.tokenize(run[l]->text));
      drop_parts(w.toks.back());
      for (std::size_t k = 0; k < w.toks.back().size(); ++k) {
        w.at.emplace_back(l, k);
        w.folded.push_back(w.toks.back()[k].term);
      }
    }
    std::vector<WordMatch> matches;
    for (std::size_t i = 0; i < w.folded.size(); ++i) matches.push_back(match_at(w, i));
    keep_han_runs_whole(w, matches);
    for (std::size_t i = 0; i < w.folded.size();) {
      const WordMatch& m = matches[i];
      if (m.words == 0) {
        std::size_t j = i + 1;
        while (j < w.folded.size() && matches[j].words == 0) ++j;
        std::vector<std::string> labels;
        std::vector<Xapian::Query> qs = literal_units(w, i, j, &labels);
        for (std::size_t k = 0; k < qs.size(); ++k) add_positive(g, std::move(qs[k]), std::move(labels[k]));
        i = j;
        continue;
      }
      const std::size_t e = std::min(i + m.words, w.folded.size());
      Expansion ex{w.typed(i, e), m.kind, {}};
      std::set<std::string> seen{Lexicon::key_of_words(std::span(w.folded).subspan(i, e - i))};
      std::vector<Xapian::Query> literal = literal_units(w, i, e);
      Xapian::Query self =
          literal.size() == 1 ? literal.front() : Xapian::Query(Xapian::Query::OP_AND, literal.begin(), literal.end());
      Xapian::Query q;
      if (m.kind == ExpansionKind::kEntity) {
        // Names of one entity are one term: each ranks as the others do.
        Xapian::Query names = synonyms(entity_forms(m.entities, true), seen, &ex.to, self);
        q = names.empty() ? self : Xapian::Query(Xapian::Query::OP_SYNONYM, self, names);
      } else {
        std::vector<std::string> texts;
        double weight = kTranslationWeight;
        if (m.kind == ExpansionKind::kKind) {
          weight = kKindWeight;
          for (const Kind* k : m.kinds)
            for (const KindWord& kw : k->words)
              if (!kw.ambiguous) texts.push_back(kw.text);
          for (const Kind* k : m.kinds) {
            std::vector<std::string> names = entity_forms(lexicon_->entities_of_kind(k->id), false);
            texts.insert(texts.end(), names.begin(), names.end());
          }
        } else {
          for (const Translation& t : m.translations) texts.push_back(t.text);
        }
        Xapian::Query more = synonyms(texts, seen, &ex.to, self);
        q = more.empty() ? self
                         : Xapian::Query(Xapian::Query::OP_OR, self,
                                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, more, weight));
      }
      std::string label = ex.words;
      if (!ex.to.empty()) expansions_.push_back(std::move(ex));
      add_positive(g, std::move(q), std::move(label));
      i = e;
    }
  }

  // A run of adjacent Han words is split at the words the lexicon knows only
  // when every piece left over has two characters or more: a lone character
  // would be searched as every n-gram that starts with it (slow, and it
  // matches anywhere), where the whole run requires its characters side by
  // side. Otherwise the run stays one literal unit, unexpanded.
  static void keep_han_runs_whole(const Words& w, std::vector<WordMatch>& matches) {
    auto chars = [](std::string_view s) {
      std::size_t n = 0;
      for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      return n;
    };
    for (std::size_t b = 0; b < w.folded.size();) {
      std::size_t e = b + 1;
      if (w.tok(b).kind == TokenKind::kHan)
        while (e < w.folded.size() && w.at[e].first == w.at[b].first && w.tok(e).kind == TokenKind::kHan &&
               w.tok(e).begin == w.tok(e - 1).end)
          ++e;
      bool lone = false;
      for (std::size_t i = b; i < e;) {
        if (matches[i].words > 0) {
          i += matches[i].words;
          continue;
        }
        std::size_t n = 0;
        for (; i < e && matches[i].words == 0; ++i) n += chars(w.folded[i]);
        lone = lone || n == 1;
      }
      if (lone && e > b + 1)
        for (std::size_t i = b; i < e; ++i) matches[i].words = 0;
      b = e;
    }
  }

  // Forms one expansion may add (a kind of many entities).
  static constexpr std::size_t kMaxForms = 300;

  std::unordered_map<std::string, QueryBuilder::Form>* forms_;
  std::vector<Lexeme> lx_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t items_ = 0;
  Analyzer& analyzer_;
  const QueryLimits& limits_;
  const PublishedSpan& span_;
  Highlights* hl_;
  const Lexicon* lexicon_;
  bool expand_;
  std::vector<Expansion> expansions_;
};

}  // namespace

const char* expansion_kind_name(ExpansionKind kind) {
  switch (kind) {
    case ExpansionKind::kEntity: return "entity";
    case ExpansionKind::kKind: return "kind";
    case ExpansionKind::kTranslation: return "translation";
  }
  return "entity";
}

QueryBuilder::QueryBuilder(QueryLimits limits) : limits_(limits) {}

Xapian::Query QueryBuilder::date_range(std::string_view from, std::string_view to, const PublishedSpan& span) {
  if (from.empty() && to.empty()) return Xapian::Query::MatchAll;
  if (from.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotPublished, range_end(to, true));
  if (to.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotPublished, range_end(from, false));
  // A closed range is the OR of the fewest year, month and day terms that
  // cover it, as Omega does: their posting lists are short and skip well.
  // A value range would be read value by value, and when it is the rarest
  // part of a query Xapian drives the match with it: linear in the
  // collection. (Open ranges keep the value test: they are never rare.)
  const std::string begin = range_end(from, false), end = range_end(to, true);
  // Days outside the span hold no article: no term is needed for them.
  std::string lo = begin.substr(0, 10), hi = end.substr(0, 10);
  if (span.first.size() >= 10 && span.first.substr(0, 10) > lo) lo = span.first.substr(0, 10);
  if (span.last.size() >= 10 && span.last.substr(0, 10) < hi) hi = span.last.substr(0, 10);
  if (lo > hi) return Xapian::Query::MatchNothing;
  int y = std::stoi(lo.substr(0, 4)), m = std::stoi(lo.substr(5, 2)), d = std::stoi(lo.substr(8, 2));
  auto ymd = [](int year, int month, int day) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return std::string(buf);
  };
  auto month_end = [](int year, int month) {
    return static_cast<int>(days_in_month(year, static_cast<unsigned>(month)));
  };
  std::vector<Xapian::Query> terms;
  char buf[40];
  while (y <= 9999 && ymd(y, m, d) <= hi) {
    if (terms.size() == kMaxDateTerms) return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotPublished, begin, end);
    if (d == 1 && m == 1 && ymd(y, 12, 31) <= hi) {
      std::snprintf(buf, sizeof buf, "%04d", y);
      terms.emplace_back(std::string(kYearPrefix) + buf);
      ++y;
    } else if (d == 1 && ymd(y, m, month_end(y, m)) <= hi) {
      std::snprintf(buf, sizeof buf, "%04d%02d", y, m);
      terms.emplace_back(std::string(kMonthPrefix) + buf);
      if (++m > 12) m = 1, ++y;
    } else {
      std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
      terms.emplace_back(std::string(kDayPrefix) + buf);
      if (++d > month_end(y, m)) {
        d = 1;
        if (++m > 12) m = 1, ++y;
      }
    }
  }
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

ParsedQuery QueryBuilder::parse(std::string_view text) {
  if (text.size() > limits_.max_bytes)
    throw UsageError("query too long: " + std::to_string(text.size()) + " bytes, the limit is " +
                     std::to_string(limits_.max_bytes));
  std::string clean = clean_text(text);
  Highlights hl;
  Parser parser(lex(clean), analyzer_, limits_, span_, &hl, lexicon_.get(), expand_, &forms_);
  ParsedQuery out = parser.run();
  out.highlights = std::move(hl);
  return out;
}

bool matches_terms(const Xapian::Query& q, const std::set<std::string>& present) {
  if (q.empty()) return true;
  const std::size_t n = q.get_num_subqueries();
  auto sub = [&](std::size_t i) { return matches_terms(q.get_subquery(i), present); };
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: return present.count(*q.get_terms_begin()) > 0;
    case Xapian::Query::LEAF_MATCH_NOTHING: return false;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
      for (std::size_t i = 0; i < n; ++i)
        if (!sub(i)) return false;
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_ELITE_SET:
      for (std::size_t i = 0; i < n; ++i)
        if (sub(i)) return true;
      return false;
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT: return n == 0 || sub(0);
    case Xapian::Query::OP_AND_NOT: return n == 0 || (sub(0) && !(n > 1 && sub(1)));
    default: return true;  // wildcards, value ranges, posting sources: not told by terms
  }
}

}  // namespace xinwen
