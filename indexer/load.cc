#include <xinwen/load.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

#include <xinwen/ascii.h>

namespace xinwen {

Loader::Loader(const std::string& path, unsigned jobs, IndexerOptions options, LoadCounters* counters,
               const std::optional<ShardScheme>& shards)
    : counters_(counters) {
  if (shards || is_sharded(path)) {
    open_sharded(path, shards);
    if (jobs > 1)
      sharded_parallel_ = std::make_unique<ParallelShardLoader>(path, jobs, options, counters);
    else
      sharded_ = std::make_unique<ShardedIndexer>(path, options);
    return;
  }
  // The one writer opens (or creates) the database and checks its schema;
  // when it shows a new or empty folder it makes way for the parallel load.
  indexer_ = std::make_unique<Indexer>(path, options);
  // The write lock is held: no other load is using leftovers beside path.
  std::vector<std::string> removed = remove_parallel_leftovers(path);
  if (!removed.empty())
    notes_.push_back("removed " + join(removed, ", ") + ", left by an interrupted parallel load (never published)");
  if (jobs <= 1) return;
  std::error_code ec;
  if (indexer_->database().get_doccount() != 0) {
    notes_.push_back(path + " already has articles; adding with one writer (--jobs applies to new databases)");
  } else if (std::filesystem::is_regular_file(path, ec)) {
    // A stub file names databases elsewhere; the shards and the merge need a folder.
    notes_.push_back(path +
                     " is a stub database file; adding with one writer (--jobs applies to new database folders)");
  } else {
    indexer_.reset();
    parallel_ = std::make_unique<ParallelLoader>(path, jobs, options, counters);
  }
}

Loader::~Loader() = default;

std::vector<std::string> remove_parallel_leftovers(const std::string& path) {
  namespace fs = std::filesystem;
  std::string base = path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  const fs::path target(base);
  const std::string name = target.filename().string();
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::vector<std::string> removed;
  std::error_code ec;
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (entry.size() <= name.size() || entry.compare(0, name.size(), name) != 0) continue;
    const std::string_view rest = std::string_view(entry).substr(name.size());
    const bool shard = rest.size() > 6 && rest.substr(0, 6) == ".shard" &&
                       rest.substr(6).find_first_not_of("0123456789") == std::string_view::npos;
    // Not ".old": that is what people name their own copies (mv db db.old).
    if (!shard && rest != ".merge" && rest != ".merge-old") continue;
    std::error_code e;
    if (!it->is_directory(e) || it->is_symlink(e)) continue;
    removed.push_back(it->path().string());
  }
  std::sort(removed.begin(), removed.end());
  for (const std::string& p : removed) fs::remove_all(p, ec);
  return removed;
}

void Loader::add(Article article) {
  if (sharded_parallel_) {
    sharded_parallel_->submit(std::move(article));
    return;
  }
  if (parallel_) {
    parallel_->submit(std::move(article));
    return;
  }
  switch (sharded_ ? sharded_->add(article) : indexer_->add(article)) {
    case AddResult::kAdded: ++counters_->added; break;
    case AddResult::kReplaced: ++counters_->replaced; break;
    case AddResult::kUnchanged: ++counters_->unchanged; break;
  }
}

void Loader::finish() {
  if (sharded_parallel_) sharded_parallel_->finish();
  if (sharded_) sharded_->finish();
  if (parallel_) parallel_->finish();
  if (indexer_) indexer_->finish();
}

}  // namespace xinwen
