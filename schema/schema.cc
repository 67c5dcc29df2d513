#include <xinwen/schema.h>

#include <array>
#include <cstdio>

#include <xinwen/errors.h>
#include <xinwen/fold.h>

namespace xinwen {
namespace {

// name, query name, prefix, n-gram prefix, kind, weight, default space, slot, stored, folded
constexpr std::array kFieldTable = {
    Field{"id", "id", "Q", "", FieldKind::kBoolean, 0, false, std::nullopt, true, false},
    Field{"url", "url", "U", "", FieldKind::kBoolean, 0, false, std::nullopt, true, false},
    Field{"title", "title", "S", "XTC", FieldKind::kText, 3, true, std::nullopt, true, true},
    Field{"body", "", "", "", FieldKind::kText, 1, true, std::nullopt, true, true},
    Field{"author", "author", "A", "XAC", FieldKind::kText, 1, false, std::nullopt, true, true},
    Field{"source", "source", "XSRC", "", FieldKind::kBoolean, 0, false, kSlotSource, true, true},
    Field{"lang", "lang", "L", "", FieldKind::kBoolean, 0, false, std::nullopt, true, true},
    Field{"tags", "tag", "K", "", FieldKind::kBoolean, 0, false, std::nullopt, true, true},
    Field{"published", "", "", "", FieldKind::kDate, 0, false, kSlotPublished, true, true},
};

}  // namespace

std::span<const Field> fields() { return kFieldTable; }

const Field* field_by_name(std::string_view name) {
  for (const Field& f : kFieldTable)
    if (f.name == name) return &f;
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
  std::string folded = field.folded ? fold_term(value) : std::string(value);
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
                         (version.empty() ? std::string("(none)") : version) +
                         ", this xinwen uses version " + std::string(kSchemaVersion) +
                         "; re-index the articles into a new database");
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
