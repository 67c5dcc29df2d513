#include <xinwen/load.h>

#include <filesystem>

namespace xinwen {

Loader::Loader(const std::string& path, unsigned jobs, IndexerOptions options, LoadCounters* counters)
    : counters_(counters) {
  // The one writer opens (or creates) the database and checks its schema;
  // when it shows a new or empty folder it makes way for the parallel load.
  indexer_ = std::make_unique<Indexer>(path, options);
  if (jobs <= 1) return;
  std::error_code ec;
  if (indexer_->database().get_doccount() != 0) {
    note_ = path + " already has articles; adding with one writer (--jobs applies to new databases)";
  } else if (std::filesystem::is_regular_file(path, ec)) {
    // A stub file names databases elsewhere; the shards and the merge need a folder.
    note_ = path + " is a stub database file; adding with one writer (--jobs applies to new database folders)";
  } else {
    indexer_.reset();
    parallel_ = std::make_unique<ParallelLoader>(path, jobs, options, counters);
  }
}

Loader::~Loader() = default;

void Loader::add(Article article) {
  if (parallel_) {
    parallel_->submit(std::move(article));
    return;
  }
  switch (indexer_->add(article)) {
    case AddResult::kAdded: ++counters_->added; break;
    case AddResult::kReplaced: ++counters_->replaced; break;
    case AddResult::kUnchanged: ++counters_->unchanged; break;
  }
}

void Loader::finish() {
  if (parallel_) parallel_->finish();
  if (indexer_) indexer_->finish();
}

}  // namespace xinwen
