// Dates as feeds and pages write them, turned into the article's published
// time. Used by the feed parsers and the page extractor.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xinwen {

// Reads ISO 8601 / RFC 3339 ("2025-06-01T08:30:00+08:00"), RFC 822 and 1123
// as RSS writes them ("Sun, 01 Jun 2025 08:30:00 +0800", zone names such as
// GMT or EST), numeric dates with other separators ("2025/6/1 08:30",
// "2025.06.01") and Chinese ones ("2025年6月1日 08:30"). A time without a zone
// is taken as UTC. Returns "YYYY-MM-DDTHH:MM:SSZ", or nullopt if the text is
// none of these.
std::optional<std::string> parse_web_date(std::string_view text);

}  // namespace xinwen
