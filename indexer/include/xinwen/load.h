// Loading a run of articles into a database with the right writer: several
// writer threads (ParallelLoader) for a new or empty database folder, one
// Indexer otherwise. `xinwen-index add` uses it; a Loader is used from one
// thread, its counters may be read from any.
#pragma once

#include <memory>
#include <string>

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

  // Why jobs > 1 was not honoured, as one sentence for the user ("PATH already
  // has articles; adding with one writer ..."); "" when it was, or jobs <= 1.
  const std::string& note() const { return note_; }

 private:
  std::unique_ptr<Indexer> indexer_;
  std::unique_ptr<ParallelLoader> parallel_;
  LoadCounters* counters_;
  std::string note_;
};

}  // namespace xinwen
