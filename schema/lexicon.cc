#include <xinwen/lexicon.h>

#include <unicode/utf8.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>

#include <xinwen/analyzer.h>
#include <xinwen/ascii.h>
#include <xinwen/errors.h>
#include <xinwen/fold.h>

namespace xinwen {

namespace {

// Code points of a UTF-8 string (bad bytes read as U+FFFD).
std::u32string decode(std::string_view s) {
  std::u32string out;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

char32_t first_char(std::string_view s) {
  if (s.empty()) return 0;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
  return c < 0 ? 0 : static_cast<char32_t>(c);
}

char32_t last_char(std::string_view s) {
  if (s.empty()) return 0;
  int32_t i = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, i, c);
  return c < 0 ? 0 : static_cast<char32_t>(c);
}

bool has_han(std::string_view s) {
  for (char32_t c : decode(s))
    if (is_han(c)) return true;
  return false;
}

std::size_t han_count(std::string_view s) {
  std::size_t n = 0;
  for (char32_t c : decode(s)) n += is_han(c) ? 1 : 0;
  return n;
}

// How many query words a key can span at most: a Han string may reach the
// lexicon one character per word, whatever its own segmentation was.
std::size_t key_span(std::string_view key) {
  std::size_t n = 0;
  bool in_word = false;
  for (char32_t c : decode(key)) {
    if (c == U' ') {
      in_word = false;
    } else if (is_han(c)) {
      ++n;
      in_word = false;
    } else if (!in_word) {
      ++n;
      in_word = true;
    }
  }
  return n;
}

bool plain_ascii_words(std::string_view s) {
  for (char c : s)
    if (!(is_ascii_space(c) || is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

bool all_han(std::string_view s) {
  std::u32string chars = decode(s);
  return !chars.empty() && std::all_of(chars.begin(), chars.end(), [](char32_t c) { return is_han(c); });
}

// The analyzer's words of a text. The analyzer is not thread-safe; each
// thread that looks up an awkward text gets its own.
std::vector<std::string> analyzer_words(std::string_view text) {
  thread_local Analyzer analyzer;
  std::vector<std::string> words;
  for (Token& t : analyzer.tokenize(text)) words.push_back(std::move(t.term));
  return words;
}

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = value.find(',', start);
    items.emplace_back(trim_ascii(value.substr(start, comma == std::string_view::npos ? comma : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

// A name or kind word with its trailing '?' mark taken off.
struct Marked {
  std::string text;
  bool ambiguous = false;
  bool bad = false;  // '?' somewhere else, or nothing before it
};

Marked unmark(const std::string& item) {
  Marked m{item, false, false};
  if (!m.text.empty() && m.text.back() == '?') {
    m.ambiguous = true;
    m.text = std::string(trim_ascii(std::string_view(m.text).substr(0, m.text.size() - 1)));
  }
  m.bad = m.text.empty() || m.text.find('?') != std::string::npos;
  return m;
}

bool valid_id(std::string_view id) {
  static const std::regex re("^[a-z0-9]+(-[a-z0-9]+)*$");
  return std::regex_match(id.begin(), id.end(), re);
}

// Yahoo-style symbols, the same shapes scripts/check-entities accepts.
bool valid_ticker(const std::string& t) {
  static const std::vector<std::regex> patterns = [] {
    std::vector<std::regex> p;
    for (const char* s : {
             R"(^[A-Z]{1,5}(-[A-Z])?$)",
             R"(^\d{4,5}\.HK$)",
             R"(^\d{4,6}[A-Z]?\.TWO?$)",
             R"(^\d{6}\.(SS|SZ|BJ)$)",
             R"(^\d{3}[0-9A-Z]\.T$)",
             R"(^\d{6}\.(KS|KQ)$)",
             R"(^[A-Z0-9]{1,6}\.SI$)",
             R"(^[A-Z0-9]{1,5}\.(L|DE|F|PA|AS|SW|MI|MC|BR|ST|CO|HE|OL|TO|AX|NS|BO)$)",
             R"(^\^[A-Z0-9]{2,10}$)",
             R"(^[A-Z]{2,6}-USD$)",
             R"(^[A-Z]{1,3}=F$)",
         })
      p.emplace_back(s);
    return p;
  }();
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::regex& re) { return std::regex_match(t, re); });
}

struct RawSection {
  bool is_kind = false;
  std::string id;
  std::size_t line = 0;
  std::map<std::string, std::pair<std::size_t, std::vector<std::string>>> keys;
};

// An internal hit: the index of an entity or kind, and how it matched.
struct Ref {
  std::uint32_t index = 0;
  bool ambiguous = false;
  bool ticker = false;
};

void add_ref(std::vector<Ref>& refs, Ref ref) {
  for (Ref& r : refs) {
    if (r.index == ref.index) {
      // Reached by two names: ambiguous only if both are, a ticker only if both are.
      r.ambiguous = r.ambiguous && ref.ambiguous;
      r.ticker = r.ticker && ref.ticker;
      return;
    }
  }
  refs.push_back(ref);
}

struct Headword {
  std::string text;
  std::uint32_t first_gloss = 0;
  std::uint32_t glosses = 0;
};

struct Gloss {
  std::string text;
  std::string key;
  std::uint32_t headword = 0;
  std::uint32_t rank = 0;  // its position among the headword's glosses
  bool proper = false;
};

}  // namespace

struct Lexicon::Impl {
  LexiconOptions options;
  std::vector<Entity> entities;
  std::vector<Kind> kinds;
  std::unordered_map<std::string, std::uint32_t> entity_ids, kind_ids;
  std::unordered_map<std::string, std::vector<Ref>> names, kind_words;
  std::vector<std::vector<std::uint32_t>> kind_members;
  std::size_t name_span = 0, kind_span = 0, dictionary_span = 0;

  std::vector<Headword> headwords;
  std::vector<Gloss> glosses;
  std::unordered_map<std::string, std::vector<std::uint32_t>> chinese;  // key -> headwords
  std::unordered_map<std::string, std::vector<std::uint32_t>> english;  // key -> glosses

  void load_entities(const std::string& path);
  void load_dictionary(const std::string& path);
};

namespace {

[[noreturn]] void fail(const std::string& path, std::size_t line, const std::string& message) {
  throw UsageError(path + ":" + std::to_string(line) + ": " + message);
}

}  // namespace

void Lexicon::Impl::load_entities(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EnvironmentError("cannot read the entity file " + path);
  std::vector<RawSection> sections;
  std::string raw;
  std::size_t number = 0;
  static const std::regex section_re(R"(^\[\s*(kind|entity)\s+([^\]\s]+)\s*\]$)");
  static const std::regex key_re(R"(^([a-z][a-z0-9-]*)\s*=\s*(.*)$)");
  static const std::set<std::string> kind_keys = {"words"};
  static const std::set<std::string> entity_keys = {"kind", "en", "zh-hans", "zh-hant", "tickers", "related"};
  while (std::getline(in, raw)) {
    ++number;
    std::string line(trim_ascii(raw));
    if (line.empty() || line[0] == '#') continue;
    std::smatch m;
    if (std::regex_match(line, m, section_re)) {
      RawSection s;
      s.is_kind = m[1] == "kind";
      s.id = m[2];
      s.line = number;
      if (!valid_id(s.id)) fail(path, number, "id '" + s.id + "' is not lowercase ASCII words joined by dashes");
      sections.push_back(std::move(s));
      continue;
    }
    if (line[0] == '[') fail(path, number, "malformed section header '" + line + "' (want [kind ID] or [entity ID])");
    if (!std::regex_match(line, m, key_re)) fail(path, number, "cannot parse '" + line + "' (want key = value)");
    std::string key = m[1], value(trim_ascii(std::string_view(line).substr(m.position(2))));
    if (sections.empty()) fail(path, number, "key '" + key + "' outside any section");
    RawSection& s = sections.back();
    const auto& allowed = s.is_kind ? kind_keys : entity_keys;
    if (!allowed.count(key))
      fail(path, number, "unknown key '" + key + "' in [" + (s.is_kind ? "kind " : "entity ") + s.id + "]");
    if (s.keys.count(key))
      fail(path, number, "key '" + key + "' repeated (first on line " + std::to_string(s.keys[key].first) + ")");
    std::vector<std::string> items = split_list(value);
    if (value.empty() || std::any_of(items.begin(), items.end(), [](const std::string& i) { return i.empty(); }))
      fail(path, number, "'" + key + "' has an empty list or an empty item");
    s.keys[key] = {number, std::move(items)};
  }

  for (const RawSection& s : sections) {
    if (entity_ids.count(s.id) || kind_ids.count(s.id)) fail(path, s.line, "duplicate id '" + s.id + "'");
    if (s.is_kind) {
      kind_ids[s.id] = static_cast<std::uint32_t>(kinds.size());
      kinds.push_back(Kind{s.id, {}, s.line});
    } else {
      entity_ids[s.id] = static_cast<std::uint32_t>(entities.size());
      entities.push_back(Entity{s.id, {}, {}, {}, {}, s.line});
    }
  }
  kind_members.resize(kinds.size());

  for (const RawSection& s : sections) {
    if (s.is_kind) {
      std::uint32_t index = kind_ids[s.id];
      auto it = s.keys.find("words");
      if (it == s.keys.end()) fail(path, s.line, "[kind " + s.id + "] has no 'words'");
      std::size_t line = it->second.first;
      bool latin = false, han = false;
      std::set<std::string> seen;
      for (const std::string& item : it->second.second) {
        Marked w = unmark(item);
        if (w.bad) fail(path, line, "kind word '" + item + "': '?' may only end a word");
        (has_han(w.text) ? han : latin) = true;
        // Repeats are judged on case alone, as scripts/check-entities does:
        // 银行 and 銀行 are two words of the kind even though they fold alike.
        if (!seen.insert(lower_ascii(w.text)).second) fail(path, line, "kind word '" + w.text + "' repeated");
        std::string key = key_of(w.text);
        kind_span = std::max(kind_span, key_span(key));
        add_ref(kind_words[key], Ref{index, w.ambiguous, false});
        kinds[index].words.push_back(KindWord{w.text, w.ambiguous});
      }
      if (!latin || !han) fail(path, line, "[kind " + s.id + "] needs English and Chinese words");
      continue;
    }

    std::uint32_t index = entity_ids[s.id];
    Entity& e = entities[index];
    for (const char* required : {"kind", "en"})
      if (!s.keys.count(required)) fail(path, s.line, "[entity " + s.id + "] has no '" + required + "'");
    const auto& [kind_line, kind_list] = s.keys.at("kind");
    for (const std::string& k : kind_list) {
      auto it = kind_ids.find(k);
      if (it == kind_ids.end()) fail(path, kind_line, "kind '" + k + "' is not defined by a [kind " + k + "] section");
      e.kinds.push_back(k);
      kind_members[it->second].push_back(index);
    }
    if (auto it = s.keys.find("related"); it != s.keys.end()) {
      for (const std::string& r : it->second.second) {
        if (r == s.id) fail(path, it->second.first, "'" + s.id + "' is related to itself");
        if (!entity_ids.count(r)) fail(path, it->second.first, "related id '" + r + "' is not an entity");
        e.related.push_back(r);
      }
    }
    if (auto it = s.keys.find("tickers"); it != s.keys.end()) {
      for (const std::string& t : it->second.second) {
        if (!valid_ticker(t)) fail(path, it->second.first, "ticker '" + t + "' is not a Yahoo-style symbol");
        if (std::find(e.tickers.begin(), e.tickers.end(), t) != e.tickers.end())
          fail(path, it->second.first, "ticker '" + t + "' repeated");
        e.tickers.push_back(t);
        std::string key = key_of(t);
        name_span = std::max(name_span, key_span(key));
        add_ref(names[key], Ref{index, false, true});
      }
    }
    std::map<std::string, std::string> seen;  // lower-cased name -> the list it is in
    for (const char* script : {"en", "zh-hans", "zh-hant"}) {
      auto it = s.keys.find(script);
      if (it == s.keys.end()) continue;
      std::size_t line = it->second.first;
      for (const std::string& item : it->second.second) {
        Marked n = unmark(item);
        if (n.bad) fail(path, line, "name '" + item + "': '?' may only end a name");
        bool han = has_han(n.text);
        if (std::string_view(script) == "en" && han) fail(path, line, "English name '" + item + "' has Han characters");
        if (std::string_view(script) != "en" && !han)
          fail(path, line, "Chinese name '" + item + "' has no Han character (put it under en)");
        // Repeated within one list is an error; the same name in zh-hans and
        // zh-hant (汇丰 written alike) is expected. Case alone, as
        // scripts/check-entities compares them.
        auto [pos, fresh] = seen.emplace(lower_ascii(n.text), script);
        if (!fresh && pos->second == script)
          fail(path, line, "name '" + n.text + "' repeated in [entity " + s.id + "]");
        e.names.push_back(EntityName{n.text, script, n.ambiguous});
        std::string key = key_of(n.text);
        name_span = std::max(name_span, key_span(key));
        add_ref(names[key], Ref{index, n.ambiguous, false});
      }
    }
  }
}

void Lexicon::Impl::load_dictionary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EnvironmentError("cannot read the dictionary table " + path);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> fields;
    std::string_view rest(line);
    while (true) {
      std::size_t tab = rest.find('\t');
      fields.push_back(rest.substr(0, tab));
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    if (fields.size() < 2 || fields[0].empty() || !has_han(fields[0]))
      fail(path, number, "want a Chinese headword, a tab and its glosses");
    auto head = static_cast<std::uint32_t>(headwords.size());
    Headword h{std::string(fields[0]), static_cast<std::uint32_t>(glosses.size()), 0};
    std::string head_key = key_of(fields[0]);
    dictionary_span = std::max(dictionary_span, key_span(head_key));
    for (std::size_t i = 1; i < fields.size(); ++i) {
      std::string_view text = fields[i];
      bool proper = !text.empty() && text[0] == '^';
      if (proper) text.remove_prefix(1);
      std::string key = key_of(text);
      if (key.empty()) fail(path, number, "empty gloss");
      dictionary_span = std::max(dictionary_span, key_span(key));
      english[key].push_back(static_cast<std::uint32_t>(glosses.size()));
      glosses.push_back(Gloss{std::string(text), std::move(key), head, h.glosses++, proper});
    }
    chinese[head_key].push_back(head);
    headwords.push_back(std::move(h));
  }
}

Lexicon::Lexicon() : impl_(std::make_shared<Impl>()) {}

Lexicon::Lexicon(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Lexicon Lexicon::load(const std::string& entities_path, const std::string& dictionary_path, LexiconOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  if (!entities_path.empty()) impl->load_entities(entities_path);
  if (!dictionary_path.empty()) impl->load_dictionary(dictionary_path);
  return Lexicon(std::move(impl));
}

std::string Lexicon::key_of_words(std::span<const std::string> words) {
  std::string key;
  for (const std::string& w : words) {
    if (w.empty()) continue;
    if (!key.empty() && !(is_han(last_char(key)) && is_han(first_char(w)))) key += ' ';
    key += w;
  }
  return key;
}

std::string Lexicon::key_of(std::string_view text) {
  // Most names and glosses take a fast path with the analyzer's result.
  if (plain_ascii_words(text)) {
    std::vector<std::string> words;
    std::istringstream in{lower_ascii(text)};
    for (std::string w; in >> w;) words.push_back(std::move(w));
    return key_of_words(words);
  }
  if (all_han(text)) return fold_term(text);
  return key_of_words(analyzer_words(text));
}

namespace {

template <typename Hit, typename Fn>
LexiconMatch<Hit> longest_match(std::span<const std::string> words, std::size_t start, std::size_t span, Fn&& lookup) {
  LexiconMatch<Hit> match;
  if (start >= words.size()) return match;
  for (std::size_t n = std::min(span, words.size() - start); n > 0; --n) {
    std::vector<Hit> hits = lookup(Lexicon::key_of_words(words.subspan(start, n)));
    if (!hits.empty()) {
      match.hits = std::move(hits);
      match.words = n;
      return match;
    }
  }
  return match;
}

}  // namespace

std::vector<EntityHit> Lexicon::entity_of(std::string_view name) const {
  std::vector<EntityHit> out;
  auto it = impl_->names.find(key_of(name));
  if (it == impl_->names.end()) return out;
  for (const Ref& r : it->second) out.push_back(EntityHit{&impl_->entities[r.index], r.ambiguous, r.ticker});
  return out;
}

LexiconMatch<EntityHit> Lexicon::match_entity(std::span<const std::string> words, std::size_t start) const {
  return longest_match<EntityHit>(words, start, impl_->name_span, [this](const std::string& key) {
    std::vector<EntityHit> out;
    if (auto it = impl_->names.find(key); it != impl_->names.end())
      for (const Ref& r : it->second) out.push_back(EntityHit{&impl_->entities[r.index], r.ambiguous, r.ticker});
    return out;
  });
}

std::vector<KindHit> Lexicon::kind_of_word(std::string_view word) const {
  std::vector<KindHit> out;
  auto it = impl_->kind_words.find(key_of(word));
  if (it == impl_->kind_words.end()) return out;
  for (const Ref& r : it->second) out.push_back(KindHit{&impl_->kinds[r.index], r.ambiguous});
  return out;
}

LexiconMatch<KindHit> Lexicon::match_kind(std::span<const std::string> words, std::size_t start) const {
  return longest_match<KindHit>(words, start, impl_->kind_span, [this](const std::string& key) {
    std::vector<KindHit> out;
    if (auto it = impl_->kind_words.find(key); it != impl_->kind_words.end())
      for (const Ref& r : it->second) out.push_back(KindHit{&impl_->kinds[r.index], r.ambiguous});
    return out;
  });
}

std::vector<const Entity*> Lexicon::entities_of_kind(std::string_view kind_id) const {
  std::vector<const Entity*> out;
  auto it = impl_->kind_ids.find(std::string(kind_id));
  if (it == impl_->kind_ids.end()) return out;
  for (std::uint32_t e : impl_->kind_members[it->second]) out.push_back(&impl_->entities[e]);
  return out;
}

const Entity* Lexicon::entity(std::string_view id) const {
  auto it = impl_->entity_ids.find(std::string(id));
  return it == impl_->entity_ids.end() ? nullptr : &impl_->entities[it->second];
}

const Kind* Lexicon::kind(std::string_view id) const {
  auto it = impl_->kind_ids.find(std::string(id));
  return it == impl_->kind_ids.end() ? nullptr : &impl_->kinds[it->second];
}

std::span<const Entity> Lexicon::entities() const { return impl_->entities; }
std::span<const Kind> Lexicon::kinds() const { return impl_->kinds; }
std::size_t Lexicon::dictionary_headwords() const { return impl_->headwords.size(); }
const LexiconOptions& Lexicon::options() const { return impl_->options; }

std::vector<Translation> Lexicon::translations_of_key(const std::string& key) const {
  const Impl& d = *impl_;
  const LexiconOptions& o = d.options;
  std::vector<Translation> out;
  auto seen = [&out](const std::string& k) {
    return std::any_of(out.begin(), out.end(), [&](const Translation& t) { return t.key == k; });
  };
  if (has_han(key)) {
    // Chinese to English: the headword's glosses in dictionary order, unless
    // it has too many meanings to pick from.
    auto it = d.chinese.find(key);
    if (it == d.chinese.end()) return out;
    for (std::uint32_t h : it->second) {
      const Headword& head = d.headwords[h];
      if (head.glosses > o.max_headword_glosses) continue;
      for (std::uint32_t g = head.first_gloss; g < head.first_gloss + head.glosses; ++g) {
        if (out.size() >= o.max_translations) return out;
        if (!seen(d.glosses[g].key))
          out.push_back(Translation{d.glosses[g].text, d.glosses[g].key, d.glosses[g].proper});
      }
    }
    return out;
  }
  // English to Chinese: headwords that have the whole phrase as one of their
  // first glosses, those with the fewest meanings first.
  auto it = d.english.find(key);
  if (it == d.english.end()) return out;
  std::vector<const Gloss*> candidates;
  for (std::uint32_t g : it->second) {
    const Gloss& gloss = d.glosses[g];
    if (gloss.rank >= o.max_gloss_rank) continue;
    if (han_count(d.headwords[gloss.headword].text) < o.min_headword_chars) continue;
    candidates.push_back(&gloss);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [&d](const Gloss* a, const Gloss* b) {
    std::uint32_t na = d.headwords[a->headword].glosses, nb = d.headwords[b->headword].glosses;
    if (na != nb) return na < nb;
    return a->rank < b->rank;
  });
  for (const Gloss* g : candidates) {
    if (out.size() >= o.max_translations) break;
    const Headword& head = d.headwords[g->headword];
    std::string head_key = key_of(head.text);
    if (!seen(head_key)) out.push_back(Translation{head.text, std::move(head_key), g->proper});
  }
  return out;
}

std::vector<Translation> Lexicon::translations(std::string_view text) const {
  return translations_of_key(key_of(text));
}

LexiconMatch<Translation> Lexicon::match_translation(std::span<const std::string> words, std::size_t start) const {
  return longest_match<Translation>(words, start, impl_->dictionary_span,
                                    [this](const std::string& key) { return translations_of_key(key); });
}

}  // namespace xinwen
