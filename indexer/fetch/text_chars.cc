#include "text_chars.h"

namespace xinwen::extract {

std::size_t count_chars(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();)
    if (!is_space_char(next_char(s, &i))) ++n;
  return n;
}

std::size_t count_clauses(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    UChar32 c = next_char(s, &i);
    if (c == ',' || c == ';' || c == 0xFF0C || c == 0x3001 || c == 0x3002 || c == 0xFF1B) ++n;
  }
  return n;
}

std::string trim_unicode_space(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    std::size_t i = b;
    if (!is_space_char(next_char(s, &i))) break;
    b = i;
  }
  std::string_view rest = s.substr(b);
  while (!rest.empty()) {
    UChar32 c = last_char(rest);
    if (!is_space_char(c)) break;
    rest.remove_suffix(static_cast<std::size_t>(U8_LENGTH(c < 0 ? 0xFFFD : c)));
  }
  return std::string(rest);
}

}  // namespace xinwen::extract
