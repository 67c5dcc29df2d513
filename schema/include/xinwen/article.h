// The article: xinwen's input contract (schema/INPUT.md) as a C++ value, its
// validation, and how it becomes a Xapian document. Used by every reader
// (JSON Lines, Markdown, plain text, feeds) so that all inputs get the same
// ids, the same checks and the same terms.
#pragma once

#include <xapian.h>

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xinwen {

class Analyzer;

// Each member is a row of the field table (schema.cc), which says how it is
// read, normalized, indexed, stored and shown.
struct Article {
  std::string id;
  std::string url;
  std::string title;
  std::string body;
  std::string published;  // normalized to "YYYY-MM-DDTHH:MM:SSZ", or empty
  std::string source;
  std::string lang;
  std::vector<std::string> tags;
  std::string author;
};

// Result of checking one record: either an article, or the reason it was
// rejected. Warnings (an unknown field, a cut field) do not reject.
struct ArticleOutcome {
  std::optional<Article> article;
  std::string error;
  std::vector<std::string> warnings;
};

// Parses one JSON object in the input contract and normalizes it.
ArticleOutcome article_from_json(std::string_view json_text);
// Same, for an already-parsed value (front matter, feeds).
ArticleOutcome article_from_json_value(const nlohmann::json& value);

// Normalizes an article in place: strips control characters, replaces bad
// UTF-8, normalizes the date and fills the id (url, else a content hash).
// Returns an error message, or "" if the article is acceptable.
std::string normalize_article(Article& article, std::vector<std::string>* warnings);

// Parses an ISO 8601 date or date-time ("2025-06-01", "2025-06-01T08:30:00+08:00",
// "2025-06-01 08:30:00Z", fractional seconds allowed) into "YYYY-MM-DDTHH:MM:SSZ".
// Returns nullopt if the text is not such a time.
std::optional<std::string> normalize_time(std::string_view text);

// Replaces invalid UTF-8 with U+FFFD and drops control characters other than
// tab and newline (NUL included).
std::string clean_text(std::string_view text);

// The document an article becomes (terms, values, data; see schema.h).
Xapian::Document make_document(const Article& article, Analyzer& analyzer);

// The hash of an article's stored form, as make_document puts it in
// kSlotContentHash: equal hashes mean nothing to re-index.
std::string make_document_hash(const Article& article);

// The stored fields of a document, from its data.
Article article_from_document(const Xapian::Document& doc);

// The id term for an article id.
std::string id_term(std::string_view id);

}  // namespace xinwen
