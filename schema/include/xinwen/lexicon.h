// The bilingual lexicon that query expansion reads: the entities of the entity
// file (schema/entities.ini: names in every script, tickers, kinds) and the
// Chinese-English dictionary table converted from CC-CEDICT at build time
// (schema/LEXICON.md). Loaded once from paths the program gives, immutable
// afterwards: every const method is safe from any number of threads, and
// copies share the loaded data.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xinwen {

struct EntityName {
  std::string text;    // as the file writes it, without the '?' mark
  std::string script;  // "en", "zh-hans" or "zh-hant"
  bool ambiguous = false;
};

struct Entity {
  std::string id;
  std::vector<std::string> kinds;  // kind ids
  std::vector<EntityName> names;   // en, then zh-hans, then zh-hant, each in file order
  std::vector<std::string> tickers;
  std::vector<std::string> related;  // entity ids
  std::size_t line = 0;              // of its section header
};

struct KindWord {
  std::string text;
  bool ambiguous = false;
};

struct Kind {
  std::string id;
  std::vector<KindWord> words;
  std::size_t line = 0;
};

// One entity a name leads to. A name shared by two entities (央行) gives two.
struct EntityHit {
  const Entity* entity = nullptr;
  bool ambiguous = false;  // every name of this entity that matched is marked '?'
  bool ticker = false;     // it matched a ticker, not a name
};

struct KindHit {
  const Kind* kind = nullptr;
  bool ambiguous = false;
};

struct Translation {
  std::string text;     // the headword or gloss as the dictionary writes it
  std::string key;      // its lookup key (below)
  bool proper = false;  // an English proper noun ("US Federal Reserve"), whichever side it is on
};

// The result of a longest match over a sequence of words: the hits of the
// longest phrase that starts at the given word, and how many words it took
// (0 and no hits when nothing starts there).
template <typename Hit>
struct LexiconMatch {
  std::vector<Hit> hits;
  std::size_t words = 0;
};

// Limits of the dictionary's translations. They trade recall for precision;
// the rules are in schema/LEXICON.md.
struct LexiconOptions {
  // At most this many translations of one word or phrase, either way.
  std::size_t max_translations = 3;
  // English to Chinese: the English must be one of the headword's first N
  // glosses (its main meanings, not a late sense).
  std::size_t max_gloss_rank = 2;
  // English to Chinese: headwords of fewer Han characters are left out
  // (single characters are bound forms or far too broad for a search).
  std::size_t min_headword_chars = 2;
  // Chinese to English: a headword with more glosses than this has too many
  // meanings to translate at all.
  std::size_t max_headword_glosses = 6;
};

class Lexicon {
 public:
  // An empty lexicon: every lookup finds nothing.
  Lexicon();

  // Loads the entity file and the dictionary table. Either path may be empty,
  // leaving that part empty. Throws UsageError "FILE:LINE: message" for an
  // entity file that scripts/check-entities would reject, and for a malformed
  // table line; EnvironmentError when a file cannot be read.
  static Lexicon load(const std::string& entities_path, const std::string& dictionary_path,
                      LexiconOptions options = {});

  // Every lookup works on keys: a text's folded words (as the analyzer makes
  // them: NFKC, case folding, Traditional to Simplified) joined by one space,
  // except that two Han characters meeting across a word boundary are joined
  // directly, so that any segmentation of a Han string gives the same key.
  // "Federal  Reserve" -> "federal reserve", 輝達 and 辉达 -> 辉达,
  // "SK海力士" -> "sk 海力士", "0700.HK" -> "0700 hk".
  static std::string key_of(std::string_view text);
  static std::string key_of_words(std::span<const std::string> folded_words);

  // The entities that a whole name or ticker, in any script, names.
  std::vector<EntityHit> entity_of(std::string_view name) const;
  // The longest name or ticker that starts at folded_words[start].
  LexiconMatch<EntityHit> match_entity(std::span<const std::string> folded_words, std::size_t start) const;

  // The kinds a kind word ("banks", "lender", 銀行) stands for.
  std::vector<KindHit> kind_of_word(std::string_view word) const;
  LexiconMatch<KindHit> match_kind(std::span<const std::string> folded_words, std::size_t start) const;
  // The entities of a kind, in file order; none for an unknown kind id.
  std::vector<const Entity*> entities_of_kind(std::string_view kind_id) const;

  const Entity* entity(std::string_view id) const;  // nullptr if unknown
  const Kind* kind(std::string_view id) const;      // nullptr if unknown
  std::span<const Entity> entities() const;
  std::span<const Kind> kinds() const;

  // Dictionary translations of a word or phrase: a Chinese headword gives its
  // English glosses; an English word or phrase gives the headwords that have
  // it as a whole gloss. Best first, at most options.max_translations.
  std::vector<Translation> translations(std::string_view text) const;
  LexiconMatch<Translation> match_translation(std::span<const std::string> folded_words, std::size_t start) const;
  std::size_t dictionary_headwords() const;

  const LexiconOptions& options() const;

 private:
  struct Impl;
  explicit Lexicon(std::shared_ptr<const Impl> impl);
  std::vector<Translation> translations_of_key(const std::string& key) const;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace xinwen
