#include <xinwen/calendar.h>

#include <cstdio>

namespace xinwen {

using namespace std::chrono;

std::optional<std::int64_t> unix_seconds(int y, unsigned m, unsigned d, int hour, int minute, int second) {
  const year_month_day date{year{y}, month{m}, day{d}};
  if (!date.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return std::nullopt;
  const std::int64_t days = sys_days(date).time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::optional<std::string> iso8601_utc(std::int64_t t) {
  const sys_seconds tp{seconds{t}};
  const sys_days day = floor<days>(tp);
  const year_month_day date{day};
  const int y = static_cast<int>(date.year());
  if (y < 0 || y > 9999) return std::nullopt;
  const hh_mm_ss time{tp - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return std::string(buf);
}

std::string now_iso8601() {
  return *iso8601_utc(duration_cast<seconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace xinwen
