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
//             result lists that need nothing else);
//   data    - a JSON object with the article's stored fields (kFields with
//             stored == true).
// Everything here is immutable and safe to use from any thread.
#pragma once

#include <xapian.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace xinwen {

// Bumped whenever a change to this file changes the terms, values or data an
// article produces. A database written with another version must be rebuilt.
inline constexpr std::string_view kSchemaVersion = "2";

// Database metadata keys.
inline constexpr std::string_view kMetaSchemaVersion = "xinwen.schema_version";
inline constexpr std::string_view kMetaLastUpdate = "xinwen.last_update";

// Value slots.
inline constexpr Xapian::valueno kSlotPublished = 0;    // "2025-06-01T08:30:00Z"
inline constexpr Xapian::valueno kSlotSource = 1;       // "Reuters", as written
inline constexpr Xapian::valueno kSlotContentHash = 2;  // 16 hex digits
inline constexpr Xapian::valueno kSlotMonth = 3;        // "2025-06", for facets
inline constexpr Xapian::valueno kSlotId = 4;           // the article id, read without parsing data

enum class FieldKind {
  kText,     // analyzed into words, stems and n-grams
  kBoolean,  // one exact filter term per value, folded
  kDate,     // ISO 8601 time: a value that sorts, plus Omega's D/M/Y terms
};

struct Field {
  std::string_view name;          // input-contract name and JSON data key
  std::string_view query_name;    // "title" for title:..., empty if not searchable by name
  std::string_view prefix;        // word prefix (text) or filter prefix (boolean)
  std::string_view ngram_prefix;  // Han n-gram prefix, text fields only
  FieldKind kind;
  Xapian::termcount weight;       // wdf per occurrence (text fields)
  bool default_space;             // text also indexed unprefixed, for plain queries
  std::optional<Xapian::valueno> slot;
  bool stored;                    // kept in the document data
  bool folded;                    // boolean values are case- and script-folded
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

// Boolean term for a field value: prefix + folded value; values longer than
// Xapian's term limit are replaced by a stable hash, as Omega does for URLs.
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
