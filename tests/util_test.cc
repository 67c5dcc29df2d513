// The shared helpers of xinwen::core: ASCII text, the calendar, the bounded
// queue and the reopen-and-retry rule.
#include <xapian.h>

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include <xinwen/ascii.h>
#include <xinwen/bounded_queue.h>
#include <xinwen/calendar.h>
#include <xinwen/db.h>

using namespace xinwen;

TEST_CASE("ASCII helpers touch only ASCII letters and white space", "[util]") {
  CHECK(lower_ascii("Content-Type: TEXT/Html") == "content-type: text/html");
  CHECK(lower_ascii("ÄÖ輝達") == "ÄÖ輝達");  // bytes outside ASCII are left alone
  CHECK(trim_ascii(" \t\r\n\f\vutf-8 \n") == "utf-8");
  CHECK(trim_ascii("   ").empty());
  CHECK(trim_ascii("\xE3\x80\x80x") == "\xE3\x80\x80x");  // U+3000 is not ASCII space
  CHECK(iequals_ascii("GBK", "gbk"));
  CHECK_FALSE(iequals_ascii("gbk", "gb"));
}

TEST_CASE("the calendar knows month lengths and leap years", "[util]") {
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(2025, 2) == 28);
  CHECK(days_in_month(1900, 2) == 28);
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(2025, 4) == 30);
  CHECK(days_in_month(2025, 12) == 31);
  CHECK(days_in_month(2025, 13) == 0);
  CHECK(days_in_month(2025, 0) == 0);
}

TEST_CASE("civil times convert to epoch seconds and back", "[util]") {
  CHECK(unix_seconds(1970, 1, 1) == 0);
  CHECK(unix_seconds(2025, 6, 1, 8, 30, 0) == 1748766600);
  CHECK(unix_seconds(1969, 12, 31, 23, 59, 59) == -1);
  CHECK_FALSE(unix_seconds(2025, 2, 29));
  CHECK_FALSE(unix_seconds(2025, 6, 1, 24, 0, 0));
  CHECK_FALSE(unix_seconds(2025, 6, 1, 0, 60, 0));
  CHECK(iso8601_utc(1748766600) == "2025-06-01T08:30:00Z");
  CHECK(iso8601_utc(-1) == "1969-12-31T23:59:59Z");
  CHECK(iso8601_utc(*unix_seconds(9999, 12, 31, 23, 59, 59)) == "9999-12-31T23:59:59Z");
  CHECK_FALSE(iso8601_utc(*unix_seconds(9999, 12, 31, 23, 59, 59) + 1));
  const std::string now = now_iso8601();
  CHECK(now.size() == 20);
  CHECK(now.back() == 'Z');
  CHECK(now >= "2025-01-01");
}

TEST_CASE("a bounded queue hands items over in order and drains after close", "[util]") {
  BoundedQueue<int> q(4);
  std::vector<int> got;
  std::thread consumer([&] {
    while (std::optional<int> v = q.pop()) got.push_back(*v);
  });
  for (int i = 0; i < 1000; ++i) REQUIRE(q.push(i));  // 250 times the capacity: producers wait
  q.close();
  consumer.join();
  REQUIRE(got.size() == 1000);
  for (int i = 0; i < 1000; ++i) CHECK(got[static_cast<std::size_t>(i)] == i);
  CHECK_FALSE(q.push(1));  // closed
}

TEST_CASE("a full bounded queue refuses try_push; an aborted one refuses push", "[util]") {
  BoundedQueue<int> q(2);
  CHECK(q.try_push(1));
  CHECK(q.try_push(2));
  CHECK_FALSE(q.try_push(3));
  CHECK(q.size() == 2);
  CHECK(q.pop() == 1);
  CHECK(q.try_push(3));
  // A producer waiting on a full queue is released when a consumer fails.
  std::thread producer([&] { CHECK_FALSE(q.push(4)); });
  q.abort();
  producer.join();
  CHECK(q.size() == 0);
  CHECK_FALSE(q.pop());
}

namespace {

// Stands in for a Xapian::Database that a writer overtakes `failures` times.
struct OvertakenDb {
  int failures = 0;
  int reopens = 0;
  void reopen() { ++reopens; }
};

}  // namespace

TEST_CASE("with_reopen_retry reopens after DatabaseModifiedError and tries again", "[util]") {
  OvertakenDb db{2};
  int calls = 0;
  int r = with_reopen_retry(db, [&](OvertakenDb& d) {
    ++calls;
    if (d.failures-- > 0) throw Xapian::DatabaseModifiedError("overtaken");
    return 42;
  });
  CHECK(r == 42);
  CHECK(calls == 3);
  CHECK(db.reopens == 2);

  OvertakenDb hopeless{100};
  CHECK_THROWS_AS(with_reopen_retry(
                      hopeless,
                      [](OvertakenDb& d) -> int {
                        if (d.failures-- > 0) throw Xapian::DatabaseModifiedError("overtaken");
                        return 0;
                      },
                      3),
                  Xapian::DatabaseModifiedError);
  CHECK(hopeless.reopens == 3);
}
