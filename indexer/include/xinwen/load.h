// Loading a run of articles into a database with the right writer: several
// writer threads (ParallelLoader) for a new or empty database folder, one
// Indexer otherwise. `xinwen-index add` uses it; a Loader is used from one
// thread, its counters may be read from any.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/writer.h>

namespace xinwen {

class Loader {
 public:
  // Opens (or creates) the database at path. With jobs > 1 and a new or empty
  // database folder, articles are written by `jobs` threads into shards that
  // finish() merges; otherwise by one writer, and note() says why when more
  // were asked for. counters (not owned, must outlive the Loader) receive the
  // added, replaced and unchanged counts. Throws EnvironmentError as Indexer.
  Loader(const std::string& path, unsigned jobs, IndexerOptions options, LoadCounters* counters);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Adds or replaces the article with the same id (Indexer::add).
  void add(Article article);

  // Commits and makes the database durable; merges the shards of a parallel
  // load. Throws on a writer's failure.
  void finish();

  bool parallel() const { return parallel_ != nullptr; }

  // What the user should know before the run, one sentence each: leftovers
  // of an interrupted parallel load that were removed, and why jobs > 1 was
  // not honoured ("PATH already has articles; adding with one writer ...").
  // Empty when there is nothing to say.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  std::unique_ptr<Indexer> indexer_;
  std::unique_ptr<ParallelLoader> parallel_;
  LoadCounters* counters_;
  std::vector<std::string> notes_;
};

// Removes PATH.shardN, PATH.merge and PATH.merge-old folders that a killed parallel
// load left beside the database at path (none of them was ever published),
// and returns their names. Call it only while holding the database's write
// lock, so that no running load is using them.
std::vector<std::string> remove_parallel_leftovers(const std::string& path);

}  // namespace xinwen
