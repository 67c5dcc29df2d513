// Calendar arithmetic on std::chrono's civil calendar (proleptic Gregorian,
// UTC): the article's published time, date-range queries, feed dates and log
// stamps all use these, so that there is one notion of a day. Pure functions,
// safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace xinwen {

// Days in month m (1-12) of year y; 0 if m is out of range.
inline unsigned days_in_month(int y, unsigned m) {
  if (m < 1 || m > 12) return 0;
  using namespace std::chrono;
  return static_cast<unsigned>((year{y} / month{m} / last).day());
}

// Seconds since 1970-01-01T00:00:00Z of a civil date and time of day; nullopt
// if the date does not exist (2025-02-30) or a field is out of range.
std::optional<std::int64_t> unix_seconds(int y, unsigned m, unsigned d, int hour = 0, int minute = 0, int second = 0);

// "YYYY-MM-DDTHH:MM:SSZ" of seconds since the epoch; nullopt outside the
// years 0000-9999, which the value slots cannot sort.
std::optional<std::string> iso8601_utc(std::int64_t unix_seconds);

// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string now_iso8601();

}  // namespace xinwen
