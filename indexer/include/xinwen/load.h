// Loading a run of articles into a database with the right writer: several
// writer threads (ParallelLoader) for a new or empty database folder, one
// Indexer otherwise. `xinwen-index add` uses it; a Loader is used from one
// thread, its counters may be read from any.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/shards.h>
#include <xinwen/writer.h>

namespace xinwen {

class Loader {
 public:
  // Opens (or creates) the database at path. With jobs > 1 and a new or empty
  // database folder, articles are written by `jobs` threads into shards that
  // finish() merges; otherwise by one writer, and note() says why when more
  // were asked for. counters (not owned, must outlive the Loader) receive the
  // added, replaced and unchanged counts. Throws EnvironmentError as Indexer.
  // A sharded index (xinwen/shards.h), or a new one when shards is given, is
  // written by a ShardedIndexer, or with jobs > 1 by a ParallelShardLoader
  // (new or not); shards on an index with another scheme, or on an unsharded
  // database, throws UsageError.
  Loader(const std::string& path, unsigned jobs, IndexerOptions options, LoadCounters* counters,
         const std::optional<ShardScheme>& shards = std::nullopt);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Adds or replaces the article with the same id (Indexer::add).
  void add(Article article);

  // Commits and makes the database durable; merges the shards of a parallel
  // load. Throws on a writer's failure.
  void finish();

  bool parallel() const { return parallel_ != nullptr || sharded_parallel_ != nullptr; }
  bool sharded() const { return sharded_ != nullptr || sharded_parallel_ != nullptr; }

  // What the user should know before the run, one sentence each: leftovers
  // of an interrupted parallel load that were removed, and why jobs > 1 was
  // not honoured ("PATH already has articles; adding with one writer ...").
  // Empty when there is nothing to say.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  std::unique_ptr<Indexer> indexer_;
  std::unique_ptr<ParallelLoader> parallel_;
  std::unique_ptr<ShardedIndexer> sharded_;
  std::unique_ptr<ParallelShardLoader> sharded_parallel_;
  LoadCounters* counters_;
  std::vector<std::string> notes_;
};

// Removes PATH.shardN, PATH.merge and PATH.merge-old folders that a killed parallel
// load left beside the database at path (none of them was ever published),
// and returns their names. Call it only while holding the database's write
// lock, so that no running load is using them.
std::vector<std::string> remove_parallel_leftovers(const std::string& path);

}  // namespace xinwen
