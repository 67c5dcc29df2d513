// Code point offsets of UTF-8 text, as ICU steps through it (invalid bytes
// step one at a time). Private to xinwen::search: snippets and suggestions.
// A pure function.
#pragma once

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace xinwen {

// Byte offset of every code point of s, plus s.size() at the end.
inline std::vector<std::size_t> code_point_offsets(std::string_view s) {
  std::vector<std::size_t> out;
  out.reserve(s.size() + 1);
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    out.push_back(static_cast<std::size_t>(i));
    U8_FWD_1(p, i, n);
  }
  out.push_back(s.size());
  return out;
}

}  // namespace xinwen
