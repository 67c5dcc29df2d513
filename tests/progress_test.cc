// The progress line of `xinwen-index add`: the share done and the time left
// when the input's size is known (input_size), counts and rates when not.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>

#include <xinwen/progress.h>
#include <xinwen/readers.h>
#include "test_util.h"

using namespace xinwen;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

ProgressFigures figures(std::uint64_t done, std::optional<std::uint64_t> total, std::chrono::duration<double> elapsed) {
  ProgressFigures f;
  f.articles = 300;
  f.rejected = 2;
  f.bytes_done = done;
  f.bytes_total = total;
  f.elapsed = elapsed;
  return f;
}

}  // namespace

TEST_CASE("progress with a known input size: percent done and time left", "[progress]") {
  // A quarter read in 10 s: the other three quarters take 30 s more.
  const std::string quarter = format_progress(figures(250'000, 1'000'000, 10s));
  CHECK(quarter == "25% done, 300 articles, 2 rejected, 30/s, 0.0 MB/s, 30 s left");
  // Whole percents rounded down: 100% only at the very end.
  CHECK(contains(format_progress(figures(999'999, 1'000'000, 10s)), "99% done"));
  CHECK(contains(format_progress(figures(1'000'000, 1'000'000, 10s)), "100% done"));
  CHECK(contains(format_progress(figures(1'000'000, 1'000'000, 10s)), ", 0 s left"));
  // Records can count a byte more than the file had (a last line without a
  // newline): never past 100%.
  CHECK(contains(format_progress(figures(1'000'001, 1'000'000, 10s)), "100% done"));
  CHECK(contains(format_progress(figures(100, 0, 1s)), "100% done"));
  CHECK(contains(format_progress(figures(10'000'000, 40'000'000, 100s)), "25% done"));
  CHECK(contains(format_progress(figures(10'000'000, 40'000'000, 100s)), "0.1 MB/s, 5 min 00 s left"));
}

TEST_CASE("progress before any input was read has no time left yet", "[progress]") {
  const std::string start = format_progress(figures(0, 1'000'000, 2s));
  CHECK(contains(start, "0% done"));
  CHECK_FALSE(contains(start, "left"));
}

TEST_CASE("progress with an unknown input size: counts and rates only", "[progress]") {
  const std::string s = format_progress(figures(5'000'000, std::nullopt, 2s));
  CHECK(s == "300 articles, 2 rejected, 150/s, 2.5 MB/s");
  CHECK(format_progress(figures(0, std::nullopt, 0s)) == "300 articles, 2 rejected, 0/s, 0.0 MB/s");
}

TEST_CASE("time left reads as seconds, minutes or hours, rounded up", "[progress]") {
  CHECK(format_time_left(0s) == "0 s");
  CHECK(format_time_left(std::chrono::duration<double>(0.2)) == "1 s");
  CHECK(format_time_left(59s) == "59 s");
  CHECK(format_time_left(60s) == "1 min 00 s");
  CHECK(format_time_left(125s) == "2 min 05 s");
  CHECK(format_time_left(3600s) == "1 h 00 min");
  CHECK(format_time_left(3601s) == "1 h 01 min");
  CHECK(format_time_left(2h + 7min) == "2 h 07 min");
  CHECK(format_time_left(-5s) == "0 s");
}

TEST_CASE("input_size sums the files read_paths reads, without reading them", "[progress]") {
  test::TempDir t;
  test::spit(t / "a.jsonl", std::string(100, 'a'));
  std::filesystem::create_directories(t / "folder/sub");
  test::spit(t / "folder/b.md", std::string(20, 'b'));
  test::spit(t / "folder/sub/c.txt", std::string(3, 'c'));
  test::spit(t / "folder/notes.xyz", std::string(1000, 'x'));  // not an input format: skipped
  test::spit(t / "folder/.hidden.jsonl", std::string(1000, 'h'));
  CHECK(input_size({t / "a.jsonl"}) == std::optional<std::uint64_t>(100));
  CHECK(input_size({t / "a.jsonl", t / "folder"}) == std::optional<std::uint64_t>(123));
  // A missing path is rejected by the reader: it adds nothing.
  CHECK(input_size({t / "missing.jsonl", t / "a.jsonl"}) == std::optional<std::uint64_t>(100));
}

TEST_CASE("input_size is unknown for standard input and FIFOs", "[progress]") {
  test::TempDir t;
  test::spit(t / "a.jsonl", "{}\n");
  CHECK_FALSE(input_size({t / "a.jsonl", "-"}).has_value());
  REQUIRE(mkfifo((t / "pipe.jsonl").c_str(), 0600) == 0);
  CHECK_FALSE(input_size({t / "pipe.jsonl"}).has_value());
}
