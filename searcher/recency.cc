#include <xinwen/recency.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include <xinwen/calendar.h>
#include <xinwen/schema.h>

namespace xinwen {
namespace {

// Digits [pos, pos + n) of text as a number, or -1.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + n, v);
  if (ec != std::errc() || end != text.data() + pos + n || v < 0) return -1;
  return v;
}

}  // namespace

std::optional<std::int64_t> parse_published(std::string_view t) {
  if (t.size() != 10 && t.size() != 20) return std::nullopt;
  if (t[4] != '-' || t[7] != '-') return std::nullopt;
  int y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
  int h = 0, mi = 0, s = 0;
  if (t.size() == 20) {
    if (t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') return std::nullopt;
    h = digits(t, 11, 2), mi = digits(t, 14, 2), s = digits(t, 17, 2);
  }
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return std::nullopt;
  return unix_seconds(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, s);
}

double recency_weight(std::int64_t published, std::int64_t reference, double halflife_days, double max_boost) {
  double age_days = static_cast<double>(reference - published) / 86400.0;
  if (age_days <= 0) return max_boost;
  return max_boost * std::exp2(-age_days / halflife_days);
}

std::map<std::string, double> recency_month_weights(std::string_view first, std::string_view last,
                                                    std::int64_t reference, double halflife_days, double max_boost) {
  std::map<std::string, double> out;
  if (first.size() < 7 || last.size() < 7 || first[4] != '-' || last[4] != '-') return out;
  const int first_y = digits(first, 0, 4), first_m = digits(first, 5, 2);
  int y = digits(last, 0, 4), m = digits(last, 5, 2);
  if (first_y < 0 || first_m < 1 || first_m > 12 || y < 0 || m < 1 || m > 12) return out;
  // Newest month first; the table is built for every query, so it stops
  // where the weights no longer count (kRecencyNegligible).
  for (; y > first_y || (y == first_y && m >= first_m); m == 1 ? (m = 12, --y) : --m) {
    const auto um = static_cast<unsigned>(m);
    const std::optional<std::int64_t> start = unix_seconds(y, um, 1);
    if (!start) break;
    // The middle of the month: its first second plus half its length.
    const std::int64_t middle = *start + static_cast<std::int64_t>(days_in_month(y, um)) * 86400 / 2;
    const double weight = recency_weight(middle, reference, halflife_days, max_boost);
    if (weight < max_boost * kRecencyNegligible) break;
    char key[16];
    std::snprintf(key, sizeof key, "%04d-%02d", y, m);
    out.emplace(key, weight);
  }
  return out;
}

Xapian::Query recency_query(std::string_view first, std::string_view last, std::int64_t reference, double halflife_days,
                            double max_boost) {
  const std::map<std::string, double> weights = recency_month_weights(first, last, reference, halflife_days, max_boost);
  if (weights.empty()) return Xapian::Query::MatchNothing;
  auto* source = new Xapian::ValueMapPostingSource(kSlotMonth);
  for (const auto& [month, weight] : weights) source->add_mapping(month, weight);
  source->set_default_weight(0);
  return Xapian::Query(source->release());
}

}  // namespace xinwen
