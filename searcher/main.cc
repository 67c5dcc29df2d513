// xinwen-search: ranked search from the command line, plus the tools around it:
//   xinwen-search --db DIR [options] QUERY...     search (see --help)
//   xinwen-search analyze [--query] [--json] TEXT  show terms, like _analyze
//   xinwen-search suggest --db DIR PREFIX          completions
//   xinwen-search batch --db DIR                   JSON Lines queries on stdin
//   xinwen-search segment                          raw ICU segmentation of stdin
// Exit status: 0 success (also when nothing matched), 2 bad usage, a query
// syntax error or a missing/unusable database.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include <xinwen/errors.h>
#include <xinwen/search.h>
#include <xinwen/http/server.h>

namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& words) {
  std::string q;
  for (const std::string& w : words) {
    if (!q.empty()) q += ' ';
    q += w;
  }
  return q;
}

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

xinwen::SortOrder parse_sort(const std::string& s) {
  if (s == "relevance") return xinwen::SortOrder::kRelevance;
  if (s == "date") return xinwen::SortOrder::kDate;
  throw xinwen::UsageError("--sort must be relevance or date, not \"" + s + "\"");
}

int run_search(int argc, char** argv) {
  CLI::App app{"xinwen-search: ranked search over a xinwen database.\n"
               "Query syntax: words, \"phrases\", AND OR NOT XOR, +must -not, title: source: lang: tag: author:,\n"
               "word*, 2025-06-01..2025-07-01. Other modes: analyze, suggest, batch, segment, serve."};
  std::string db, sort = "relevance", from, to;
  std::vector<std::string> words, sources, langs;
  std::size_t limit = 10, offset = 0;
  bool json_out = false, facets = false;
  app.add_option("--db", db, "Database directory or stub file")->required();
  app.add_option("-n,--limit", limit, "Results per page (default 10)");
  app.add_option("--offset", offset, "Results to skip");
  app.add_option("--sort", sort, "relevance or date (newest first)");
  app.add_option("--from", from, "Published on or after YYYY-MM-DD");
  app.add_option("--to", to, "Published on or before YYYY-MM-DD");
  app.add_option("--source", sources, "Only this source (repeatable)");
  app.add_option("--lang", langs, "Only this language (repeatable)");
  app.add_flag("--facets", facets, "Also count results by source and month (JSON)");
  app.add_flag("--json", json_out, "Print one JSON object");
  app.add_option("query", words, "The query; put -- first if it starts with a dash")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : xinwen::kExitUsage;
  }

  xinwen::SearchRequest req;
  req.query = join(words);
  req.limit = limit;
  req.offset = offset;
  req.sort = parse_sort(sort);
  req.from = from;
  req.to = to;
  req.sources = sources;
  req.langs = langs;
  req.facets = facets;
  xinwen::Searcher searcher(db);
  xinwen::SearchResponse r = searcher.search(req);
  if (json_out) {
    std::cout << xinwen::to_json(r).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return 0;
  }
  const bool tty = isatty(STDOUT_FILENO);
  if (r.hits.empty()) {
    std::printf("No results for %s\n", r.query.c_str());
    return 0;
  }
  std::printf("About %u results for %s\n\n", r.total, r.query.c_str());
  std::size_t rank = r.offset;
  for (const xinwen::Hit& h : r.hits) {
    ++rank;
    std::string title = h.article.title.empty() ? "(untitled)" : h.article.title;
    if (tty)
      std::printf("%zu. \033[1m%s\033[0m\n", rank, title.c_str());
    else
      std::printf("%zu. %s\n", rank, title.c_str());
    std::string meta;
    for (const std::string* part : {&h.article.source, &h.article.published, &h.article.url}) {
      if (part->empty()) continue;
      if (!meta.empty()) meta += " · ";
      meta += part == &h.article.published ? part->substr(0, 10) : *part;
    }
    if (!meta.empty()) std::printf("   %s\n", meta.c_str());
    std::string snippet = tty ? h.snippet.ansi() : h.snippet.plain();
    if (!snippet.empty()) std::printf("   %s\n", snippet.c_str());
    std::printf("\n");
  }
  return 0;
}

int run_analyze(int argc, char** argv) {
  CLI::App app{"xinwen-search analyze: show the terms the analyzer makes of TEXT, with positions"};
  bool query_mode = false, json_out = false;
  std::vector<std::string> words;
  app.add_flag("--query", query_mode, "Analyze as a query and show the Xapian query it becomes");
  app.add_flag("--json", json_out, "Print JSON, like Elasticsearch's _analyze");
  app.add_option("text", words, "Text to analyze")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : xinwen::kExitUsage;
  }
  std::string text = join(words);
  xinwen::QueryBuilder builder;
  xinwen::Analyzer& analyzer = builder.analyzer();
  std::vector<xinwen::Token> tokens = analyzer.tokenize(text);
  std::vector<std::string> ngrams;
  for (const xinwen::HanRun& run : xinwen::Analyzer::han_runs(text))
    for (const std::string& g : xinwen::han_ngrams(run.chars)) ngrams.push_back(g);
  std::string query_desc;
  if (query_mode) query_desc = builder.parse(text).query.get_description();
  // How each word reaches the index (schema/SCHEMA.md).
  auto indexed_as = [](const xinwen::Token& t) -> std::string {
    if (t.kind != xinwen::TokenKind::kHan) return "term+positions";
    switch (xinwen::han_word_role(t.term)) {
      case xinwen::HanWordRole::kNone: return "n-grams only";
      case xinwen::HanWordRole::kBigram: return "bigram x" + std::to_string(xinwen::kWholeWordWdf);
      case xinwen::HanWordRole::kTerm: break;
    }
    return "term";
  };

  if (json_out) {
    json toks = json::array();
    for (const xinwen::Token& t : tokens) {
      json o = {{"token", t.term},
                {"start_offset", t.begin},
                {"end_offset", t.end},
                {"position", t.position},
                {"type", xinwen::token_kind_name(t.kind)},
                {"indexed", indexed_as(t)}};
      if (std::string s = analyzer.stem(t.term); !s.empty() && t.kind == xinwen::TokenKind::kWord) o["stem"] = s;
      toks.push_back(o);
    }
    json out = {{"tokens", toks}, {"ngrams", ngrams}};
    if (query_mode) out["query"] = query_desc;
    std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::size_t term_width = 4;
  for (const xinwen::Token& t : tokens) term_width = std::max(term_width, display_width(t.term) + 1);
  std::printf("%-4s %s%-7s %-8s %-15s %s\n", "pos", pad("term", term_width).c_str(), "type", "bytes", "indexed",
              "stem");
  for (const xinwen::Token& t : tokens) {
    std::string s = t.kind == xinwen::TokenKind::kWord ? analyzer.stem(t.term) : std::string();
    std::string span = std::to_string(t.begin) + "-" + std::to_string(t.end);
    std::printf("%-4u %s%-7s %-8s %-15s %s\n", t.position, pad(t.term, term_width).c_str(),
                xinwen::token_kind_name(t.kind), span.c_str(), indexed_as(t).c_str(), s.c_str());
  }
  if (!ngrams.empty()) {
    std::printf("han n-grams:");
    for (const std::string& g : ngrams) std::printf(" %s", g.c_str());
    std::printf("\n");
  }
  if (query_mode) std::printf("query: %s\n", query_desc.c_str());
  return 0;
}

int run_suggest(int argc, char** argv) {
  CLI::App app{"xinwen-search suggest: completions for a partly typed query"};
  std::string db;
  std::vector<std::string> words;
  std::size_t count = 8;
  app.add_option("--db", db, "Database")->required();
  app.add_option("-n,--count", count, "How many");
  app.add_option("prefix", words, "What has been typed")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : xinwen::kExitUsage;
  }
  xinwen::Searcher searcher(db);
  for (const std::string& s : searcher.suggest(join(words), count)) std::printf("%s\n", s.c_str());
  return 0;
}

int run_batch(int argc, char** argv) {
  CLI::App app{"xinwen-search batch: JSON Lines queries on stdin, one JSON line out per query:\n"
               "in  {\"q\":..., \"limit\":10, \"source\":..., \"from\":..., \"to\":..., \"sort\":\"relevance|date\",\n"
               "     \"snippets\": false (true: also fetch the articles and cut snippets)}\n"
               "out {\"ms\":0.4, \"total\":12, \"ids\":[...]}  or  {\"ms\":..., \"error\":..., \"ids\":[]}"};
  std::string db;
  std::size_t limit = 10;
  app.add_option("--db", db, "Database")->required();
  app.add_option("--limit", limit, "Default results per query");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : xinwen::kExitUsage;
  }
  xinwen::Searcher searcher(db);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    auto t0 = std::chrono::steady_clock::now();
    json out;
    try {
      json in = json::parse(line);
      xinwen::SearchRequest req;
      req.query = in.value("q", "");
      req.limit = in.value("limit", limit);
      req.offset = in.value("offset", std::size_t{0});
      req.sort = parse_sort(in.value("sort", "relevance"));
      req.from = in.value("from", "");
      req.to = in.value("to", "");
      if (in.contains("source")) req.sources.push_back(in["source"].get<std::string>());
      if (in.contains("lang")) req.langs.push_back(in["lang"].get<std::string>());
      // Ids only, as the other engines of the benchmark answer, unless asked.
      req.snippets = in.value("snippets", false);
      req.stored_fields = req.snippets;
      xinwen::SearchResponse r = searcher.search(req);
      json ids = json::array();
      for (const xinwen::Hit& h : r.hits) ids.push_back(h.article.id);
      out = {{"total", r.total}, {"ids", ids}};
    } catch (const std::exception& e) {
      out = {{"error", e.what()}, {"ids", json::array()}};
    }
    out["ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
  return 0;
}

int run_segment() {
  xinwen::Analyzer analyzer;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string out;
    for (std::string_view seg : analyzer.segment(line)) {
      if (!out.empty()) out += ' ';
      out += seg;
    }
    std::cout << out << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc > 1) {
      std::string_view mode = argv[1];
      if (mode == "analyze") return run_analyze(argc - 1, argv + 1);
      if (mode == "suggest") return run_suggest(argc - 1, argv + 1);
      if (mode == "batch") return run_batch(argc - 1, argv + 1);
      if (mode == "segment") return run_segment();
      if (mode == "serve") return xinwen::run_server_command(argc - 1, argv + 1);
    }
    return run_search(argc, argv);
  } catch (const xinwen::Error& e) {
    std::fprintf(stderr, "xinwen-search: %s\n", e.what());
    return xinwen::kExitUsage;
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xinwen-search: database error: %s\n", e.get_msg().c_str());
    return xinwen::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xinwen-search: %s\n", e.what());
    return xinwen::kExitUsage;
  }
}
