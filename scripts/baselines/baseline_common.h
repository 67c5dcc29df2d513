// Plumbing shared by the baseline engines that scripts/bench measures xinwen
// against: the command line, reading article JSON Lines, and the batch query
// protocol. Single-threaded; nothing here keeps global state.
//
// Command line of every baseline program:
//   PROGRAM add --db PATH FILE...        index JSON Lines files (one article a line)
//   PROGRAM batch --db PATH [--limit N]  answer queries from stdin (protocol below)
//   PROGRAM compact --db PATH            only where the engine compacts in place
//
// Batch protocol: each stdin line is a JSON object
//   {"q": "text", "limit": 10, "source": "Reuters", "from": "1987-03-01",
//    "to": "1987-04-01", "sort": "relevance" | "date"}
// (all but "q" optional; "to" is an inclusive day) and gets one stdout line
//   {"ms": 0.42, "total": 1234, "ids": ["id1", ...]}
// or, when the query fails, {"ms": 0.1, "error": "message", "ids": []}.
// "ms" covers parsing the query, matching and fetching the ids of the results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xinwen_bench {

// How many documents go into one commit or transaction while indexing.
inline constexpr std::size_t kCommitEvery = 2000;

struct Article {
  std::string id;
  std::string title;
  std::string body;
  std::string published;  // ISO 8601, as in the input ("1987-02-26T15:01:01Z")
  std::string source;
  std::string_view line;  // the record as read, valid during the callback only
};

struct IndexCounts {
  std::size_t added = 0;
  std::size_t replaced = 0;
  std::size_t rejected = 0;
};

// Calls on_article for every record of every file, in order. A line that is
// not a JSON object with a non-empty string "id" is counted in counts.rejected
// and reported on stderr. Throws std::runtime_error when a file cannot be read.
void read_articles(const std::vector<std::string>& files, const std::function<void(const Article&)>& on_article,
                   IndexCounts& counts);

// Prints the closing line that scripts/bench reads, in the same shape as
// xinwen-index: "added 123, replaced 0, unchanged 0, rejected 0, 4.21 s".
void print_index_summary(const IndexCounts& counts, double seconds);

struct Query {
  std::string text;
  std::size_t limit = 10;
  std::string source;  // empty: any source
  std::string from;    // "YYYY-MM-DD" or empty
  std::string to;      // "YYYY-MM-DD" (inclusive) or empty
  bool by_date = false;
};

struct Answer {
  std::uint64_t total = 0;  // the engine's count or estimate of all matches
  std::vector<std::string> ids;
};

// Upper bound of an inclusive day for string comparison with ISO 8601 times.
std::string end_of_day(const std::string& day);

// Reads queries from in until end of input, calls search for each and writes
// one answer line to out. search may throw std::exception; its message becomes
// the answer's "error". Returns the number of queries that failed.
std::size_t serve_batch(std::istream& in, std::ostream& out, std::size_t default_limit,
                        const std::function<Answer(const Query&)>& search);

struct CommandLine {
  std::string command;  // "add", "batch", "compact"
  std::string db;
  std::size_t limit = 10;
  // add: documents per explicit commit; 0 commits only at the end and
  // leaves flushing to the engine's own default (Xapian: every 10,000
  // documents, as Omega runs it).
  std::size_t commit_every = kCommitEvery;
  std::vector<std::string> files;
};

// Parses argv as described at the top of this file; on a mistake returns
// nothing and sets error.
std::optional<CommandLine> parse_command_line(int argc, char** argv, std::string& error);

}  // namespace xinwen_bench
