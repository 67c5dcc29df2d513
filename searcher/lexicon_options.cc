// The lexicon options of xinwen-search's modes (--entities, --lexicon,
// --no-expand): the paths default to the source tree's entity file and the
// build's dictionary table, compiled in. Program code, on one thread.
#include <filesystem>

#include "commands.h"

namespace xinwen {
namespace {

#ifdef XINWEN_ENTITIES_FILE
constexpr const char* kDefaultEntities = XINWEN_ENTITIES_FILE;
#else
constexpr const char* kDefaultEntities = "";
#endif
#ifdef XINWEN_LEXICON_TABLE
constexpr const char* kDefaultTable = XINWEN_LEXICON_TABLE;
#else
constexpr const char* kDefaultTable = "";
#endif

// The given path; else the default when it exists (an installed program may
// have neither), else "".
std::string pick(const std::string& given, const char* fallback) {
  if (!given.empty()) return given;
  std::error_code ec;
  return std::filesystem::is_regular_file(fallback, ec) ? std::string(fallback) : std::string();
}

}  // namespace

void add_lexicon_options(CLI::App& app, LexiconPaths& paths, bool* no_expand) {
  app.add_option("--entities", paths.entities, "Entity file for query expansion (schema/ENTITIES.md)")
      ->default_str(kDefaultEntities);
  app.add_option("--lexicon", paths.table, "Dictionary table for query expansion (schema/LEXICON.md)")
      ->default_str(kDefaultTable);
  if (no_expand) app.add_flag("--no-expand", *no_expand, "Search the words as typed: no names, kinds or translations");
}

std::shared_ptr<const Lexicon> load_lexicon(const LexiconPaths& paths) {
  // A file named on the command line must load; the defaults may be missing
  // (no dictionary when set-up was skipped: entities only).
  return std::make_shared<const Lexicon>(
      Lexicon::load(pick(paths.entities, kDefaultEntities), pick(paths.table, kDefaultTable)));
}

}  // namespace xinwen
