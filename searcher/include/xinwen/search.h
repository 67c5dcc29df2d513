// Searching a xinwen database: one code path for the CLI, the batch mode and
// the HTTP server. A Searcher owns a read-only Xapian::Database and a
// QueryBuilder: it is not thread-safe, so each thread keeps its own. It reopens
// the database when a writer's commit invalidates what it was reading.
#pragma once

#include <xapian.h>

#include <chrono>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/db.h>
#include <xinwen/query.h>
#include <xinwen/recency.h>
#include <xinwen/snippet.h>

namespace xinwen {

enum class SortOrder { kRelevance, kDate };

struct SearchRequest {
  std::string query;
  std::size_t offset = 0;
  std::size_t limit = 10;
  SortOrder sort = SortOrder::kRelevance;
  std::string from, to;              // YYYY-MM-DD, inclusive; empty = open
  std::vector<std::string> sources;  // any of these (display names or folded)
  std::vector<std::string> langs;    // any of these
  bool facets = false;               // count results by each of facet_specs()
  std::size_t snippet_chars = 160;   // code points of context in a snippet
  bool snippets = true;              // cut a snippet for each hit
  bool stored_fields = true;         // false: hits carry only id and score
  // Freshness (relevance order only): a dated match gains up to
  // kRecencyMaxBoost, halved every recency_halflife days of age; 0 turns it off.
  double recency_halflife = kDefaultRecencyHalflifeDays;
  // The reference age is measured from, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ;
  // empty: the newest article's time, or the clock if that is earlier.
  std::string now;
  std::string like;      // an article id: find articles like it (the query, if any, must match too)
  bool spelling = true;  // offer a spelling correction (SearchResponse::did_you_mean)
  bool expand = true;    // expand words across English and Chinese (SearcherOptions::lexicon)
  bool collapse = true;  // copies of one story (kSlotStory) show as one hit
  // A shard that is down or too slow is left out (SearchResponse::missing_shards)
  // instead of failing the search with ShardUnavailable; unset: as
  // SearcherOptions::open.allow_partial says.
  std::optional<bool> allow_partial;
};

struct Hit {
  Xapian::docid docid = 0;
  Article article;  // the stored fields; only the id when SearchRequest::stored_fields is false
  double score = 0;
  bool all_words = true;  // matched every query word (false: some)
  Snippet snippet;
  // Articles this hit stands for, itself included, when copies were
  // collapsed. A lower bound: Xapian counts only the copies its matcher saw.
  Xapian::doccount copies = 1;
  // The query's words (as typed) this hit lacks, expansions considered: set
  // only when all_words is false.
  std::vector<std::string> missing;
};

struct FacetCount {
  std::string value;
  Xapian::doccount count;
};

// A facet: the matches counted by the values of one slot.
struct FacetSpec {
  std::string_view name;  // key under "facets" in the JSON output
  Xapian::valueno slot;
  std::size_t max;    // values kept
  bool newest_first;  // by value, descending (months); else largest count first
  // Counted by the boolean terms of this prefix instead of a value slot
  // (slot unused): for fields with few values and no slot, such as lang.
  std::string_view term_prefix = {};
};

// The facets a search with SearchRequest::facets counts: source, month, then lang.
std::span<const FacetSpec> facet_specs();

struct Facet {
  std::string_view name;  // FacetSpec::name
  std::vector<FacetCount> counts;
};

struct SearchResponse {
  std::string query;
  Xapian::doccount total = 0;  // an estimate, as Xapian gives it
  std::size_t offset = 0, limit = 0;
  std::vector<Hit> hits;
  std::vector<Facet> facets;          // one per facet_specs(), when facets were asked
  std::string did_you_mean;           // the query with English words corrected, when that finds more; else empty
  std::string like;                   // SearchRequest::like
  std::vector<Expansion> expansions;  // what the query's words were expanded to ("also searched")
  // The answer is incomplete: the time limit left out the facet counts or the
  // spelling suggestion, or shards were missing (missing_shards).
  bool partial = false;
  std::vector<std::string> missing_shards;  // shards left out, as the stub names them
};

// A search that ran past SearcherOptions::time_limit before its results were
// complete; the HTTP server answers it 503.
class SearchTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SearcherOptions {
  QueryLimits limits;
  // Seconds one search may take (0: no limit). Past it the match stops with
  // SearchTimeout; the facet counts and the spelling suggestion are dropped
  // instead (SearchResponse::partial).
  double time_limit = 0;
  std::size_t max_limit = 1000;           // the largest page one request may ask
  Xapian::doccount facet_sample = 20000;  // documents the facet counters look at
  // Entities and the dictionary for query expansion (QueryBuilder::set_lexicon);
  // null: queries are taken literally. Shared, read-only, by any number of Searchers.
  std::shared_ptr<const Lexicon> lexicon;
  // Remote shards: their timeout, and whether a shard that cannot be opened
  // is left out (open_shards). A search may leave out shards only when its
  // request allows it (SearchRequest::allow_partial).
  OpenOptions open;
  // Seconds before a left-out shard is tried again, so that a dead shard does
  // not cost every search a connection attempt.
  double shard_retry_seconds = 5;
};

class Searcher {
 public:
  // Opens path read-only (a database directory or a stub file, whose remote
  // shards are opened as options.open says). Throws EnvironmentError if it is
  // missing, unreadable or of another schema, ShardUnavailable if a shard
  // cannot be opened (with options.open.allow_partial: if none can).
  explicit Searcher(const std::string& path, SearcherOptions options = {});

  // Throws UsageError on a bad query or request. A shard that fails during
  // the search (a remote one down, or silent past the remote timeout) makes
  // it throw ShardUnavailable naming the shard; when the request allows
  // partial answers, the search is run once more without it instead and the
  // answer names it in missing_shards. Left-out shards are tried again at
  // most every shard_retry_seconds.
  SearchResponse search(const SearchRequest& request);

  // Completions for what a user is typing: indexed words that start with the
  // last word of prefix, most frequent first. After one Han character they
  // include the two-character words that start with it (bigrams of the index
  // that ICU's dictionary holds as words).
  std::vector<std::string> suggest(std::string_view prefix, std::size_t count = 8);

  // Picks up the writer's latest commit; true if anything changed.
  bool reopen();

  // Every shard, as last opened: which are in use and why the others are not.
  const std::vector<ShardStatus>& shards() const { return shards_; }
  // Opens every shard afresh (for a health check) and returns their state;
  // the searcher goes on with those that answered. Throws nothing for shards.
  const std::vector<ShardStatus>& check_shards();
  // Counts the times the set of shards in use changed (a shard left out or
  // back), which changes database().get_uuid() without a new commit.
  unsigned shard_generation() const { return generation_; }

  Xapian::Database& database() { return db_; }
  QueryBuilder& builder() { return builder_; }

 private:
  SearchResponse search_once(const SearchRequest& request);
  SearchResponse search_retrying(const SearchRequest& request);
  // Opens every shard of path_ afresh; throws ShardUnavailable if a shard
  // fails and !allow_partial, or if none opened.
  void open_all(bool allow_partial);
  void retry_missing_shards();
  void require_all_shards() const;
  Snippet make_snippet(const std::string& text, const Highlights& hl, std::size_t chars);

  std::string path_;
  SearcherOptions options_;
  Xapian::Database db_;
  std::vector<ShardStatus> shards_;
  unsigned generation_ = 0;
  std::chrono::steady_clock::time_point last_shard_retry_{};
  bool remote_ = false;  // db_ has a shard on Xapian's remote backend
  QueryBuilder builder_;
};

// Weight added to articles that match every word of a list of words; larger
// than any sum of BM25 weights a query within QueryLimits can reach.
inline constexpr double kTierBonus = 1e6;

// The JSON documents of the CLI and the API (schema/JSON.md; version 1).
inline constexpr int kJsonVersion = 1;
nlohmann::json to_json(const SearchResponse& response);
// [{"words": as typed, "kind": "entity|kind|translation", "to": [forms]}]
nlohmann::json expansions_json(const std::vector<Expansion>& expansions);

}  // namespace xinwen
