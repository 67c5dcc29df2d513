// Code points in UTF-8 text as the page extractor sees them: white space the
// way a browser collapses it (no-break and ideographic spaces included), CJK
// runs written without spaces, and the counts the scorer weighs. Private to
// indexer/fetch; pure functions, safe from any thread.
#pragma once

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace xinwen::extract {

// The code point at *i, advancing *i past it; a negative value for a byte
// sequence that is not UTF-8.
inline UChar32 next_char(std::string_view s, std::size_t* i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  auto pos = static_cast<int32_t>(*i);
  const auto n = static_cast<int32_t>(std::min<std::size_t>(s.size(), INT32_MAX));
  UChar32 c;
  U8_NEXT(p, pos, n, c);
  *i = static_cast<std::size_t>(pos);
  return c;
}

// The last code point of s; -1 for an empty s.
inline UChar32 last_char(std::string_view s) {
  if (s.empty()) return -1;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  auto pos = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_PREV(p, 0, pos, c);
  return c;
}

// ASCII white space, no-break space, the ideographic space, the typographic
// spaces of U+2000-U+200B, and the byte-order mark.
inline bool is_space_char(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xA0 || c == 0x3000 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0xFEFF;
}

// Characters written without spaces between them: a line break in the HTML
// source between two of them is not a word break.
inline bool is_cjk(UChar32 c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

// Code points that are not white space.
std::size_t count_chars(std::string_view s);

// Commas and sentence ends, the readability signal of running prose.
std::size_t count_clauses(std::string_view s);

// s without the leading and trailing white space is_space_char names (page
// text pads with no-break and ideographic spaces, which trim_ascii keeps).
std::string trim_unicode_space(std::string_view s);

}  // namespace xinwen::extract
