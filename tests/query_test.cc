// The query language: syntax, errors, limits and how text becomes terms.
#include <catch2/catch.hpp>

#include <xinwen/errors.h>
#include <xinwen/query.h>

using namespace xinwen;

namespace {
std::string describe(QueryBuilder& b, const std::string& q) { return b.parse(q).query.get_description(); }
std::string describe(const Xapian::Query& q) { return q.get_description(); }
}  // namespace

TEST_CASE("syntax errors are UsageErrors with a position", "[query]") {
  QueryBuilder b;
  for (const char* bad : {"nvidia AND", "OR chips", "(nvidia chips", "nvidia)", "title:", "", "   ", "a AND OR b",
                          "2025-13-01..2025-14-01"}) {
    INFO(bad);
    CHECK_THROWS_AS(b.parse(bad), UsageError);
  }
  try {
    b.parse("nvidia AND");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("column") != std::string::npos);
  }
}

TEST_CASE("hostile queries hit the limits, not the machine", "[query]") {
  QueryLimits limits;
  QueryBuilder b(limits);
  CHECK_THROWS_AS(b.parse(std::string(limits.max_bytes + 1, 'a')), UsageError);
  CHECK_THROWS_AS(b.parse(std::string(limits.max_depth + 1, '(') + "a" + std::string(limits.max_depth + 1, ')')),
                  UsageError);
  std::string many;
  for (std::size_t i = 0; i <= limits.max_items; ++i) many += "w" + std::to_string(i) + " ";
  CHECK_THROWS_AS(b.parse(many), UsageError);
  // Control characters and bad UTF-8 are not syntax errors.
  CHECK_NOTHROW(b.parse("nvidia\x01\xFF chips"));
}

TEST_CASE("mixed-script queries parse (no 'x 我 y' failure)", "[query]") {
  QueryBuilder b;
  std::string d = describe(b, "x 我 y");
  CHECK(d.find("XC我") != std::string::npos);
  d = describe(b, "DeepSeek 银行 banks");
  CHECK(d.find("Zdeepseek") != std::string::npos);
  CHECK(d.find("XC银行") != std::string::npos);
  CHECK(d.find("Zbank") != std::string::npos);
  // Without spaces too.
  d = describe(b, "DeepSeek银行banks");
  CHECK(d.find("XC银行") != std::string::npos);
  CHECK(d.find("Zbank") != std::string::npos);
}

TEST_CASE("Han text matches by n-grams in folded script, boosted by words", "[query]") {
  QueryBuilder b;
  std::string d = describe(b, "達創");
  CHECK(d.find("XC达创") != std::string::npos);
  d = describe(b, "輝達創下");
  for (const char* t : {"XC辉达", "XC达创", "XC创下"}) CHECK(d.find(t) != std::string::npos);
  // Two-character words are among the bigrams already: nothing is added.
  CHECK(d.find("AND_MAYBE") == std::string::npos);
  // A longer word is a term of its own, which adds weight where it stands.
  d = describe(b, "阿里巴巴");
  CHECK(d.find("XC阿里") != std::string::npos);
  CHECK(d.find("AND_MAYBE") != std::string::npos);
  CHECK(d.find(" 阿里巴巴") != std::string::npos);
  CHECK(d.find("XC") != std::string::npos);
  d = describe(b, "title:輝達");
  CHECK(d.find("XTC辉达") != std::string::npos);
}

TEST_CASE("fields, filters, phrases, wildcards and ranges", "[query]") {
  QueryBuilder b;
  CHECK(describe(b, "title:nvidia").find("ZSnvidia") != std::string::npos);
  CHECK(describe(b, "source:\"Harbour Ledger\" chips").find("XSRCharbour ledger") != std::string::npos);
  CHECK(describe(b, "lang:zh chips").find("Lzh") != std::string::npos);
  CHECK(describe(b, "tag:Banking chips").find("Kbanking") != std::string::npos);
  std::string phrase = describe(b, "\"chip export rules\"");
  CHECK(phrase.find("PHRASE") != std::string::npos);
  CHECK(phrase.find("chip") != std::string::npos);
  CHECK(describe(b, "“export rules”").find("PHRASE") != std::string::npos);
  CHECK(describe(b, "expo*").find("WILDCARD") != std::string::npos);
  // A closed range: the fewest year, month and day terms that cover it.
  std::string range = describe(b, "nvidia 2025-06-01..2025-07-01");
  CHECK(range.find("M202506 OR D20250701") != std::string::npos);
  CHECK(range.find("VALUE") == std::string::npos);
  range = describe(QueryBuilder::date_range("2023-12-30", "2025-03"));
  CHECK(range == "Query((D20231230 OR D20231231 OR Y2024 OR M202501 OR M202502 OR M202503))");
  CHECK(describe(QueryBuilder::date_range("2024-02-28", "2024-03-01")) ==
        "Query((D20240228 OR D20240229 OR D20240301))");  // a leap year
  CHECK(describe(QueryBuilder::date_range("2025", "2025")) == "Query(Y2025)");
  CHECK(describe(QueryBuilder::date_range("2024-02", "2024-02")) == "Query(M202402)");  // ends on the 29th
  CHECK(describe(QueryBuilder::date_range("2023-02-28", "2023-02")) == "Query(D20230228)");
  CHECK(QueryBuilder::date_range("2025-07-02", "2025-07-01").get_description() == "Query()");
  CHECK(describe(b, "nvidia 2025-06..").find("VALUE_GE 0 2025-06-01T00:00:00Z") != std::string::npos);
  CHECK(describe(b, "nvidia -intel").find("AND_NOT") != std::string::npos);
  CHECK(describe(b, "+nvidia chips").find("AND_MAYBE") != std::string::npos);
  CHECK(describe(b, "nvidia NOT intel").find("AND_NOT") != std::string::npos);
  CHECK(describe(b, "nvidia OR intel").find(" OR ") != std::string::npos);
  // Lower-case operators are words, as in QueryParser's default.
  CHECK(describe(b, "nvidia or intel").find("Zor") != std::string::npos);
}

TEST_CASE("a date range over millennia becomes a value range, not ten thousand terms", "[query]") {
  // Regression: 0000-01-01..9999-12-31 became 10,000 year terms and a query
  // tree deep enough to cost seconds per search.
  const Xapian::Query all = QueryBuilder::date_range("0000-01-01", "9999-12-31");
  CHECK(describe(all) == "Query(VALUE_RANGE 0 0000-01-01T00:00:00Z 9999-12-31T23:59:59Z)");
  // Just under the cap, terms still: 200 years from a January 1st.
  CHECK(describe(QueryBuilder::date_range("1800", "1999")).find("VALUE_RANGE") == std::string::npos);
  CHECK(describe(QueryBuilder::date_range("1800", "2000")).find("VALUE_RANGE") != std::string::npos);
  // In a query, the same rule.
  QueryBuilder b;
  CHECK(describe(b, "nvidia 0000-01-01..9999-12-31").find("VALUE_RANGE") != std::string::npos);
}

TEST_CASE("a date range is clamped to the days a database's articles span", "[query]") {
  const PublishedSpan span{"2024-11-20T08:00:00Z", "2025-02-03T23:00:00Z"};
  CHECK(describe(QueryBuilder::date_range("0000-01-01", "9999-12-31", span)) ==
        "Query((D20241120 OR D20241121 OR D20241122 OR D20241123 OR D20241124 OR D20241125 OR D20241126 OR "
        "D20241127 OR D20241128 OR D20241129 OR D20241130 OR M202412 OR M202501 OR D20250201 OR D20250202 OR "
        "D20250203))");
  // A range wholly outside the span matches nothing, with no terms at all.
  CHECK(QueryBuilder::date_range("2020-01-01", "2020-12-31", span).get_description() == "Query()");
  // Inside the span nothing changes.
  CHECK(describe(QueryBuilder::date_range("2025-01", "2025-01", span)) == "Query(M202501)");
  // The query language uses the span the searcher sets.
  QueryBuilder b;
  b.set_published_span(span);
  CHECK(describe(b, "nvidia ..2030 2000..9999").find("VALUE_RANGE") == std::string::npos);
  CHECK(describe(b, "nvidia 2000..9999").find("M202412 OR M202501") != std::string::npos);
}

TEST_CASE("whole query words only; the typed form ranks above other forms", "[query]") {
  QueryBuilder b;
  std::string d = describe(b, "unia.to");
  CHECK(d.find("unia.to") != std::string::npos);
  CHECK(d.find("Zunia ") == std::string::npos);  // the parts are for documents only
  d = describe(b, "levelling");
  CHECK(d.find("Zlevel") != std::string::npos);
  CHECK(d.find("AND_MAYBE") != std::string::npos);
  CHECK(d.find("levelling") != std::string::npos);
}

TEST_CASE("a list of words also yields the every-word query", "[query]") {
  QueryBuilder b;
  CHECK(b.parse("chip export rules").all_words);
  CHECK_FALSE(b.parse("chips").all_words);
  CHECK_FALSE(b.parse("chips OR rules").all_words);
  CHECK(b.parse("chip export rules").all_words->get_description().find(" AND ") != std::string::npos);
}

TEST_CASE("highlights collect the positive parts only", "[query]") {
  QueryBuilder b;
  ParsedQuery p = b.parse("banks 輝達 -intel \"U.S.\"");
  CHECK(p.highlights.stems.count("bank") == 1);
  CHECK(p.highlights.words.count("us") == 1);
  CHECK(p.highlights.words.count("intel") == 0);
  REQUIRE(p.highlights.han.size() == 1);
  CHECK(p.highlights.han[0] == U"辉达");
}
