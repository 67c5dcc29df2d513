#include <xinwen/recency.h>

#include <charconv>
#include <cmath>
#include <cstdint>

#include <xinwen/calendar.h>

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

RecencyPostingSource::RecencyPostingSource(Xapian::valueno slot, std::int64_t reference, double halflife_days,
                                           double max_boost)
    : Xapian::ValuePostingSource(slot), reference_(reference), halflife_days_(halflife_days), max_boost_(max_boost) {}

void RecencyPostingSource::init(const Xapian::Database& db) {
  Xapian::ValuePostingSource::init(db);
  // Each sub-database gets its own clone and init; the reference stays the
  // one the searcher chose for the whole database, so shards rank alike.
  set_maxweight(max_boost_);
}

double RecencyPostingSource::get_weight() const {
  std::optional<std::int64_t> t = parse_published(get_value());
  return t ? recency_weight(*t, reference_, halflife_days_, max_boost_) : 0.0;
}

RecencyPostingSource* RecencyPostingSource::clone() const {
  return new RecencyPostingSource(get_slot(), reference_, halflife_days_, max_boost_);
}

std::string RecencyPostingSource::name() const { return "xinwen::RecencyPostingSource"; }

// Text, space-separated: slot, reference seconds, half-life, maximum; doubles
// in the shortest form that reads back exactly.
std::string RecencyPostingSource::serialise() const {
  std::string out;
  auto put = [&](auto v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    if (!out.empty()) out += ' ';
    out.append(buf, end);
  };
  put(get_slot());
  put(reference_);
  put(halflife_days_);
  put(max_boost_);
  return out;
}

RecencyPostingSource* RecencyPostingSource::unserialise_with_registry(const std::string& s,
                                                                      const Xapian::Registry&) const {
  Xapian::valueno slot = 0;
  std::int64_t reference = 0;
  double halflife = 0, max_boost = 0;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  auto get = [&](auto& v) {
    auto [q, ec] = std::from_chars(p, end, v);
    if (ec != std::errc()) throw Xapian::SerialisationError("bad serialised RecencyPostingSource");
    p = q < end && *q == ' ' ? q + 1 : q;
  };
  get(slot);
  get(reference);
  get(halflife);
  get(max_boost);
  if (p != end || !(halflife > 0)) throw Xapian::SerialisationError("bad serialised RecencyPostingSource");
  return new RecencyPostingSource(slot, reference, halflife, max_boost);
}

std::string RecencyPostingSource::get_description() const { return "RecencyPostingSource(" + serialise() + ")"; }

}  // namespace xinwen
