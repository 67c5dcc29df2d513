// xinwen-search [--db DIR] [options] [--] QUERY...: ranked search, printed
// for people (bold matches on a terminal) or as one JSON object.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include <xinwen/ascii.h>

#include "commands.h"

namespace xinwen {
namespace {

struct SearchCommand {
  std::string db;
  SearchRequest request;
  std::vector<std::string> words;
  bool json = false;
  LexiconPaths lexicon;
  bool no_expand = false;
  OpenOptions open;
};

int run_search(SearchCommand& c) {
  c.request.query = join_words(c.words);
  if (c.request.query.empty() && c.request.like.empty()) throw UsageError("a query or --like ID is needed");
  c.request.expand = !c.no_expand;
  SearcherOptions options;
  options.open = c.open;
  if (c.request.expand) options.lexicon = load_lexicon(c.lexicon);
  Searcher searcher(c.db, options);
  SearchResponse r = searcher.search(c.request);
  if (c.json) {
    std::cout << to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  const bool tty = isatty(STDOUT_FILENO);
  const std::string what =
      r.like.empty() ? r.query : "articles like " + r.like + (r.query.empty() ? "" : " and " + r.query);
  if (!r.missing_shards.empty())
    std::printf("Partial results: shards not searched: %s\n", join(r.missing_shards, ", ").c_str());
  if (!r.did_you_mean.empty()) std::printf("Did you mean: %s\n", r.did_you_mean.c_str());
  if (r.hits.empty()) {
    std::printf("No results for %s\n", what.c_str());
    return kExitOk;
  }
  std::printf("About %u results for %s\n", r.total, what.c_str());
  // "Also searched": every form the words were expanded to, once.
  std::vector<std::string> also;
  for (const Expansion& e : r.expansions)
    for (const std::string& form : e.to)
      if (std::find(also.begin(), also.end(), form) == also.end()) also.push_back(form);
  if (!also.empty()) {
    constexpr std::size_t kShown = 8;
    std::string line = join(std::span(also).first(std::min(also.size(), kShown)), ", ");
    if (also.size() > kShown) line += " and " + std::to_string(also.size() - kShown) + " more";
    std::printf("Also searched: %s\n", line.c_str());
  }
  std::printf("\n");
  std::size_t rank = r.offset;
  for (const Hit& h : r.hits) {
    ++rank;
    std::string title = h.article.title.empty() ? "(untitled)" : h.article.title;
    if (tty)
      std::printf("%zu. \033[1m%s\033[0m\n", rank, title.c_str());
    else
      std::printf("%zu. %s\n", rank, title.c_str());
    std::string meta;
    if (h.copies > 1) meta = "(+" + std::to_string(h.copies - 1) + (h.copies == 2 ? " copy)" : " copies)");
    for (const std::string* part : {&h.article.source, &h.article.published, &h.article.url}) {
      if (part->empty()) continue;
      if (!meta.empty()) meta += " · ";
      meta += part == &h.article.published ? part->substr(0, 10) : *part;
    }
    if (!meta.empty()) std::printf("   %s\n", meta.c_str());
    std::string snippet = tty ? h.snippet.ansi() : h.snippet.plain();
    if (!snippet.empty()) std::printf("   %s\n", snippet.c_str());
    if (!h.missing.empty()) std::printf("   Missing: %s\n", join(h.missing, ", ").c_str());
    std::printf("\n");
  }
  return kExitOk;
}

}  // namespace

Mode add_search_options(CLI::App& app) {
  auto c = std::make_shared<SearchCommand>();
  SearchRequest& r = c->request;
  CLI::Option_group* g = app.add_option_group("Search", "Searching, when no mode is named");
  g->add_option("--db", c->db, "Database directory or stub file")->required();
  g->add_option("-n,--limit", r.limit, "Results per page");
  g->add_option("--offset", r.offset, "Results to skip");
  g->add_option_function<std::string>(
       "--sort", [c](const std::string& s) { c->request.sort = parse_sort(s); },
       "Order: relevance, or date (newest first)")
      ->check(CLI::IsMember({"relevance", "date"}))
      ->default_str(sort_name(r.sort));
  g->add_option("--from", r.from, "Published on or after YYYY-MM-DD");
  g->add_option("--to", r.to, "Published on or before YYYY-MM-DD");
  g->add_option("--source", r.sources, "Only this source (repeatable)")->default_str("");
  g->add_option("--lang", r.langs, "Only this language (repeatable)")->default_str("");
  g->add_flag("--facets", r.facets, "Also count results by source and month (JSON)");
  g->add_flag("--json", c->json, "Print one JSON object");
  g->add_option("--recency-halflife", r.recency_halflife,
                "Days in which an article's freshness boost halves (0: no freshness)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  g->add_option("--now", r.now, "Measure article ages from YYYY-MM-DD[THH:MM:SSZ] (default: the newest article)");
  g->add_option("--like", r.like, "Articles like the one with this id (a query, if given, must match too)");
  g->add_flag("!--no-spelling", r.spelling, "Do not offer a spelling correction (\"Did you mean\")");
  g->add_flag("!--no-collapse", r.collapse, "Show every copy of a syndicated story, not one result per story");
  g->add_option("query", c->words, "The query; put -- first if it starts with a dash")->default_str("");
  add_lexicon_options(*g, c->lexicon, &c->no_expand);
  add_remote_options(*g, c->open);
  return {g, [c] { return run_search(*c); }};
}

}  // namespace xinwen
