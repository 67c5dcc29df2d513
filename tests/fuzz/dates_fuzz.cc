// Fuzzes the date parsers: web dates (feeds, pages), ISO times (the input
// contract) and query date ranges. A date either side of ".." in the input
// goes to QueryBuilder::date_range; a parsed date must be well formed.
#include <xinwen/article.h>
#include <xinwen/errors.h>
#include <xinwen/fetch/dates.h>
#include <xinwen/query.h>
#include <cstdlib>
#include <string>

#include "fuzz_util.h"

namespace {

// "YYYY-MM-DDTHH:MM:SSZ"
void check_time(const std::optional<std::string>& time) {
  if (time && (time->size() != 20 || (*time)[4] != '-' || (*time)[10] != 'T' || time->back() != 'Z')) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = xinwen::fuzz::as_text(data, size);
  check_time(xinwen::parse_web_date(text));
  check_time(xinwen::normalize_time(text));
  const auto dots = text.find("..");
  const auto from = text.substr(0, dots);
  const auto to = dots == std::string_view::npos ? std::string_view{} : text.substr(dots + 2);
  try {
    xinwen::QueryBuilder::date_range(from, to).get_description();
    xinwen::QueryBuilder::date_range(from, to, {"2020-01-01T00:00:00Z", "2025-12-31T23:59:59Z"}).get_description();
  } catch (const xinwen::UsageError&) {
  }
  return 0;
}
