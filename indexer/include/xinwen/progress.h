// The progress line of a long load, as `xinwen-index add` shows it on a
// terminal: counts and rates, and, when the size of the input is known in
// advance, the share done and the time left. Pure functions, safe from any
// thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace xinwen {

struct ProgressFigures {
  std::size_t articles = 0;  // indexed so far: added, replaced or unchanged
  std::size_t rejected = 0;
  std::uint64_t bytes_done = 0;              // input read so far (Record::bytes)
  std::optional<std::uint64_t> bytes_total;  // all the input (input_size), if known
  std::chrono::duration<double> elapsed{0};
};

// "12% done, 3100 articles, 0 rejected, 1550/s, 4.2 MB/s, 2 min 05 s left"
// with a known total; without one, from "3100 articles" on and without the
// time left. The time left assumes the rest reads at the rate so far; it is
// left out until some input has been read.
std::string format_progress(const ProgressFigures& figures);

// A duration for people, rounded up to a whole second: "45 s", "2 min 05 s",
// "1 h 07 min".
std::string format_time_left(std::chrono::duration<double> left);

}  // namespace xinwen
