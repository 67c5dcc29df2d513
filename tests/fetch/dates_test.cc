// parse_web_date: the dates feeds and pages write, table-driven.
#include <xinwen/fetch/dates.h>

#include <catch2/catch.hpp>

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
