// xinwen-search analyze [--query] [--json] TEXT...: the terms the analyzer
// makes of TEXT, with positions and how each reaches the index, like
// Elasticsearch's _analyze; with --query, the Xapian query it becomes.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include <xinwen/analyzer.h>
#include <xinwen/query.h>
#include <xinwen/search.h>

#include "commands.h"

namespace xinwen {
namespace {

struct AnalyzeCommand {
  std::vector<std::string> words;
  bool query = false;
  bool json = false;
  LexiconPaths lexicon;
  bool no_expand = false;
};

// Columns on a terminal: CJK characters take two cells.
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = c < 0x80 ? c : 0;
    if (len == 3 && i + 2 < s.size())
      cp = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3F);
    bool wide = len == 4 || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60);
    w += wide ? 2 : 1;
    i += len;
  }
  return w;
}

std::string pad(const std::string& s, std::size_t width) {
  std::size_t w = display_width(s);
  return w >= width ? s + " " : s + std::string(width - w, ' ');
}

// How a word reaches the index (schema/SCHEMA.md).
std::string indexed_as(const Token& t) {
  if (t.kind != TokenKind::kHan) return "term+positions";
  switch (han_word_role(t.term)) {
    case HanWordRole::kNone: return "n-grams only";
    case HanWordRole::kBigram: return "bigram x" + std::to_string(kWholeWordWdf);
    case HanWordRole::kTerm: break;
  }
  return "term";
}

int run_analyze(const AnalyzeCommand& c) {
  using nlohmann::json;
  std::string text = join_words(c.words);
  QueryBuilder builder;
  Analyzer& analyzer = builder.analyzer();
  std::vector<Token> tokens = analyzer.tokenize(text);
  std::vector<std::string> ngrams;
  for (const HanRun& run : Analyzer::han_runs(text))
    for (const std::string& g : han_ngrams(run.chars)) ngrams.push_back(g);
  std::string query_desc;
  std::vector<Expansion> expansions;
  if (c.query) {
    if (!c.no_expand) builder.set_lexicon(load_lexicon(c.lexicon));
    ParsedQuery pq = builder.parse(text);
    query_desc = pq.query.get_description();
    expansions = std::move(pq.expansions);
  }

  if (c.json) {
    json toks = json::array();
    for (const Token& t : tokens) {
      json o = {{"token", t.term},        {"start_offset", t.begin},         {"end_offset", t.end},
                {"position", t.position}, {"type", token_kind_name(t.kind)}, {"indexed", indexed_as(t)}};
      if (std::string s = analyzer.stem(t.term); !s.empty() && t.kind == TokenKind::kWord) o["stem"] = s;
      toks.push_back(o);
    }
    json out = {{"tokens", toks}, {"ngrams", ngrams}};
    if (c.query) {
      out["query"] = query_desc;
      out["expansions"] = expansions_json(expansions);
    }
    std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  std::size_t term_width = 4;
  for (const Token& t : tokens) term_width = std::max(term_width, display_width(t.term) + 1);
  std::printf("%-4s %s%-7s %-8s %-15s %s\n", "pos", pad("term", term_width).c_str(), "type", "bytes", "indexed",
              "stem");
  for (const Token& t : tokens) {
    std::string s = t.kind == TokenKind::kWord ? analyzer.stem(t.term) : std::string();
    std::string span = std::to_string(t.begin) + "-" + std::to_string(t.end);
    std::printf("%-4u %s%-7s %-8s %-15s %s\n", t.position, pad(t.term, term_width).c_str(), token_kind_name(t.kind),
                span.c_str(), indexed_as(t).c_str(), s.c_str());
  }
  if (!ngrams.empty()) {
    std::printf("han n-grams:");
    for (const std::string& g : ngrams) std::printf(" %s", g.c_str());
    std::printf("\n");
  }
  for (const Expansion& e : expansions)
    std::printf("expanded %s (%s): %s\n", e.words.c_str(), expansion_kind_name(e.kind), join(e.to, ", ").c_str());
  if (c.query) std::printf("query: %s\n", query_desc.c_str());
  return kExitOk;
}

}  // namespace

Mode add_analyze_command(CLI::App& app) {
  auto c = std::make_shared<AnalyzeCommand>();
  CLI::App* sub = app.add_subcommand("analyze", "Show the terms the analyzer makes of TEXT, with positions");
  sub->add_flag("--query", c->query, "Analyze as a query and show the Xapian query it becomes");
  sub->add_flag("--json", c->json, "Print JSON, like Elasticsearch's _analyze");
  add_lexicon_options(*sub, c->lexicon, &c->no_expand);
  sub->add_option("text", c->words, "Text to analyze")->required()->default_str("");
  return {sub, [c] { return run_analyze(*c); }};
}

}  // namespace xinwen
