// Term folding shared by documents and queries: NFKC with case folding, then
// Traditional-to-Simplified for Han characters, one character at a time (so
// the fold of a substring is a substring of the fold). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace xinwen {

// Folds one term. Input need not be valid UTF-8 (bad bytes become U+FFFD);
// the output always is.
std::string fold_term(std::string_view utf8);

// Traditional-to-Simplified for one code point; other code points unchanged.
char32_t fold_han(char32_t c);

// True for code points of the Han script (ideographs, compatibility ideographs).
bool is_han(char32_t c);

// Appends c to out as UTF-8.
void append_utf8(std::string& out, char32_t c);

}  // namespace xinwen
