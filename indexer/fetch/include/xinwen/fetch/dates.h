// Dates as feeds and pages write them, turned into the article's published
// time. Used by the feed parsers, the page extractor and the sources file
// (time zone names). Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xinwen {

// What a date's source says about the dates it writes.
struct DateContext {
  // The source's language ("zh-Hans", "en", ...): "CST" is China Standard
  // Time in Chinese, US Central Standard Time otherwise.
  std::string lang;
  // An IANA zone name ("Asia/Shanghai") for dates written without a zone;
  // "" takes them as UTC.
  std::string timezone;
};

// Reads ISO 8601 / RFC 3339 ("2025-06-01T08:30:00+08:00") and W3DTF's
// reduced forms ("2003", "2003-12"), RFC 822 and 1123 as RSS writes them
// ("Sun, 01 Jun 2025 08:30:00 +0800", zone names from the table in
// indexer/FETCH.md, "GMT-01:01"), asctime, JavaScript's Date.toString ("Thu
// Aug 30 2012 10:00:00 GMT+0200 (CEST)"), numeric dates with other
// separators ("2025/6/1 08:30", "2025.06.01"), Chinese and Korean ones
// ("2025年6月1日 下午3:30", "2004-05-25 오후 11:23"). Returns
// "YYYY-MM-DDTHH:MM:SSZ", or nullopt if the text is none of these or is
// malformed ("09:xx", "+zz:00", "2013-01-27-01").
std::optional<std::string> parse_web_date(std::string_view text, const DateContext& context);

// The same with no context: English, and UTC for dates without a zone.
std::optional<std::string> parse_web_date(std::string_view text);

// True if name is a time zone ICU knows by that IANA name ("Asia/Shanghai").
bool is_known_timezone(std::string_view name);

}  // namespace xinwen
