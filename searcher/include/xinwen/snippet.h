// Snippets: the lines of an article shown under a search result, around its
// best matches, with the matches marked. Searcher cuts one per hit; the steps
// (finding candidate matches, choosing the window, marking the matches) are
// public so that each can be tested alone. Pure functions, apart from the
// Analyzer they are given, which is not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xinwen/analyzer.h>
#include <xinwen/query.h>

namespace xinwen {

// A snippet: pieces of text, each marked as a match or not.
struct Snippet {
  std::vector<std::pair<std::string, bool>> parts;
  std::string html() const;  // HTML-escaped, matches in <mark>...</mark>
  std::string plain() const;
  std::string ansi() const;  // matches in bold, for terminals
};

// Where a query word may match, found cheaply: Han strings exactly (they
// need no word break), words and stems by a case-insensitive scan for ASCII
// at the start of a word.
struct SnippetCandidate {
  std::size_t begin = 0, end = 0;  // bytes of the text
  std::string key;                 // what matched, to count distinct matches
  bool exact = false;              // a Han string: marked as found; words are confirmed by word breaking
};

// The candidates of text, by position. Words outside ASCII (rare) are not
// looked for; they are marked only if the window holds them.
std::vector<SnippetCandidate> find_snippet_candidates(std::string_view text, const Highlights& hl);

// A span of text to show, in bytes at code point boundaries.
struct SnippetWindow {
  std::size_t begin = 0, end = 0;
};

// The span of `chars` code points around the place where the most distinct
// candidates fit within `chars` code points: it starts a fifth of `chars`
// before the first of them, is moved back to end at the end of the text, and
// is the start of the text when there is no candidate.
SnippetWindow choose_snippet_window(std::string_view text, const std::vector<SnippetCandidate>& candidates,
                                    std::size_t chars);

// The window as a snippet: widened so that it neither starts nor ends inside
// a word, with the exact candidates and the words whose folded form or stem
// hl holds marked (overlapping marks merged). Tabs and newlines become
// spaces. "…" stands before it unless it starts the text, and after it
// unless it ends the text and !text_goes_on.
Snippet mark_snippet(Analyzer& analyzer, std::string_view text, SnippetWindow window, const Highlights& hl,
                     const std::vector<SnippetCandidate>& candidates, bool text_goes_on = false);

// The three steps over the first 256 KiB of text: a snippet of about `chars`
// code points around the best matches of hl.
Snippet make_snippet(Analyzer& analyzer, std::string_view text, const Highlights& hl, std::size_t chars);

}  // namespace xinwen
