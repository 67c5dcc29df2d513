// parse_web_date: the dates feeds and pages write, table-driven.
#include <xinwen/fetch/dates.h>

#include <catch2/catch.hpp>
#include <vector>

using xinwen::parse_web_date;

TEST_CASE("dates as feeds and pages write them", "[fetch][dates]") {
  struct Case {
    const char* text;
    const char* expected;  // nullptr: not a date
  };
  const Case cases[] = {
      {"2025-06-01T08:30:00+08:00", "2025-06-01T00:30:00Z"},
      {"2025-06-01T08:30:00.123Z", "2025-06-01T08:30:00Z"},
      {"2025-06-01", "2025-06-01T00:00:00Z"},
      {"2025-06-01 08:30:00 +0800", "2025-06-01T00:30:00Z"},
      {"Sun, 01 Jun 2025 08:30:00 +0800", "2025-06-01T00:30:00Z"},
      {"Sun, 1 Jun 2025 08:30:00 GMT", "2025-06-01T08:30:00Z"},
      {"01 Jun 2025 08:30 EST", "2025-06-01T13:30:00Z"},
      {"Mon, 02 June 2025 23:59:59 -0700", "2025-06-03T06:59:59Z"},
      {"Tue, 03 Jun 25 10:00:00 UT", "2025-06-03T10:00:00Z"},
      {"Sun, 01 Jun 2025 08:30:00 XYZ", "2025-06-01T08:30:00Z"},
      {"2025/6/1 8:05", "2025-06-01T08:05:00Z"},
      {"2025.06.01", "2025-06-01T00:00:00Z"},
      {"2025年6月1日 08:30", "2025-06-01T08:30:00Z"},
      {"2025年06月01日08时30分", "2025-06-01T08:30:00Z"},
      {"2025-06-01 8:30 pm", "2025-06-01T20:30:00Z"},
      {"  2025-06-01T08:30:00Z\n", "2025-06-01T08:30:00Z"},
      {"", nullptr},
      {"yesterday", nullptr},
      {"2025-13-01", nullptr},
      {"Sun, 31 Feb 2025 00:00:00 GMT", nullptr},
      {"99999999999999999999 Jun 2025", nullptr},
      {"12 hours ago", nullptr},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto got = parse_web_date(c.text);
    if (c.expected) {
      REQUIRE(got);
      CHECK(*got == c.expected);
    } else {
      CHECK_FALSE(got);
    }
  }
}

namespace {

struct ContextCase {
  const char* text;
  const char* expected;  // nullptr: rejected
};

void check_all(const std::vector<ContextCase>& cases, const xinwen::DateContext& context) {
  for (const ContextCase& c : cases) {
    INFO(c.text << " (lang \"" << context.lang << "\", timezone \"" << context.timezone << "\")");
    auto got = parse_web_date(c.text, context);
    if (c.expected) {
      REQUIRE(got);
      CHECK(*got == c.expected);
    } else {
      CHECK_FALSE(got);
    }
  }
}

}  // namespace

TEST_CASE("zone names follow news usage", "[fetch][dates]") {
  check_all({{"Sun, 01 Jun 2025 08:30:00 MET", "2025-06-01T07:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 MEST", "2025-06-01T06:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 AT", "2025-06-01T12:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 ET", "2025-06-01T13:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 CT", "2025-06-01T14:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 MT", "2025-06-01T15:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 PT", "2025-06-01T16:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 ADT", "2025-06-01T11:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 EDT", "2025-06-01T12:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 HKT", "2025-06-01T00:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 GMT-01:01", "2025-06-01T09:31:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 GMT+0800", "2025-06-01T00:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00 CST", "2025-06-01T14:30:00Z"}},
            {});
}

TEST_CASE("CST is China Standard Time for Chinese sources", "[fetch][dates]") {
  check_all(
      {{"Sun, 01 Jun 2025 08:30:00 CST", "2025-06-01T00:30:00Z"}, {"2025-06-01 08:30:00 CST", "2025-06-01T00:30:00Z"}},
      {"zh-Hans", ""});
  check_all({{"Sun, 01 Jun 2025 08:30:00 CST", "2025-06-01T00:30:00Z"}}, {"zh-TW", ""});
  check_all({{"Sun, 01 Jun 2025 08:30:00 CST", "2025-06-01T14:30:00Z"}}, {"en-US", ""});
}

TEST_CASE("Korean and Chinese a.m. and p.m.", "[fetch][dates]") {
  check_all({{"2004-05-25 \uc624\ud6c4 11:23:17", "2004-05-25T23:23:17Z"},
             {"2004-05-25 \uc624\uc804 11:23", "2004-05-25T11:23:00Z"},
             {"2025\u5e746\u67081\u65e5 \u4e0b\u53483:05", "2025-06-01T15:05:00Z"}},
            {});
}

TEST_CASE("asctime, JavaScript's Date.toString and W3DTF's reduced forms", "[fetch][dates]") {
  check_all({{"Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z"},
             {"Sun Jan  4 16:29:06 PST 2004", "2004-01-05T00:29:06Z"},
             {"Thu Aug 30 2012 10:00:00 GMT+0200 (CEST)", "2012-08-30T08:00:00Z"},
             {"Thu Aug 30 2012 10:00:00 GMT-0700 (Pacific Daylight Time)", "2012-08-30T17:00:00Z"},
             {"2003", "2003-01-01T00:00:00Z"},
             {"2003-12", "2003-12-01T00:00:00Z"},
             {"2003-12-31T10:14:55.1234-08:00", "2003-12-31T18:14:55Z"}},
            {});
}

TEST_CASE("malformed dates are rejected, not half read", "[fetch][dates]") {
  check_all({{"Sun, 01 Jun 2025 09:xx GMT", nullptr},
             {"2003-12-31T10:14:55+zz:00", nullptr},
             {"2013-01-27-01", nullptr},
             {"2025-06-01T25:00:00Z", nullptr},
             {"Sun, 01 Jun 2025 08:30:00 +0800 extra", nullptr},
             {"2003-13", nullptr},
             {"Sun, 01 Jun 2025 08:30:00 EST+05", nullptr}},
            {});
}

TEST_CASE("a source's time zone applies to dates written without one", "[fetch][dates]") {
  check_all({{"2025-06-01 08:30", "2025-06-01T00:30:00Z"},
             {"2025年6月1日 08:30", "2025-06-01T00:30:00Z"},
             {"Sun, 01 Jun 2025 08:30:00", "2025-06-01T00:30:00Z"},
             {"2025-06-01T08:30:00Z", "2025-06-01T08:30:00Z"},  // a zone written wins
             {"Sun, 01 Jun 2025 08:30:00 +0100", "2025-06-01T07:30:00Z"}},
            {"", "Asia/Shanghai"});
  // Daylight saving time comes from the zone's rules.
  check_all({{"2025-07-01 12:00", "2025-07-01T16:00:00Z"}, {"2025-01-15 12:00", "2025-01-15T17:00:00Z"}},
            {"", "America/New_York"});
  CHECK(xinwen::is_known_timezone("Asia/Shanghai"));
  CHECK(xinwen::is_known_timezone("Europe/London"));
  CHECK_FALSE(xinwen::is_known_timezone("Mars/Olympus_Mons"));
  CHECK_FALSE(xinwen::is_known_timezone(""));
}
