#include "schema/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "schema/errors.h"
#include "schema/fold.h"

namespace xinwen {
namespace {

struct UTextCloser {
  void operator()(UText* t) const noexcept { utext_close(t); }
};
using UTextPtr = std::unique_ptr<UText, UTextCloser>;

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

bool is_stemmable(std::string_view term) {
  bool letter = false;
  for (char c : term) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return false;
    if (c >= 'a' && c <= 'z') letter = true;
  }
  return letter;
}

std::vector<std::string> han_ngrams(std::u32string_view chars) {
  std::vector<std::string> out;
  if (chars.size() == 1) {
    std::string t;
    append_utf8(t, chars[0]);
    out.push_back(std::move(t));
    return out;
  }
  for (std::size_t i = 0; i + 1 < chars.size(); ++i) {
    std::string t;
    append_utf8(t, chars[i]);
    append_utf8(t, chars[i + 1]);
    out.push_back(std::move(t));
  }
  return out;
}

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  Xapian::Stem stemmer{"english"};

  Impl() {
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status) || !words)
      throw EnvironmentError(std::string("ICU word break iterator unavailable: ") + u_errorName(status));
  }

  // Calls fn(begin, end, rule_status) for every segment of text.
  template <typename Fn>
  void each_segment(std::string_view text, Fn&& fn) {
    if (text.empty()) return;
    UErrorCode status = U_ZERO_ERROR;
    UTextPtr ut(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    if (U_FAILURE(status)) return;
    words->setText(ut.get(), status);
    if (U_FAILURE(status)) return;
    int32_t begin = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE; begin = end, end = words->next())
      fn(static_cast<std::size_t>(begin), static_cast<std::size_t>(end), words->getRuleStatus());
    // Detach from the UText before it is closed.
    words->setText(icu::UnicodeString());
  }
};

Analyzer::Analyzer(AnalyzerOptions options) : options_(options), impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

std::vector<Token> Analyzer::tokenize(std::string_view text) {
  std::vector<Token> out;
  Xapian::termpos pos = 0;
  impl_->each_segment(text, [&](std::size_t b, std::size_t e, int32_t status) {
    if (status < UBRK_WORD_NONE_LIMIT) return;
    ++pos;
    std::string_view raw = text.substr(b, e - b);
    // Folding can grow a word (ß -> ss) but not fourfold; skip giants unread.
    if (raw.size() > 4 * kMaxWordBytes) return;
    Token tok;
    tok.begin = b;
    tok.end = e;
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
    if (tok.term.empty() || tok.term.size() > kMaxWordBytes) return;
    out.push_back(std::move(tok));
  });
  return out;
}

std::vector<std::string_view> Analyzer::segment(std::string_view text) {
  std::vector<std::string_view> out;
  impl_->each_segment(text, [&](std::size_t b, std::size_t e, int32_t) {
    std::string_view seg = text.substr(b, e - b);
    // Drop segments made only of white space (ASCII, U+3000, NBSP).
    std::size_t i = 0;
    bool blank = true;
    while (i < seg.size() && blank) {
      UChar32 c;
      int32_t j = static_cast<int32_t>(i);
      U8_NEXT(reinterpret_cast<const uint8_t*>(seg.data()), j, static_cast<int32_t>(seg.size()), c);
      i = static_cast<std::size_t>(j);
      if (!(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0 || c == 0xFEFF))
        blank = false;
    }
    if (!blank) out.push_back(seg);
  });
  return out;
}

std::vector<HanRun> Analyzer::han_runs(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<HanRun> runs;
  std::size_t last_end = std::string_view::npos;
  for (const Token& tok : tokens) {
    if (tok.kind != TokenKind::kHan) {
      last_end = std::string_view::npos;
      continue;
    }
    if (tok.begin != last_end || runs.empty()) runs.emplace_back();
    HanRun& run = runs.back();
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t i = static_cast<int32_t>(tok.begin), n = static_cast<int32_t>(tok.end);
    while (i < n) {
      int32_t start = i;
      UChar32 c;
      U8_NEXT(s, i, n, c);
      if (c < 0) continue;
      char32_t folded;
      if (c >= 0x4E00 && c <= 0x9FFF) {
        folded = fold_han(static_cast<char32_t>(c));
      } else {
        // Compatibility ideographs and the like: NFKC first.
        std::string f = fold_term(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
        int32_t k = 0;
        UChar32 fc;
        U8_NEXT(reinterpret_cast<const uint8_t*>(f.data()), k, static_cast<int32_t>(f.size()), fc);
        if (fc < 0 || !is_han(static_cast<char32_t>(fc))) continue;
        folded = static_cast<char32_t>(fc);
      }
      run.chars.push_back(folded);
      run.begins.push_back(static_cast<std::size_t>(start));
      run.ends.push_back(static_cast<std::size_t>(i));
    }
    last_end = tok.end;
  }
  std::erase_if(runs, [](const HanRun& r) { return r.chars.empty(); });
  return runs;
}

std::string Analyzer::stem(const std::string& term) {
  if (!is_stemmable(term)) return {};
  return impl_->stemmer(term);
}

bool Analyzer::index_field(Xapian::Document& doc, const Field& field, std::string_view text,
                           Xapian::termpos* position) {
  std::string_view cut = cut_utf8(text, options_.max_field_bytes);
  std::vector<Token> tokens = tokenize(cut);

  struct Space {
    std::string_view words, ngrams;
  };
  Space spaces[2];
  int nspaces = 0;
  if (field.default_space) spaces[nspaces++] = {"", kDefaultNgramPrefix};
  if (!field.prefix.empty() || !field.default_space) spaces[nspaces++] = {field.prefix, field.ngram_prefix};

  const Xapian::termcount wdf = field.weight ? field.weight : 1;
  const Xapian::termpos base = *position;
  std::string term;
  for (const Token& tok : tokens) {
    // Han words carry no positions: Han phrases are matched by n-grams, and
    // positions are the dearest part of Xapian's write path.
    const bool han = tok.kind == TokenKind::kHan;
    const Xapian::termpos pos = base + tok.position;
    std::string stemmed = (tok.kind == TokenKind::kWord) ? stem(tok.term) : std::string();
    for (int s = 0; s < nspaces; ++s) {
      term.assign(spaces[s].words);
      term += tok.term;
      if (han)
        doc.add_term(term, wdf);
      else
        doc.add_posting(term, pos, wdf);
      if (!stemmed.empty()) {
        term.assign(kStemPrefix);
        term += spaces[s].words;
        term += stemmed;
        if (term.size() <= kMaxTermBytes) doc.add_term(term, wdf);
      }
    }
  }
  // Han n-grams: every bigram of each run, and the run's last character on
  // its own, so that every character occurrence starts exactly one n-gram.
  for (const HanRun& run : han_runs(cut, tokens)) {
    for (int s = 0; s < nspaces; ++s) {
      if (spaces[s].ngrams.empty()) continue;
      const std::size_t n = run.chars.size();
      for (std::size_t i = 0; i < n; ++i) {
        term.assign(spaces[s].ngrams);
        append_utf8(term, run.chars[i]);
        if (i + 1 < n) append_utf8(term, run.chars[i + 1]);
        doc.add_term(term, wdf);
      }
    }
  }
  Xapian::termpos last = tokens.empty() ? 0 : tokens.back().position;
  // A gap keeps phrases from matching across fields.
  *position = base + last + 100;
  return cut.size() == text.size();
}

}  // namespace xinwen
