#include <xinwen/fingerprint.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xinwen/schema.h>

namespace xinwen {
namespace {

// FNV-1a spreads short strings poorly over the high bits; a splitmix64
// finish makes every bit of the feature hash a fair coin.
std::uint64_t feature_hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

bool in_default_space(const std::string& term) {
  if (term.empty()) return false;
  // XC + n-gram; the title's XTC and the author's XAC start differently.
  if (term.compare(0, kDefaultNgramPrefix.size(), kDefaultNgramPrefix) == 0)
    return term.size() > kDefaultNgramPrefix.size();
  // Prefixes are upper-case ASCII; words are folded to lower case.
  unsigned char c = static_cast<unsigned char>(term[0]);
  return !(c >= 'A' && c <= 'Z');
}

}  // namespace

Fingerprint fingerprint_of(const Xapian::Document& doc) {
  // Copies often carry their own headline: the title's share of each
  // default-space term (same weight in both spaces) is taken off, so the
  // body decides.
  const Field* title = field_by_name("title");
  // One pass over the termlist: the default space's terms, and the title's
  // own words and n-grams keyed by the default-space term they repeat.
  std::vector<std::pair<std::string, Xapian::termcount>> terms;
  std::unordered_map<std::string, Xapian::termcount> in_title;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    std::string term = *it;
    if (in_default_space(term)) {
      terms.emplace_back(std::move(term), it.get_wdf());
    } else if (title && term.size() > title->ngram_prefix.size() && term.starts_with(title->ngram_prefix)) {
      in_title[std::string(kDefaultNgramPrefix) + term.substr(title->ngram_prefix.size())] = it.get_wdf();
    } else if (title && term.size() > title->prefix.size() && term.starts_with(title->prefix) &&
               !(term[title->prefix.size()] >= 'A' && term[title->prefix.size()] <= 'Z')) {
      in_title[term.substr(title->prefix.size())] = it.get_wdf();
    }
  }
  std::vector<std::pair<std::string_view, double>> body, whole;
  for (const auto& [term, wdf] : terms) {
    auto t = in_title.find(term);
    const Xapian::termcount title_wdf = t == in_title.end() ? 0 : t->second;
    whole.emplace_back(term, static_cast<double>(std::max<Xapian::termcount>(wdf, 1)));
    if (wdf > title_wdf) body.emplace_back(term, static_cast<double>(wdf - title_wdf));
  }
  // A body that is only a boilerplate line ("点击查看原文") would make
  // every such article one story: too short a body uses the title too.
  const auto& features = body.size() >= kMinFingerprintTerms ? body : whole;
  // Bit b of the SimHash is set when the terms whose hash has bit b weigh
  // more than those without it. Each term adds its weight to one tally per
  // byte of its hash (8 additions, not 64); the tallies then give the weight
  // behind each bit.
  std::array<std::array<double, 256>, 8> tally{};
  double total = 0;
  for (const auto& [term, wdf] : features) {
    const double w = 1.0 + std::log(wdf);
    const std::uint64_t h = feature_hash(term);
    total += w;
    for (int i = 0; i < 8; ++i) tally[static_cast<std::size_t>(i)][(h >> (8 * i)) & 0xff] += w;
  }
  std::array<double, 64> set{};
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t v = 1; v < 256; ++v)
      if (tally[i][v] != 0)
        for (std::size_t k = 0; k < 8; ++k)
          if (v >> k & 1) set[8 * i + k] += tally[i][v];
  Fingerprint fp;
  for (std::size_t b = 0; b < 64; ++b)
    if (2 * set[b] > total) fp.bits |= std::uint64_t{1} << b;
  fp.exact_only = features.size() < kMinFingerprintTerms;
  return fp;
}

std::string fingerprint_value(const Fingerprint& fp) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fp.bits));
  std::string out(buf);
  if (fp.exact_only) out += '=';
  return out;
}

std::optional<Fingerprint> parse_fingerprint(std::string_view value) {
  Fingerprint fp;
  if (value.size() == 17 && value[16] == '=') {
    fp.exact_only = true;
    value.remove_suffix(1);
  }
  if (value.size() != 16) return std::nullopt;
  for (char c : value) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    fp.bits = fp.bits << 4 | static_cast<std::uint64_t>(d);
  }
  return fp;
}

std::uint32_t fingerprint_band(std::uint64_t bits, int b) {
  const int from = 64 * b / kFingerprintBands, to = 64 * (b + 1) / kFingerprintBands;
  return static_cast<std::uint32_t>((bits >> from) & ((std::uint64_t{1} << (to - from)) - 1));
}

bool same_story(const Fingerprint& a, const Fingerprint& b) {
  const int distance = std::popcount(a.bits ^ b.bits);
  if (a.exact_only || b.exact_only) return distance == 0 && a.exact_only == b.exact_only;
  return distance <= kNearDuplicateRadius;
}

std::string own_story_id(std::string_view article_id) { return hash_hex(article_id); }

}  // namespace xinwen
