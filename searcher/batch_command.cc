// xinwen-search batch --db DIR: JSON Lines queries on standard input, one
// JSON line out per query, for the benchmark (scripts/bench_lib/engines.py).
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"

namespace xinwen {
namespace {

struct BatchCommand {
  std::string db;
  SearchRequest defaults;  // what a query line does not say
  LexiconPaths lexicon;
  bool no_expand = false;
  bool no_collapse = false;
  OpenOptions open;
};

// A flag of a query line: true/false or a number (0 is false).
bool flag_field(const nlohmann::json& in, const char* name, bool fallback) {
  if (!in.contains(name)) return fallback;
  const nlohmann::json& v = in[name];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  throw UsageError(std::string(name) + " must be true, false, 1 or 0");
}

// A count of a query line (limit, offset): a whole number from 0 to max. The
// range is checked on the JSON number before any conversion, since a double
// such as 1e30 or -1 converted to an unsigned integer is undefined.
std::size_t count_field(const nlohmann::json& in, const char* name, std::size_t fallback, std::size_t max) {
  if (!in.contains(name)) return fallback;
  const nlohmann::json& v = in[name];
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= max) return static_cast<std::size_t>(v.get<std::uint64_t>());
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && static_cast<std::uint64_t>(v.get<std::int64_t>()) <= max)
    return static_cast<std::size_t>(v.get<std::int64_t>());
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d >= 0 && d <= static_cast<double>(max) && d == std::floor(d))
      return static_cast<std::size_t>(d);
  }
  throw UsageError(std::string(name) + " must be a whole number from 0 to " + std::to_string(max));
}

// Bounds of limit and offset; the searcher checks its own page limit too.
constexpr std::size_t kMaxBatchCount = 1000000;

int run_batch(const BatchCommand& c) {
  using nlohmann::json;
  SearcherOptions options;
  options.lexicon = load_lexicon(c.lexicon);
  options.open = c.open;
  Searcher searcher(c.db, options);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    auto t0 = std::chrono::steady_clock::now();
    json out;
    try {
      json in = json::parse(line);
      SearchRequest req = c.defaults;
      req.query = in.value("q", "");
      req.limit = count_field(in, "limit", c.defaults.limit, kMaxBatchCount);
      req.offset = count_field(in, "offset", c.defaults.offset, kMaxBatchCount);
      req.sort = parse_sort(in.value("sort", sort_name(c.defaults.sort)));
      req.from = in.value("from", "");
      req.to = in.value("to", "");
      if (in.contains("source")) req.sources.push_back(in["source"].get<std::string>());
      if (in.contains("lang")) req.langs.push_back(in["lang"].get<std::string>());
      // Ids only, as the other engines of the benchmark answer, unless asked.
      req.snippets = in.value("snippets", false);
      req.stored_fields = req.snippets;
      req.recency_halflife = in.value("recency_halflife", c.defaults.recency_halflife);
      req.now = in.value("now", c.defaults.now);
      req.like = in.value("like", "");
      req.spelling = in.value("spelling", c.defaults.spelling);
      req.expand = flag_field(in, "expand", !c.no_expand);
      // "collapse": false or 0 shows every copy of a story.
      req.collapse = flag_field(in, "collapse", !c.no_collapse);
      SearchResponse r = searcher.search(req);
      json ids = json::array();
      for (const Hit& h : r.hits) ids.push_back(h.article.id);
      out = {{"total", r.total}, {"ids", ids}};
      if (!r.did_you_mean.empty()) out["did_you_mean"] = r.did_you_mean;
      if (!r.missing_shards.empty()) {
        out["partial"] = true;
        out["missing_shards"] = r.missing_shards;
      }
    } catch (const std::exception& e) {
      out = {{"error", e.what()}, {"ids", json::array()}};
    }
    out["ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
  return kExitOk;
}

}  // namespace

Mode add_batch_command(CLI::App& app) {
  auto c = std::make_shared<BatchCommand>();
  CLI::App* sub = app.add_subcommand(
      "batch",
      "JSON Lines queries on stdin, one JSON line out per query:\n"
      "in  {\"q\":..., \"limit\":10, \"source\":..., \"from\":..., \"to\":..., \"sort\":\"relevance|date\",\n"
      "     \"snippets\": false (true: also fetch the articles and cut snippets),\n"
      "     \"recency_halflife\": days (0: no freshness), \"now\": \"YYYY-MM-DD\" (ages measured from),\n"
      "     \"like\": an article id (find articles like it), \"spelling\": true (false: no did_you_mean),\n"
      "     \"expand\": true (false or 0: no expansion across English and Chinese),\n"
      "     \"collapse\": true (false: every copy of a story, not one result per story)}\n"
      "out {\"ms\":0.4, \"total\":12, \"ids\":[...], \"did_you_mean\": only when offered,\n"
      "     \"partial\": true and \"missing_shards\": [...] only when shards were left out (--allow-partial)}\n"
      "    or  {\"ms\":..., \"error\":..., \"ids\":[]}");
  sub->add_option("--db", c->db, "Database")->required();
  sub->add_option("--limit", c->defaults.limit, "Results per query that gives no limit");
  sub->add_option("--recency-halflife", c->defaults.recency_halflife,
                  "Freshness half-life in days for queries that give none (0: no freshness)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_flag("--no-collapse", c->no_collapse,
                "Every copy of a story for queries that do not say (\"collapse\": true collapses)");
  add_lexicon_options(*sub, c->lexicon, &c->no_expand);
  add_remote_options(*sub, c->open);
  return {sub, [c] { return run_batch(*c); }};
}

}  // namespace xinwen
