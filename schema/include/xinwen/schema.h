// The schema: how an article becomes a Xapian document. This is the one place
// that names term prefixes and value slots; the indexer and the query side both
// loop over kFields. See schema/SCHEMA.md for the document as stored.
//
// A document holds:
//   terms   - free-text fields: folded words (unprefixed for the default
//             search space, plus the field's own prefix; positions for all but
//             Han words), English stems as Z terms, and Han character bigrams
//             plus each Han run's last character under the field's n-gram
//             prefix (no positions), which make Chinese recall independent of
//             word segmentation;
//           - boolean fields: one term per value (Q id, U url, L lang, K tag,
//             XSRC source, D/M/Y dates as Omega writes them);
//   values  - kSlotPublished (ISO 8601 UTC, sorts as a string), kSlotSource
//             (display name, for facets), kSlotContentHash (skip unchanged),
//             kSlotMonth (YYYY-MM, for facets), kSlotId (the id, for
//             result lists that need nothing else), kSlotFingerprint
//             (near-duplicate SimHash) and
//             kSlotStory (the story id copies share: the collapse key);
//   data    - a JSON object with the article's stored fields (kFields with
//             stored == true).
// Everything here is immutable and safe to use from any thread.
#pragma once

#include <xapian.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xinwen {

// Bumped whenever a change to this file changes the terms, values or data an
// article produces. A database written with another version must be rebuilt.
inline constexpr std::string_view kSchemaVersion = "3";

// Database metadata keys.
inline constexpr std::string_view kMetaSchemaVersion = "xinwen.schema_version";
inline constexpr std::string_view kMetaLastUpdate = "xinwen.last_update";

// Value slots.
inline constexpr Xapian::valueno kSlotPublished = 0;    // "2025-06-01T08:30:00Z"
inline constexpr Xapian::valueno kSlotSource = 1;       // "Reuters", as written
inline constexpr Xapian::valueno kSlotContentHash = 2;  // 16 hex digits
inline constexpr Xapian::valueno kSlotMonth = 3;        // "2025-06", for facets
inline constexpr Xapian::valueno kSlotId = 4;           // the article id, read without parsing data
inline constexpr Xapian::valueno kSlotFingerprint = 5;  // SimHash, 16 hex digits (fingerprint.h)
inline constexpr Xapian::valueno kSlotStory = 6;        // story id, 16 hex digits: the collapse key

enum class FieldKind {
  kText,     // analyzed into words, stems and n-grams
  kBoolean,  // one exact filter term per value, folded
  kDate,     // ISO 8601 time: a value that sorts, plus Omega's D/M/Y terms
};

// What an input value may be (JSON; front matter is read the same way, except
// that a YAML list given for a one-value field is joined with ", ").
enum class InputShape {
  kString,           // a string
  kStringOrInteger,  // a string, or a JSON integer written in decimal (ids)
  kStringOrList,     // a string, or a list of strings joined with ", " (bylines)
  kList,             // a list of strings, or one string (tags)
};

// How a value is made canonical once control characters are out and bad UTF-8
// is replaced (clean_text in article.h).
enum class Normalize {
  kTrim,      // ASCII white space trimmed at both ends
  kKeepText,  // kept as written (the body, whose line breaks matter)
  kTime,      // trimmed, then ISO 8601 to "YYYY-MM-DDTHH:MM:SSZ"; anything else rejects the record
  kLanguage,  // trimmed, then canonical_language (canonical.h); files under its primary subtag too
};

struct Article;  // article.h

// One row of the field table. The table drives the input readers, the
// normalization, the terms and values, the stored data and the search
// results, so adding a field is one row here plus one member of Article.
struct Field {
  std::string_view name;               // JSON key of the input, the stored data and each search result
  std::string_view query_name = {};    // "title" for title:..., empty if not searchable by name
  std::string_view prefix = {};        // word prefix (text) or filter prefix (boolean)
  std::string_view ngram_prefix = {};  // Han n-gram prefix, text fields only
  FieldKind kind = FieldKind::kBoolean;
  Xapian::termcount weight = 0;  // wdf per occurrence (text fields)
  bool default_space = false;    // text also indexed unprefixed, for plain queries
  std::optional<Xapian::valueno> slot = std::nullopt;
  bool stored = true;  // kept in the document data
  bool folded = true;  // boolean values are case- and script-folded
  // Where the value lives in an Article: exactly one of the two is set.
  std::string Article::*text = nullptr;               // a field with one value
  std::vector<std::string> Article::*list = nullptr;  // a field with a list of values
  InputShape shape = InputShape::kString;
  std::span<const std::string_view> front_matter = {};  // Markdown front-matter keys that set it
  Normalize normalize = Normalize::kTrim;
  bool in_results = true;  // a member of each search result (schema/JSON.md)
};

// The n-gram prefix of the default (unprefixed) search space.
inline constexpr std::string_view kDefaultNgramPrefix = "XC";
// English stems of the default space, as Xapian's QueryParser writes them.
inline constexpr std::string_view kStemPrefix = "Z";
// Omega's date terms: D YYYYMMDD, M YYYYMM, Y YYYY.
inline constexpr std::string_view kDayPrefix = "D";
inline constexpr std::string_view kMonthPrefix = "M";
inline constexpr std::string_view kYearPrefix = "Y";

// The field table.
std::span<const Field> fields();

// Looks a field up by its contract name or its query name; nullptr if none.
const Field* field_by_name(std::string_view name);
const Field* field_by_query_name(std::string_view query_name);
// The field a Markdown front-matter key sets ("date" -> published); nullptr if none.
const Field* field_by_front_matter_key(std::string_view key);

// Boolean term for a field value: prefix + folded value (a language tag made
// canonical first, so the filter lang:zh-TW matches zh-Hant); values longer
// than Xapian's term limit are replaced by a stable hash, as Omega does for URLs.
std::string boolean_term(const Field& field, std::string_view value);

// Longest term we generate, in bytes, prefix included (Xapian's limit is 245).
inline constexpr std::size_t kMaxTermBytes = 240;
// Words longer than this (bytes, folded) are not indexed, as TermGenerator does.
inline constexpr std::size_t kMaxWordBytes = 64;

// Throws EnvironmentError unless db was written with kSchemaVersion. An empty
// database (no documents, no version yet) is accepted.
void check_schema_version(const Xapian::Database& db);

// 64-bit FNV-1a, as 16 lowercase hex digits: ids and change detection.
std::string hash_hex(std::string_view bytes);

}  // namespace xinwen
