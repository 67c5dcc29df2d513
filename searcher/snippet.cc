#include <xinwen/snippet.h>

#include <algorithm>
#include <cctype>
#include <map>

#include <xinwen/fold.h>

#include "code_points.h"

namespace xinwen {
namespace {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

bool is_word_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80 || c == '\'';
}

// Where an ASCII needle starts a word of text, ignoring ASCII case.
void find_word_starts(std::string_view text, std::string_view needle, std::vector<std::size_t>* out) {
  if (needle.empty() || needle.size() > text.size()) return;
  const char first = needle[0];
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != first) continue;
    if (i > 0 && is_word_byte(text[i - 1])) continue;
    std::size_t k = 1;
    while (k < needle.size() && std::tolower(static_cast<unsigned char>(text[i + k])) == needle[k]) ++k;
    if (k == needle.size()) out->push_back(i);
  }
}

// The code point index of a byte offset (of the next code point if the
// offset falls inside one).
std::size_t cp_index(const std::vector<std::size_t>& cp, std::size_t byte) {
  return static_cast<std::size_t>(std::lower_bound(cp.begin(), cp.end(), byte) - cp.begin());
}

}  // namespace

std::string Snippet::html() const {
  std::string out;
  for (const auto& [text, match] : parts) {
    if (match) out += "<mark>";
    out += html_escape(text);
    if (match) out += "</mark>";
  }
  return out;
}

std::string Snippet::plain() const {
  std::string out;
  for (const auto& [text, match] : parts) out += text;
  return out;
}

std::string Snippet::ansi() const {
  std::string out;
  for (const auto& [text, match] : parts) {
    if (match) out += "\033[1m";
    out += text;
    if (match) out += "\033[0m";
  }
  return out;
}

std::vector<SnippetCandidate> find_snippet_candidates(std::string_view text, const Highlights& hl) {
  std::vector<SnippetCandidate> cands;
  if (!hl.han.empty()) {
    for (const HanRun& run : Analyzer::han_runs(text)) {
      for (const std::u32string& h : hl.han) {
        if (h.empty() || h.size() > run.chars.size()) continue;
        std::string key;
        for (char32_t c : h) append_utf8(key, c);
        for (std::size_t p = run.chars.find(h); p != std::u32string::npos; p = run.chars.find(h, p + h.size()))
          cands.push_back({run.begins[p], run.ends[p + h.size() - 1], key, true});
      }
    }
  }
  auto scan = [&](const std::string& w) {
    if (!is_stemmable(w)) return;
    std::vector<std::size_t> at;
    find_word_starts(text, w, &at);
    for (std::size_t b : at) cands.push_back({b, b + w.size(), w, false});
  };
  for (const std::string& w : hl.words) scan(w);
  for (const std::string& w : hl.stems) scan(w);
  std::sort(cands.begin(), cands.end(),
            [](const SnippetCandidate& a, const SnippetCandidate& b) { return a.begin < b.begin; });
  return cands;
}

SnippetWindow choose_snippet_window(std::string_view text, const std::vector<SnippetCandidate>& cands,
                                    std::size_t chars) {
  const std::vector<std::size_t> cp = code_point_offsets(text);
  const std::size_t ncp = cp.size() - 1;
  // Slides over the candidates: [i, j) are those that fit in `chars` code
  // points from the start of candidate i.
  std::size_t best_start = 0, best_score = 0;
  std::map<std::string, int> inside;  // distinct keys in [i, j)
  std::size_t j = 0;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    const std::size_t start = cp_index(cp, cands[i].begin);
    if (j < i) j = i;
    while (j < cands.size() && cp_index(cp, cands[j].end) <= start + chars) ++inside[cands[j++].key];
    if (inside.size() > best_score) {
      best_score = inside.size();
      best_start = start;
    }
    if (j > i && --inside[cands[i].key] == 0) inside.erase(cands[i].key);
  }
  std::size_t from = best_start > chars / 5 ? best_start - chars / 5 : 0;
  std::size_t to = std::min(ncp, from + chars);
  if (to == ncp && ncp > chars) from = ncp - chars;
  return {cp[from], cp[to]};
}

Snippet mark_snippet(Analyzer& analyzer, std::string_view text, SnippetWindow window, const Highlights& hl,
                     const std::vector<SnippetCandidate>& cands, bool text_goes_on) {
  const std::vector<std::size_t> cp = code_point_offsets(text);
  const std::size_t ncp = cp.size() - 1;
  std::size_t from = cp_index(cp, window.begin), to = cp_index(cp, window.end);

  // Word-break the window with a margin, to see whole words, and mark the
  // words that really match.
  const std::size_t margin = 32;
  const std::size_t wfrom = from > margin ? from - margin : 0, wto = std::min(ncp, to + margin);
  const std::size_t base = cp[wfrom];
  std::vector<Token> tokens = analyzer.tokenize(text.substr(base, cp[wto] - base));
  std::vector<std::pair<std::size_t, std::size_t>> marks;
  for (const SnippetCandidate& c : cands)
    if (c.exact) marks.emplace_back(c.begin, c.end);
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kHan) continue;
    bool hit = hl.words.count(t.term) > 0;
    if (!hit && !hl.stems.empty() && t.kind == TokenKind::kWord) {
      std::string st = analyzer.stem(t.term);
      hit = !st.empty() && hl.stems.count(st) > 0;
    }
    if (hit) marks.emplace_back(base + t.begin, base + t.end);
    // Do not start or end inside a word.
    const std::size_t tb = cp_index(cp, base + t.begin), te = cp_index(cp, base + t.end);
    if (tb < from && te > from) from = tb;
    if (tb < to && te > to) to = te;
  }
  std::sort(marks.begin(), marks.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& m : marks) {
    if (!merged.empty() && m.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, m.second);
    else
      merged.push_back(m);
  }
  const std::size_t bfrom = cp[from], bto = cp[to];

  Snippet snip;
  auto add = [&](std::size_t b, std::size_t e, bool match) {
    if (b >= e) return;
    std::string piece(text.substr(b, e - b));
    for (char& c : piece)
      if (c == '\n' || c == '\t') c = ' ';
    if (!snip.parts.empty() && snip.parts.back().second == match)
      snip.parts.back().first += piece;
    else
      snip.parts.emplace_back(std::move(piece), match);
  };
  if (bfrom > 0) snip.parts.emplace_back("…", false);
  std::size_t at = bfrom;
  for (const auto& [b, e] : merged) {
    if (e <= bfrom || b >= bto) continue;
    add(at, std::max(at, b), false);
    add(std::max(at, b), std::min(e, bto), true);
    at = std::min(e, bto);
  }
  add(at, bto, false);
  if (bto < text.size() || text_goes_on) snip.parts.emplace_back("…", false);
  return snip;
}

Snippet make_snippet(Analyzer& analyzer, std::string_view text, const Highlights& hl, std::size_t chars) {
  // Long bodies: look for matches in the first 256 KiB only.
  std::string_view head = text;
  if (head.size() > (256u << 10)) {
    std::size_t n = 256u << 10;
    while (n > 0 && (static_cast<unsigned char>(head[n]) & 0xC0) == 0x80) --n;
    head = head.substr(0, n);
  }
  std::vector<SnippetCandidate> cands = find_snippet_candidates(head, hl);
  SnippetWindow window = choose_snippet_window(head, cands, chars);
  return mark_snippet(analyzer, head, window, hl, cands, head.size() < text.size());
}

}  // namespace xinwen
