#include <xinwen/ascii.h>
#include <xinwen/fold.h>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace xinwen {
namespace {

struct T2SPair {
  char32_t from, to;
};
constexpr T2SPair kT2S[] = {
#include "t2s_table.inc"
};

// Dense table for the BMP ideograph blocks, where nearly all hits fall; the
// generated pairs are sorted, so other planes use binary search.
constexpr char32_t kDenseLo = 0x3400, kDenseHi = 0x9FFF;

struct DenseT2S {
  std::vector<char32_t> map;
  DenseT2S() : map(kDenseHi - kDenseLo + 1, 0) {
    for (const T2SPair& p : kT2S)
      if (p.from >= kDenseLo && p.from <= kDenseHi) map[p.from - kDenseLo] = p.to;
  }
};

const DenseT2S& dense() {
  static const DenseT2S table;
  return table;
}

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* inst = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? inst : nullptr;
  }();
  return *n;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

bool is_han(char32_t c) {
  if (c >= 0x4E00 && c <= 0x9FFF) return true;
  if (c < 0x2E80) return false;
  return u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_SCRIPT) == USCRIPT_HAN;
}

char32_t fold_han(char32_t c) {
  if (c >= kDenseLo && c <= kDenseHi) {
    char32_t to = dense().map[c - kDenseLo];
    return to ? to : c;
  }
  if (c < 0xF900) return c;
  auto it =
      std::lower_bound(std::begin(kT2S), std::end(kT2S), c, [](const T2SPair& p, char32_t v) { return p.from < v; });
  return (it != std::end(kT2S) && it->from == c) ? it->to : c;
}

void append_utf8(std::string& out, char32_t c) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, static_cast<UChar32>(c), error);
  if (error) {
    out += "\xEF\xBF\xBD";
    return;
  }
  out.append(buf, static_cast<std::size_t>(len));
}

std::string fold_term(std::string_view utf8) {
  if (is_ascii(utf8)) {
    return lower_ascii(utf8);
  }
  // Fast path: text that is all BMP ideographs is unchanged by NFKC casefold.
  std::string out;
  out.reserve(utf8.size());
  bool all_ideographs = true;
  {
    int32_t i = 0, n = static_cast<int32_t>(utf8.size());
    const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
    while (i < n) {
      UChar32 c;
      U8_NEXT(s, i, n, c);
      if (c < 0x4E00 || c > 0x9FFF) {
        all_ideographs = false;
        break;
      }
      append_utf8(out, fold_han(static_cast<char32_t>(c)));
    }
  }
  if (all_ideographs) return out;

  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = nfkc_casefold().normalize(text, status);
  if (U_FAILURE(status)) folded = text;
  out.clear();
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    append_utf8(out, fold_han(static_cast<char32_t>(c)));
  }
  return out;
}

}  // namespace xinwen
