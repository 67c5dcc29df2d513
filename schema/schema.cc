#include <xinwen/schema.h>

#include <array>
#include <cstdio>

#include <xinwen/article.h>
#include <xinwen/canonical.h>
#include <xinwen/errors.h>
#include <xinwen/fold.h>

namespace xinwen {
namespace {

// Front-matter keys, as Hugo and Jekyll write them (schema/INPUT.md).
constexpr std::string_view kIdKeys[] = {"id"};
constexpr std::string_view kUrlKeys[] = {"url", "permalink"};
constexpr std::string_view kTitleKeys[] = {"title"};
constexpr std::string_view kAuthorKeys[] = {"author", "authors"};
constexpr std::string_view kSourceKeys[] = {"source"};
constexpr std::string_view kLangKeys[] = {"lang", "language"};
constexpr std::string_view kTagKeys[] = {"tags", "categories"};
constexpr std::string_view kPublishedKeys[] = {"date", "published", "publishDate"};

// The order is the order of terms in a document: title positions come before
// body positions, so it is part of the schema.
constexpr std::array kFieldTable = {
    Field{.name = "id",
          .query_name = "id",
          .prefix = "Q",
          .folded = false,
          .text = &Article::id,
          .shape = InputShape::kStringOrInteger,
          .front_matter = kIdKeys},
    Field{.name = "url",
          .query_name = "url",
          .prefix = "U",
          .folded = false,
          .text = &Article::url,
          .front_matter = kUrlKeys},
    Field{.name = "title",
          .query_name = "title",
          .prefix = "S",
          .ngram_prefix = "XTC",
          .kind = FieldKind::kText,
          .weight = 3,
          .default_space = true,
          .text = &Article::title,
          .front_matter = kTitleKeys},
    // The body of a Markdown file is its text, not a front-matter key.
    Field{.name = "body",
          .kind = FieldKind::kText,
          .weight = 1,
          .default_space = true,
          .text = &Article::body,
          .normalize = Normalize::kKeepText,
          .in_results = false},
    Field{.name = "author",
          .query_name = "author",
          .prefix = "A",
          .ngram_prefix = "XAC",
          .kind = FieldKind::kText,
          .weight = 1,
          .text = &Article::author,
          .shape = InputShape::kStringOrList,
          .front_matter = kAuthorKeys},
    Field{.name = "source",
          .query_name = "source",
          .prefix = "XSRC",
          .slot = kSlotSource,
          .text = &Article::source,
          .front_matter = kSourceKeys},
    Field{.name = "lang",
          .query_name = "lang",
          .prefix = "L",
          .text = &Article::lang,
          .front_matter = kLangKeys,
          .normalize = Normalize::kLanguage},
    Field{.name = "tags",
          .query_name = "tag",
          .prefix = "K",
          .list = &Article::tags,
          .shape = InputShape::kList,
          .front_matter = kTagKeys},
    Field{.name = "published",
          .kind = FieldKind::kDate,
          .slot = kSlotPublished,
          .text = &Article::published,
          .front_matter = kPublishedKeys,
          .normalize = Normalize::kTime},
};

}  // namespace

std::span<const Field> fields() { return kFieldTable; }

const Field* field_by_name(std::string_view name) {
  for (const Field& f : kFieldTable)
    if (f.name == name) return &f;
  return nullptr;
}

const Field* field_by_front_matter_key(std::string_view key) {
  for (const Field& f : kFieldTable)
    for (std::string_view k : f.front_matter)
      if (k == key) return &f;
  return nullptr;
}

const Field* field_by_query_name(std::string_view query_name) {
  if (query_name.empty()) return nullptr;
  for (const Field& f : kFieldTable)
    if (f.query_name == query_name) return &f;
  return nullptr;
}

std::string boolean_term(const Field& field, std::string_view value) {
  std::string term(field.prefix);
  // Query filters (lang:zh-TW, --lang zh_TW) name languages as loosely as
  // inputs do; stored values are canonical already, which this leaves alone.
  std::string canonical = field.normalize == Normalize::kLanguage ? canonical_language(value) : std::string(value);
  std::string folded = field.folded ? fold_term(canonical) : canonical;
  // Omega's rule: a value starting with a capital letter would run into the
  // prefix, so a colon separates them. Folded values are lower case, but a
  // value may begin with ':' or an upper-case letter outside ASCII's fold.
  if (!folded.empty() && (folded[0] == ':' || (folded[0] >= 'A' && folded[0] <= 'Z'))) term += ':';
  if (term.size() + folded.size() > kMaxTermBytes) {
    term += "#";
    term += hash_hex(folded);
  } else {
    term += folded;
  }
  return term;
}

void check_schema_version(const Xapian::Database& db) {
  std::string version = db.get_metadata(std::string(kMetaSchemaVersion));
  if (version == kSchemaVersion) return;
  if (version.empty() && db.get_doccount() == 0) return;
  throw EnvironmentError("database was built with schema version " +
                         (version.empty() ? std::string("(none)") : version) + ", this xinwen uses version " +
                         std::string(kSchemaVersion) + "; re-index the articles into a new database");
}

std::string hash_hex(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace xinwen
