// Near-duplicate fingerprints: a 64-bit SimHash of an article's folded terms,
// used to give syndicated and lightly edited copies one story id (the collapse
// key of searches). make_document stores it; the indexer looks stories up.
// Pure functions over values: safe from any thread.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xinwen {

struct Fingerprint {
  std::uint64_t bits = 0;
  // Too few distinct terms for a SimHash to tell stories apart: only an
  // identical fingerprint counts as the same story.
  bool exact_only = false;
};

// Copies at most this many bits apart are one story. The fingerprint is cut
// into kNearDuplicateRadius + 1 bands (of 10 or 11 bits), so two fingerprints
// within the radius share at least one band and the band terms find every
// candidate. 5 bits: a copy with another headline, a boilerplate line and a
// few words changed measured 2 to 5 bits from the original; unrelated
// articles on one topic measured 20 or more (scripts/eval/README.md).
inline constexpr int kNearDuplicateRadius = 5;
// Documents with fewer distinct terms than this are exact_only.
inline constexpr std::size_t kMinFingerprintTerms = 40;
inline constexpr int kFingerprintBands = kNearDuplicateRadius + 1;

// SimHash over the terms of doc that the default search space holds: the
// unprefixed words (title and body, already folded, so Traditional and
// Simplified copies agree) and the default space's Han n-grams, each weighted
// by 1 + log(wdf) so that a few frequent words do not decide every bit.
Fingerprint fingerprint_of(const Xapian::Document& doc);

// The stored form (value slot kSlotFingerprint): 16 hex digits, plus "=" when
// exact_only. nullopt for anything else (an empty slot).
std::string fingerprint_value(const Fingerprint& fp);
std::optional<Fingerprint> parse_fingerprint(std::string_view value);

// The value of band b (0 <= b < kFingerprintBands) of a fingerprint.
std::uint32_t fingerprint_band(std::uint64_t bits, int b);

// Whether two fingerprints are the same story.
bool same_story(const Fingerprint& a, const Fingerprint& b);

// The story id an article starts with: a hash of its id (16 hex digits).
std::string own_story_id(std::string_view article_id);

}  // namespace xinwen
