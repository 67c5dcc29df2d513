// Sharded indexes: a folder DIR holding one Xapian database per shard
// (DIR/2025-06, DIR/undated, DIR/h03 ...), the stub DIR/XAPIANDB that lists
// them so that Xapian opens DIR as one database, DIR/SHARDS naming the scheme,
// and the fetcher's state in DIR/fetch-state. Used by xinwen-index (add,
// delete, stats, compact), Loader and the fetcher. A ShardedIndexer or a
// ParallelShardLoader is used from one thread; the free functions from any.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/writer.h>

namespace xinwen {

inline constexpr std::string_view kStubFile = "XAPIANDB";
inline constexpr std::string_view kShardSchemeFile = "SHARDS";
inline constexpr std::string_view kFetchStateDb = "fetch-state";
inline constexpr std::string_view kCompactedFile = "COMPACTED";

// How articles are routed: by the month or year of their published date (UTC;
// undated articles go to the shard "undated"), or by a stable hash of the id
// into N shards named h0..h(N-1), zero-padded to at least two digits.
struct ShardScheme {
  enum class Kind { kMonth, kYear, kHash };
  Kind kind = Kind::kMonth;
  unsigned buckets = 0;  // kHash only, 1 to 1024

  std::string text() const;  // "month", "year", "hash:N"
  std::string shard_of(const Article& article) const;
  bool operator==(const ShardScheme&) const = default;
};

// Parses "month", "year" or "hash:N"; nullopt when it is none of them.
std::optional<ShardScheme> parse_shard_scheme(std::string_view text);

// True when path is a folder holding SHARDS: a sharded index.
bool is_sharded(const std::string& path);

// Makes path a sharded index with scheme requested if nothing is there yet, and
// returns the scheme it has. Throws UsageError when requested differs from the
// recorded scheme, or when path is an unsharded database; EnvironmentError when
// SHARDS cannot be read or written.
ShardScheme open_sharded(const std::string& path, const std::optional<ShardScheme>& requested);

// The shard names listed by DIR/XAPIANDB, sorted.
std::vector<std::string> list_shards(const std::string& dir);

// Writes DIR/XAPIANDB listing names (sorted) as "auto NAME" lines: a temporary
// file renamed over the old one, so that a reader sees the old or the new list
// and a Searcher's reopen sees a new file.
void write_stub(const std::string& dir, std::vector<std::string> names);

// The largest number of shard writers a ShardedIndexer keeps open; the least
// recently used one is committed and closed to open another.
inline constexpr std::size_t kMaxOpenShardWriters = 16;

// Indexer's add/remove/commit/finish over a sharded index: each article goes to
// its shard; a re-add whose date moves it to another shard removes it from the
// old one, so an id is in exactly one shard. Copies of one story get one story
// id across shards.
class ShardedIndexer {
 public:
  // Opens the sharded index at dir (open_sharded(dir, nullopt) must say it
  // is one). Throws EnvironmentError.
  explicit ShardedIndexer(const std::string& dir, IndexerOptions options = {});
  ~ShardedIndexer();
  ShardedIndexer(const ShardedIndexer&) = delete;
  ShardedIndexer& operator=(const ShardedIndexer&) = delete;

  // As Indexer::add; a move to another shard counts as kReplaced.
  AddResult add(const Article& article);
  // Removes the id from whatever shard holds it; false if none did.
  bool remove(std::string_view id);
  // Stores fetch state (DIR/fetch-state); "" deletes the key.
  void set_metadata(const std::string& key, const std::string& value);
  void commit();
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Loads into a sharded index with `jobs` writer threads, each owning the
// shards whose name hashes to it; the calling thread routes (moves included).
class ParallelShardLoader {
 public:
  ParallelShardLoader(const std::string& dir, unsigned jobs, IndexerOptions options, LoadCounters* counters);
  ~ParallelShardLoader();
  ParallelShardLoader(const ParallelShardLoader&) = delete;
  ParallelShardLoader& operator=(const ParallelShardLoader&) = delete;

  void submit(Article article);
  // Waits for the writers and commits. Throws on a writer's failure.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One shard as `xinwen-index stats` shows it.
struct ShardStats {
  std::string name;
  Xapian::doccount documents = 0;
  std::uint64_t bytes = 0;
  std::string last_update;
};
std::vector<ShardStats> shard_stats(const std::string& dir);

// What compact_shards did with one shard.
struct ShardCompaction {
  std::string name;
  enum class Outcome { kUnchanged, kCompacted, kLocked, kFailed } outcome = Outcome::kUnchanged;
  std::uint64_t bytes_before = 0, bytes_after = 0;
  std::string error;
};

// Compacts the shards whose revision changed since their last compaction
// (recorded in DIR/COMPACTED), each into a fresh folder (Xapian's compactor),
// checked with Xapian's checker when check is set, swapped in with
// swap_in_database while its write lock is held; then rewrites the stub so that
// readers reopen. A shard another writer holds is skipped (kLocked).
std::vector<ShardCompaction> compact_shards(const std::string& dir, bool check);

}  // namespace xinwen
