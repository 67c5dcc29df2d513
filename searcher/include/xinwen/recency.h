// Freshness: a Xapian posting source on the published-time slot that gives a
// dated article max_boost * 2^(-age_days / halflife_days). The Searcher adds it
// to the ranked query; tests use it directly. A source is used by one matcher
// at a time (Xapian clones it per sub-database); the free functions are pure.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xinwen {

// The recency weight of the search box and the CLI when a request does not
// say otherwise (README, searcher/API.md): a half-life of 90 days and at most
// 0.5, a fraction of one rare word's BM25 weight, so that recency orders
// near-ties and never outweighs a clearly better match.
inline constexpr double kDefaultRecencyHalflifeDays = 90;
inline constexpr double kRecencyMaxBoost = 0.5;

// Seconds since the epoch of "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (the
// kSlotPublished form); nullopt for anything else.
std::optional<std::int64_t> parse_published(std::string_view text);

// max_boost * 2^(-age / halflife); an article newer than the reference gets
// max_boost. halflife_days must be above 0.
double recency_weight(std::int64_t published, std::int64_t reference, double halflife_days, double max_boost);

// Matches the documents that have a parseable value in slot, weighted by
// recency_weight. Undated documents are not matched (they get no boost when
// the source is joined with OP_AND_MAYBE). Serialisable, so it also works
// over the remote backend once registered (Xapian::Registry::register_posting_source).
class RecencyPostingSource : public Xapian::ValuePostingSource {
 public:
  RecencyPostingSource(Xapian::valueno slot, std::int64_t reference, double halflife_days, double max_boost);

  double get_weight() const override;
  RecencyPostingSource* clone() const override;
  std::string name() const override;
  std::string serialise() const override;
  RecencyPostingSource* unserialise_with_registry(const std::string& serialised,
                                                  const Xapian::Registry& registry) const override;
  void init(const Xapian::Database& db) override;
  std::string get_description() const override;

 private:
  std::int64_t reference_;
  double halflife_days_, max_boost_;
};

}  // namespace xinwen
