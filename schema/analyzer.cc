#include <xinwen/analyzer.h>

#include <unicode/brkiter.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include <xinwen/c_handle.h>
#include <xinwen/errors.h>
#include <xinwen/fold.h>

namespace xinwen {
namespace {

using UTextPtr = CHandle<UText, utext_close>;

// Cuts s to at most max bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// "u.s" -> "us": single letters separated by dots.
bool is_dotted_acronym(std::string_view t) {
  if (t.size() < 3) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    bool letter = (t[i] >= 'a' && t[i] <= 'z');
    if ((i % 2 == 0) != letter) return false;
    if (i % 2 == 1 && t[i] != '.') return false;
  }
  return true;
}

// Curly apostrophes become straight ones; a trailing possessive goes.
void normalize_english(std::string& t) {
  std::size_t p;
  while ((p = t.find("\xE2\x80\x99")) != std::string::npos) t.replace(p, 3, "'");
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "'s") == 0) t.resize(t.size() - 2);
  if (is_dotted_acronym(t)) t.erase(std::remove(t.begin(), t.end(), '.'), t.end());
}

}  // namespace

const char* token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord: return "word";
    case TokenKind::kNumber: return "number";
    case TokenKind::kHan: return "han";
    case TokenKind::kOther: return "other";
  }
  return "other";
}

bool is_spelling_word(std::string_view term) {
  if (term.size() < 3 || term.size() > 24) return false;
  return std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_stemmable(std::string_view term) {
  bool letter = false;
  for (char c : term) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return false;
    if (c >= 'a' && c <= 'z') letter = true;
  }
  return letter;
}

namespace {
std::string utf8_of(std::u32string_view chars) {
  std::string t;
  for (char32_t c : chars) append_utf8(t, c);
  return t;
}
}  // namespace

std::vector<std::string> han_ngrams(std::u32string_view chars) {
  std::vector<std::string> out;
  for_each_han_ngram(chars, [&](std::u32string_view g) { out.push_back(utf8_of(g)); });
  return out;
}

HanWordRole han_word_role(std::string_view folded) {
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(folded.size());
  std::size_t chars = 0;
  bool all_han = true;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    ++chars;
    if (c < 0 || !is_han(static_cast<char32_t>(c))) all_han = false;
  }
  if (!all_han) return HanWordRole::kTerm;
  if (chars <= 1) return HanWordRole::kNone;
  return chars == 2 ? HanWordRole::kBigram : HanWordRole::kTerm;
}

std::vector<std::string> han_query_ngrams(std::u32string_view chars) {
  std::vector<std::string> out;
  if (chars.size() == 1) out.push_back(utf8_of(chars));
  for (std::size_t i = 0; i + 1 < chars.size(); ++i) out.push_back(utf8_of(chars.substr(i, 2)));
  return out;
}

namespace {

// The folded Han character of the code point c, read from text[start, end),
// or 0 when c is not Han. han_runs and the n-gram counter share it.
char32_t folded_han_at(std::string_view text, int32_t start, int32_t end, UChar32 c) {
  if (c >= 0x4E00 && c <= 0x9FFF) return fold_han(static_cast<char32_t>(c));
  if (c < 0x2E80 || !is_han(static_cast<char32_t>(c))) return 0;
  // Compatibility ideographs and the like: NFKC first.
  std::string f = fold_term(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
  int32_t k = 0;
  UChar32 fc;
  U8_NEXT(reinterpret_cast<const uint8_t*>(f.data()), k, static_cast<int32_t>(f.size()), fc);
  return (fc >= 0 && is_han(static_cast<char32_t>(fc))) ? static_cast<char32_t>(fc) : 0;
}

// Where one field's terms go: the default space (bare words, kDefaultNgramPrefix
// n-grams) when the field is searched by default, and the field's own
// prefixes when it has them or is not searched by default.
struct TermSpace {
  std::string_view words, ngrams;
};
struct TermSpaces {
  TermSpace spaces[2];
  int count = 0;
  const TermSpace* begin() const { return spaces; }
  const TermSpace* end() const { return spaces + count; }
};

TermSpaces term_spaces(const Field& field) {
  TermSpaces out;
  if (field.default_space) out.spaces[out.count++] = {"", kDefaultNgramPrefix};
  if (!field.prefix.empty() || !field.default_space) out.spaces[out.count++] = {field.prefix, field.ngram_prefix};
  return out;
}

// A Han n-gram as two packed characters (the second 0 for a character alone).
std::uint64_t pack_gram(char32_t a, char32_t b) { return (static_cast<std::uint64_t>(a) << 32) | b; }

// The packed bigram of a folded two-character word.
std::uint64_t pack_two_chars(std::string_view word) {
  const auto* p = reinterpret_cast<const uint8_t*>(word.data());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(word.size());
  UChar32 a, b;
  U8_NEXT(p, i, n, a);
  U8_NEXT(p, i, n, b);
  return pack_gram(static_cast<char32_t>(a), static_cast<char32_t>(b));
}

}  // namespace

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  // Scratch for segments(): the text as UTF-16, and the byte offset of each
  // UTF-16 unit (one more entry for the end).
  std::u16string utf16;
  std::vector<uint32_t> byte_at;
  // Han n-grams of the field being indexed, counted here (packed, with their
  // wdf) before they reach the document: one insert per distinct n-gram
  // instead of one per occurrence.
  std::vector<std::pair<std::uint64_t, Xapian::termcount>> grams;
  // Terms without positions of the field being indexed, with their wdf:
  // Xapian's document keeps its terms in a sorted map, so one add_term per
  // distinct term is cheaper than one per occurrence (the sums are the same).
  std::unordered_map<std::string, Xapian::termcount> counted;
  std::string term;  // scratch for the term being added
  Xapian::Stem stemmer{"english"};
  // Stems of the words seen so far: news repeats its words, and the stemmer
  // costs more than a lookup. Bounded: cleared when it reaches kMaxStems.
  static constexpr std::size_t kMaxStems = 1 << 16;
  std::unordered_map<std::string, std::string> stems;

  const std::string& stem_of(const std::string& word) {
    auto it = stems.find(word);
    if (it != stems.end()) return it->second;
    if (stems.size() >= kMaxStems) stems.clear();
    return stems.emplace(word, stemmer(word)).first->second;
  }

  // Adds every counted term to the document, once each.
  void add_counted_terms(Xapian::Document& doc) {
    for (const auto& [t, wdf] : counted) doc.add_term(t, wdf);
    counted.clear();
  }

  Impl() {
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status) || !words)
      throw EnvironmentError(std::string("ICU word break iterator unavailable: ") + u_errorName(status));
  }

  // A Han word while n-grams are on. Han words carry no positions (n-grams
  // match Han phrases), and only words of three or more characters are terms
  // of their own: a two-character word is the bigram at its place, which
  // counts extra (see han_word_role), and a one-character word adds nothing
  // to the n-grams. Each word-term posting costs as much as an n-gram's.
  void add_han_word(const Token& tok, const TermSpaces& spaces, Xapian::termcount wdf) {
    const HanWordRole role = han_word_role(tok.term);
    if (role == HanWordRole::kNone) return;
    if (role == HanWordRole::kBigram) grams.emplace_back(pack_two_chars(tok.term), kWholeWordWdf - 1);
    for (const TermSpace& space : spaces) {
      if (role == HanWordRole::kBigram && !space.ngrams.empty()) continue;
      term.assign(space.words);
      term += tok.term;
      counted[term] += wdf;
    }
  }

  // Any other word, at its position, with its english stem; a Han word here
  // (n-grams off) is a term without positions.
  void add_word(Xapian::Document& doc, const Token& tok, const TermSpaces& spaces, Xapian::termpos pos,
                Xapian::termcount wdf) {
    const bool han = tok.kind == TokenKind::kHan;
    static const std::string kNoStem;
    const std::string& stemmed = (tok.kind == TokenKind::kWord && is_stemmable(tok.term)) ? stem_of(tok.term) : kNoStem;
    for (const TermSpace& space : spaces) {
      term.assign(space.words);
      term += tok.term;
      if (han)
        counted[term] += wdf;
      else
        doc.add_posting(term, pos, wdf);
      if (!stemmed.empty()) {
        term.assign(kStemPrefix);
        term += space.words;
        term += stemmed;
        if (term.size() <= kMaxTermBytes) counted[term] += wdf;
      }
    }
  }

  // Counts the n-grams of every Han run of text, once each.
  // The same n-grams as for_each_han_ngram over han_runs(text), read in one
  // pass without building the runs.
  void count_han_ngrams(std::string_view text) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t i = 0;
    const int32_t n = static_cast<int32_t>(text.size());
    char32_t prev = 0;  // the previous character, when it was Han
    while (i < n) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(s, i, n, c);
      const char32_t folded = folded_han_at(text, start, i, c);
      if (prev) grams.emplace_back(pack_gram(prev, folded), 1);
      prev = folded;
    }
    if (prev) grams.emplace_back(pack_gram(prev, 0), 1);
  }

  // Adds the counted n-grams to the n-gram spaces, each with its total wdf.
  void add_ngram_terms(Xapian::Document& doc, const TermSpaces& spaces, Xapian::termcount wdf) {
    std::sort(grams.begin(), grams.end());
    for (std::size_t i = 0; i < grams.size();) {
      const std::uint64_t key = grams[i].first;
      Xapian::termcount count = 0;
      for (; i < grams.size() && grams[i].first == key; ++i) count += grams[i].second;
      // A character alone (at the end of a run) is needed only where it
      // starts no bigram in this text: a one-character query matches the
      // n-grams that start with it, so the document is found either way.
      // (Sorted, the bigrams that start with c follow c alone.)
      if ((key & 0xFFFFFFFFu) == 0 && i < grams.size() && (grams[i].first >> 32) == (key >> 32)) continue;
      std::string gram;
      append_utf8(gram, static_cast<char32_t>(key >> 32));
      if (key & 0xFFFFFFFFu) append_utf8(gram, static_cast<char32_t>(key & 0xFFFFFFFFu));
      for (const TermSpace& space : spaces) {
        if (space.ngrams.empty()) continue;
        term.assign(space.ngrams);
        term += gram;
        doc.add_term(term, wdf * count);
      }
    }
  }

  struct Segment {
    std::size_t begin, end;
    int32_t status;
    std::size_t number_end;  // for "5月": where the number ends; else == end
  };

  // ICU's segments of text, with two merges that match how Chinese text is
  // conventionally segmented (and raise SIGHAN F1 on all four sets): a number
  // written in digits followed by 月, 日, 万 or 亿 is one word ("5月", "3亿"),
  // and a doubled dash or ellipsis ("——", "……") is one mark.
  std::vector<Segment> segments(std::string_view text) {
    std::vector<Segment> out;
    if (text.empty()) return out;
    // The break iterator reads UTF-16 much faster than UTF-8 through a
    // UText: the text is converted once (bad bytes become U+FFFD, as the
    // UTF-8 UText reads them), and each UTF-16 index maps back to the byte
    // where its character starts.
    utf16.clear();
    byte_at.clear();
    {
      const auto* p = reinterpret_cast<const uint8_t*>(text.data());
      int32_t i = 0;
      const int32_t n = static_cast<int32_t>(text.size());
      while (i < n) {
        const auto start = static_cast<uint32_t>(i);
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) c = 0xFFFD;
        if (c <= 0xFFFF) {
          utf16.push_back(static_cast<char16_t>(c));
          byte_at.push_back(start);
        } else {
          utf16.push_back(U16_LEAD(c));
          utf16.push_back(U16_TRAIL(c));
          byte_at.push_back(start);
          byte_at.push_back(start);
        }
      }
      byte_at.push_back(static_cast<uint32_t>(n));
    }
    UErrorCode status = U_ZERO_ERROR;
    UTextPtr ut(utext_openUChars(nullptr, utf16.data(), static_cast<int64_t>(utf16.size()), &status));
    if (U_FAILURE(status)) return out;
    words->setText(ut.get(), status);
    if (U_FAILURE(status)) return out;
    int32_t begin = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE; begin = end, end = words->next()) {
      const std::size_t b = byte_at[static_cast<std::size_t>(begin)], e = byte_at[static_cast<std::size_t>(end)];
      const int32_t rule = words->getRuleStatus();
      if (!out.empty() && out.back().end == b) {
        Segment& prev = out.back();
        std::string_view cur = text.substr(b, e - b);
        if (prev.status >= UBRK_WORD_NUMBER && prev.status < UBRK_WORD_NUMBER_LIMIT && prev.number_end == prev.end &&
            is_number_unit(cur) && all_digits(text.substr(prev.begin, prev.end - prev.begin))) {
          prev.end = e;
          continue;
        }
        if ((cur == "\xE2\x80\x94" || cur == "\xE2\x80\xA6") && prev.end - prev.begin >= cur.size() &&
            text.substr(prev.end - cur.size(), cur.size()) == cur && rule < UBRK_WORD_NONE_LIMIT &&
            prev.status < UBRK_WORD_NONE_LIMIT) {
          prev.end = e;
          prev.number_end = e;
          continue;
        }
      }
      out.push_back({b, e, rule, e});
    }
    // Detach from the UText before it is closed.
    words->setText(icu::UnicodeString());
    return out;
  }

  static bool is_number_unit(std::string_view s) {
    for (std::string_view u : {"月", "日", "万", "亿", "萬", "億"})
      if (s == u) return true;
    return false;
  }

  // Digits (ASCII or full-width) with decimal or thousands separators.
  static bool all_digits(std::string_view s) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    int32_t i = 0, n = static_cast<int32_t>(s.size());
    bool digit = false;
    while (i < n) {
      UChar32 c;
      U8_NEXT(p, i, n, c);
      if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
        digit = true;
      else if (c != '.' && c != ',' && c != 0xFF0E && c != 0xFF0C)
        return false;
    }
    return digit;
  }
};

Analyzer::Analyzer(AnalyzerOptions options) : options_(options), impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

std::vector<Token> Analyzer::tokenize(std::string_view text) {
  std::vector<Token> out;
  Xapian::termpos pos = 0;
  for (const Impl::Segment& seg : impl_->segments(text)) {
    const int32_t status = seg.status;
    if (status < UBRK_WORD_NONE_LIMIT) continue;
    ++pos;
    std::string_view raw = text.substr(seg.begin, seg.end - seg.begin);
    // Folding can grow a word (ß -> ss) but not fourfold; skip giants unread.
    if (raw.size() > 4 * kMaxWordBytes) continue;
    Token tok;
    tok.begin = seg.begin;
    tok.end = seg.end;
    tok.position = pos;
    if (status >= UBRK_WORD_IDEO && status < UBRK_WORD_IDEO_LIMIT)
      tok.kind = TokenKind::kHan;
    else if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
      tok.kind = TokenKind::kNumber;
    else if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT)
      tok.kind = TokenKind::kWord;
    else
      tok.kind = TokenKind::kOther;
    tok.term = fold_term(raw);
    if (tok.kind == TokenKind::kWord) normalize_english(tok.term);
    if (tok.term.empty() || tok.term.size() > kMaxWordBytes) continue;
    // Parts follow the whole word, at its position: "5月" also gives "5";
    // "unia.to" and "open_ai" also give their parts, so "unia" finds <UNIA.TO>.
    std::vector<Token> parts;
    if (seg.number_end != seg.end) {
      Token number = tok;
      number.end = seg.number_end;
      number.term = fold_term(text.substr(seg.begin, seg.number_end - seg.begin));
      parts.push_back(std::move(number));
    } else if (tok.kind == TokenKind::kWord && tok.term.find_first_of("._") != std::string::npos) {
      std::size_t from = 0;
      while (from <= tok.term.size()) {
        std::size_t to = tok.term.find_first_of("._", from);
        if (to == std::string::npos) to = tok.term.size();
        if (to > from) {
          Token part = tok;
          part.term = tok.term.substr(from, to - from);
          parts.push_back(std::move(part));
        }
        from = to + 1;
      }
    }
    out.push_back(std::move(tok));
    for (Token& p : parts) out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string_view> Analyzer::segment(std::string_view text) {
  std::vector<std::string_view> out;
  for (const Impl::Segment& sg : impl_->segments(text)) {
    std::string_view seg = text.substr(sg.begin, sg.end - sg.begin);
    // Drop segments made only of white space (ASCII, U+3000, NBSP).
    std::size_t i = 0;
    bool blank = true;
    while (i < seg.size() && blank) {
      UChar32 c;
      int32_t j = static_cast<int32_t>(i);
      U8_NEXT(reinterpret_cast<const uint8_t*>(seg.data()), j, static_cast<int32_t>(seg.size()), c);
      i = static_cast<std::size_t>(j);
      if (!(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0 || c == 0xFEFF)) blank = false;
    }
    if (!blank) out.push_back(seg);
  }
  return out;
}

std::vector<HanRun> Analyzer::han_runs(std::string_view text) {
  std::vector<HanRun> runs;
  bool in_run = false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(text.size());
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    const char32_t folded = folded_han_at(text, start, i, c);
    if (!folded) {
      in_run = false;
      continue;
    }
    if (!in_run) runs.emplace_back();
    in_run = true;
    HanRun& run = runs.back();
    run.chars.push_back(folded);
    run.begins.push_back(static_cast<std::size_t>(start));
    run.ends.push_back(static_cast<std::size_t>(i));
  }
  return runs;
}

std::string Analyzer::stem(const std::string& term) {
  if (!is_stemmable(term)) return {};
  return impl_->stem_of(term);
}

bool Analyzer::index_field(Xapian::Document& doc, const Field& field, std::string_view text,
                           Xapian::termpos* position) {
  std::string_view cut = cut_utf8(text, options_.max_field_bytes);
  std::vector<Token> tokens = tokenize(cut);
  const TermSpaces spaces = term_spaces(field);
  const Xapian::termcount wdf = field.weight ? field.weight : 1;
  const Xapian::termpos base = *position;
  impl_->grams.clear();
  impl_->counted.clear();
  for (const Token& tok : tokens) {
    if (tok.kind == TokenKind::kHan && options_.han_ngrams)
      impl_->add_han_word(tok, spaces, wdf);
    else
      impl_->add_word(doc, tok, spaces, base + tok.position, wdf);
  }
  if (options_.han_ngrams) impl_->count_han_ngrams(cut);
  impl_->add_ngram_terms(doc, spaces, wdf);
  impl_->add_counted_terms(doc);
  Xapian::termpos last = tokens.empty() ? 0 : tokens.back().position;
  // A gap keeps phrases from matching across fields.
  *position = base + last + 100;
  return cut.size() == text.size();
}

}  // namespace xinwen
