// Build-time generator: writes the Traditional-to-Simplified character table
// that the analyzer folds Han terms with.
//
// The mapping comes from ICU's "Traditional-Simplified" transform, applied to
// each Han code point on its own. Folding one character at a time (never
// phrase by phrase) keeps folding compatible with substrings: the fold of a
// substring is always the substring of the fold, which n-gram recall needs.
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <cstdio>
#include <memory>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT.inc\n", argv[0]);
    return 2;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t2s(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "gen_t2s_table: ICU transform unavailable: %s\n", u_errorName(status));
    return 1;
  }
  std::FILE* out = std::fopen(argv[1], "w");
  if (!out) {
    std::perror(argv[1]);
    return 1;
  }
  std::fprintf(out, "// Generated at build time from ICU's Traditional-Simplified transform.\n");
  const UChar32 ranges[][2] = {{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2FA1F}};
  int count = 0;
  for (const auto& range : ranges) {
    for (UChar32 c = range[0]; c <= range[1]; ++c) {
      if (u_getIntPropertyValue(c, UCHAR_SCRIPT) != USCRIPT_HAN) continue;
      icu::UnicodeString s(c);
      t2s->transliterate(s);
      if (s.countChar32() != 1) continue;
      UChar32 to = s.char32At(0);
      if (to == c) continue;
      std::fprintf(out, "{0x%X, 0x%X},\n", static_cast<unsigned>(c), static_cast<unsigned>(to));
      ++count;
    }
  }
  std::fclose(out);
  std::fprintf(stderr, "gen_t2s_table: %d mappings\n", count);
  return 0;
}
