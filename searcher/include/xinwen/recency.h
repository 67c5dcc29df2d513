// Freshness: a weight for each month of the database's span,
// max_boost * 2^(-age_days / halflife_days) of the month's middle, given to a
// dated article through a Xapian value-map posting source on the month slot.
// The Searcher adds it to the ranked query; tests use it directly. The
// functions are pure and thread-safe.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
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

// Months whose weight is below this share of the maximum are left out of the
// table (their articles gain nothing): a few nanoseconds of score, and a
// table of a few dozen months instead of every month of an archive.
inline constexpr double kRecencyNegligible = 1e-6;

// The weight of each month ("YYYY-MM") from first to last, inclusive (both
// "YYYY-MM..." strings; an unparseable one gives an empty map):
// recency_weight of the month's middle; months below kRecencyNegligible
// (and all before them) are left out. Months are the unit of freshness so
// that it can be a built-in Xapian posting source (recency_query), which
// every backend, the remote one included, evaluates alike.
std::map<std::string, double> recency_month_weights(std::string_view first, std::string_view last,
                                                    std::int64_t reference, double halflife_days, double max_boost);

// A query that matches the documents with a month in kSlotMonth between
// first and last and weighs each by recency_month_weights: a
// Xapian::ValueMapPostingSource, which xapian-tcpsrv can unserialise (a
// posting source of our own could not be, not being registered there).
// Undated documents are not matched, so joined with OP_AND_MAYBE they gain
// nothing. MatchNothing when the span is empty or unparseable.
Xapian::Query recency_query(std::string_view first, std::string_view last, std::int64_t reference, double halflife_days,
                            double max_boost);

}  // namespace xinwen
