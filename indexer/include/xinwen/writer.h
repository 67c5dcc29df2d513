// Writing articles into a xinwen database. Used by xinwen-index (add, delete)
// and by the feed fetcher, so that every input gets the same ids, the same
// replacement rule and the same batched commits.
//
// An Indexer owns a Xapian::WritableDatabase (one writer per database, enforced
// by Xapian's lock) and an Analyzer: use it from one thread. Commits happen
// every batch_size changes and in commit(); a run killed between commits leaves
// the database at its last commit.
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <xinwen/analyzer.h>
#include <xinwen/article.h>
#include <xinwen/db.h>

namespace xinwen {

class StoryIndex;
class ShardStories;

struct IndexerOptions {
  // Documents changed between two commits. Small batches keep Xapian's
  // in-memory postings in cache: 250-500 indexed fastest on our corpora.
  std::size_t batch_size = 500;
  AnalyzerOptions analyzer;
};

enum class AddResult { kAdded, kReplaced, kUnchanged };

class Indexer {
 public:
  // Opens the database at path, creating it if needed. Throws EnvironmentError
  // if it cannot be opened or was built with another schema version.
  explicit Indexer(const std::string& path, IndexerOptions options = {});
  // A writer of shard `shard` of a sharded index (xinwen/shards.h): story ids
  // come from the stories of every shard, which the caller has loaded.
  Indexer(const std::string& path, IndexerOptions options, ShardStories* shared, std::size_t shard);
  ~Indexer();
  Indexer(const Indexer&) = delete;
  Indexer& operator=(const Indexer&) = delete;

  // Adds or replaces the article with the same id. An article whose stored
  // form is identical to the indexed one is left alone.
  AddResult add(const Article& article);

  // Removes the article with this id; false if there was none.
  bool remove(std::string_view id);

  // Records the schema version and the update time, then commits.
  void commit();

  // Commits, then makes the database durable. A database that was empty when
  // opened is written without an fsync per commit (a killed process still
  // leaves the last commit; only a machine crash in a first load loses it);
  // finish() syncs its files once. Call it at the end of a run.
  void finish();

  Xapian::WritableDatabase& database() { return db_; }

 private:
  void maybe_commit();
  // The spelling data ("did you mean") counts the English words of each
  // indexed article's title and body.
  void add_spelling(const Xapian::Document& doc);
  void remove_spelling(Xapian::docid did);
  // Gives doc the story id of the nearest near-duplicate already indexed
  // (other than self, the document it replaces), keeping its own otherwise.
  void assign_story(Xapian::Document& doc, Xapian::docid self);
  void record_story(Xapian::docid did, const Xapian::Document& doc);

  IndexerOptions options_;
  std::string path_;
  bool unsynced_ = false;
  Xapian::WritableDatabase db_;
  Analyzer analyzer_;
  std::size_t pending_ = 0;
  std::unique_ptr<StoryIndex> stories_;  // loaded on the first add
  ShardStories* shared_ = nullptr;       // instead of stories_ in a sharded index
  std::size_t shard_ = 0;
};

// The stored-form hash the indexer compares to decide "unchanged".
std::string content_hash(const Article& article);

// Counts kept while a (possibly parallel) load runs; read from any thread.
struct LoadCounters {
  std::atomic<std::size_t> added{0}, replaced{0}, unchanged{0}, rejected{0}, bytes{0};
};

// Bulk load into a new or empty database with several writer threads: each
// thread analyzes and writes its own shard (articles are routed by id, so a
// repeated id still replaces), then the shards are merged with Xapian's
// compactor and swapped in (swap_in_database). Shard 0 is the database
// itself, so a killed load leaves it usable at its last commit; the next run's
// Loader clears the unpublished shards (remove_parallel_leftovers). submit() and finish() are called from
// one thread. Loader (xinwen/load.h) decides when a load can use it.
// Puts the database folder at fresh in the place of the one at path in one
// step (renameat2 RENAME_EXCHANGE): a reader or a kill never finds path
// missing. The old database ends at fresh. On a file system without the
// exchange, two renames do the same with a moment between them. Throws
// EnvironmentError.
void swap_in_database(const std::string& fresh, const std::string& path);

class ParallelLoader {
 public:
  ParallelLoader(const std::string& path, unsigned jobs, IndexerOptions options, LoadCounters* counters);
  ~ParallelLoader();
  ParallelLoader(const ParallelLoader&) = delete;
  ParallelLoader& operator=(const ParallelLoader&) = delete;

  void submit(Article article);
  // Waits for the writers, merges the shards. Throws on a writer's failure.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xinwen
