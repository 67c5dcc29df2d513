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
};

using RecordSink = std::function<void(Record&&)>;

// Reads every path in order. Unreadable paths yield a rejected record.
void read_paths(const std::vector<std::string>& paths, const RecordSink& sink);

// The bytes read_paths(paths) will read, from the sizes of the files alone
// (nothing is opened): the total a progress display counts Record::bytes
// against. nullopt when a path is standard input or a FIFO, whose size is
// known only at its end.
std::optional<std::uint64_t> input_size(const std::vector<std::string>& paths);

// JSON Lines from a stream; name is used in origins.
void read_json_lines(std::istream& in, const std::string& name, const RecordSink& sink);

// One Markdown file's text (front matter + body). id_hint is used as the id
// when the front matter gives neither id nor url.
ArticleOutcome article_from_markdown(std::string_view text, const std::string& id_hint);

// One plain-text file: first non-blank line is the title, the rest the body.
ArticleOutcome article_from_plain_text(std::string_view text, const std::string& id_hint);

// Markdown to plain text: the words a reader sees, without markup.
std::string strip_markdown(std::string_view markdown);

}  // namespace xinwen
