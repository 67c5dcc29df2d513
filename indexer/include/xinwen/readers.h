// Readers turn input files into articles: JSON Lines in the input contract,
// Markdown with YAML front matter (Hugo, Jekyll), plain text with the title on
// the first line, folders (recursively) and "-" for JSON Lines on stdin.
// Every record comes back with its origin ("file:line") so that a rejected
// one can be reported precisely; a bad record never stops the others.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include <xinwen/article.h>

namespace xinwen {

struct Record {
  std::string origin;  // "path:line", or "path" for whole-file formats
  ArticleOutcome outcome;
  std::size_t bytes = 0;  // input bytes this record came from
  bool skipped = false;   // a path passed over with a warning: neither article nor rejection
};

using RecordSink = std::function<void(Record&&)>;

// The longest JSON Lines record read by default (--max-record-bytes).
inline constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{16} << 20;

struct ReadOptions {
  // A file symlink inside a folder that points out of that folder is skipped
  // with a warning unless this is set. Symlinked folders are never descended.
  bool follow_symlinks = false;
  // A JSON Lines record longer than this (newline excluded) is rejected
  // without being held in memory.
  std::size_t max_record_bytes = kDefaultMaxRecordBytes;
  // Asked while reading and while waiting for input (a FIFO, an idle stdin)
  // at least every quarter second: once true, reading ends after what a pipe
  // already holds. Empty: read to the end.
  std::function<bool()> stop;
};

// Reads every path in order. Unreadable paths, and FIFOs or devices found in
// a folder, yield a rejected record; symlink loops a warning. Any exception
// one record raises while being parsed rejects that record only.
void read_paths(const std::vector<std::string>& paths, const RecordSink& sink, const ReadOptions& options = {});

// The bytes read_paths(paths) will read, from the sizes of the files alone
// (nothing is opened): the total a progress display counts Record::bytes
// against. nullopt when a path is standard input or a FIFO, whose size is
// known only at its end.
std::optional<std::uint64_t> input_size(const std::vector<std::string>& paths, const ReadOptions& options = {});

// JSON Lines from a stream; name is used in origins.
void read_json_lines(std::istream& in, const std::string& name, const RecordSink& sink,
                     std::size_t max_record_bytes = kDefaultMaxRecordBytes);

// One Markdown file's text (front matter + body). id_hint is used as the id
// when the front matter gives neither id nor url.
ArticleOutcome article_from_markdown(std::string_view text, const std::string& id_hint);

// One plain-text file: first non-blank line is the title, the rest the body.
ArticleOutcome article_from_plain_text(std::string_view text, const std::string& id_hint);

// Markdown to plain text: the words a reader sees, without markup.
std::string strip_markdown(std::string_view markdown);

}  // namespace xinwen
