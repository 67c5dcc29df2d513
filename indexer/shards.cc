#include <xinwen/shards.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <list>
#include <map>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <xinwen/bounded_queue.h>
#include <xinwen/db.h>
#include <xinwen/errors.h>
#include <xinwen/schema.h>

#include "story_index.h"

namespace xinwen {
namespace fs = std::filesystem;

namespace {

std::string join_path(const std::string& dir, std::string_view name) { return (fs::path(dir) / name).string(); }

// FNV-1a: the same shard for an id on every machine and every build.
std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Writes text to path through a temporary file and rename: path holds the old
// or the new text at every moment.
void replace_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw EnvironmentError("cannot write " + tmp);
  }
  fsync_path(tmp, O_RDONLY);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw EnvironmentError("cannot replace " + path + ": " + ec.message());
  }
  const fs::path parent = fs::path(path).parent_path();
  fsync_path(parent.empty() ? "." : parent.string(), O_RDONLY | O_DIRECTORY);
}

std::string read_scheme_file(const std::string& dir) {
  std::ifstream in(join_path(dir, kShardSchemeFile));
  std::string line;
  if (!in || !std::getline(in, line)) throw EnvironmentError("cannot read " + join_path(dir, kShardSchemeFile));
  return line;
}

std::uint64_t folder_bytes(const std::string& dir) {
  std::uint64_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) n += it->file_size(ec);
  return n;
}

}  // namespace

std::string ShardScheme::text() const {
  switch (kind) {
    case Kind::kMonth: return "month";
    case Kind::kYear: return "year";
    case Kind::kHash: return "hash:" + std::to_string(buckets);
  }
  return {};
}

std::string ShardScheme::shard_of(const Article& article) const {
  if (kind == Kind::kHash) {
    const unsigned k = static_cast<unsigned>(stable_hash(article.id) % buckets);
    const std::size_t width = std::max<std::size_t>(2, std::to_string(buckets - 1).size());
    std::string digits = std::to_string(k);
    return "h" + std::string(width - digits.size(), '0') + digits;
  }
  // published is normalized to YYYY-MM-DDTHH:MM:SSZ (UTC) or empty.
  const std::string& p = article.published;
  if (p.size() < 7) return "undated";
  return kind == Kind::kMonth ? p.substr(0, 7) : p.substr(0, 4);
}

std::optional<ShardScheme> parse_shard_scheme(std::string_view text) {
  if (text == "month") return ShardScheme{ShardScheme::Kind::kMonth, 0};
  if (text == "year") return ShardScheme{ShardScheme::Kind::kYear, 0};
  if (text.substr(0, 5) != "hash:") return std::nullopt;
  const std::string_view n = text.substr(5);
  unsigned buckets = 0;
  auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), buckets);
  if (n.empty() || ec != std::errc() || end != n.data() + n.size() || buckets < 1 || buckets > 1024)
    return std::nullopt;
  return ShardScheme{ShardScheme::Kind::kHash, buckets};
}

bool is_sharded(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && fs::is_regular_file(join_path(path, kShardSchemeFile), ec);
}

ShardScheme open_sharded(const std::string& path, const std::optional<ShardScheme>& requested) {
  std::error_code ec;
  if (is_sharded(path)) {
    const std::string text = read_scheme_file(path);
    std::optional<ShardScheme> recorded = parse_shard_scheme(text);
    if (!recorded) throw EnvironmentError(join_path(path, kShardSchemeFile) + " names no known scheme: " + text);
    if (requested && *requested != *recorded)
      throw UsageError(path + " is sharded by " + recorded->text() + "; --shards " + requested->text() +
                       " cannot change it");
    return *recorded;
  }
  if (!requested) throw UsageError(path + " is not a sharded index");
  const bool empty_dir = fs::is_directory(path, ec) && fs::is_empty(path, ec);
  if (fs::exists(path, ec) && !empty_dir)
    throw UsageError(path + " is an unsharded database; --shards applies to new indexes");
  fs::create_directories(path, ec);
  if (ec) throw EnvironmentError("cannot create " + path + ": " + ec.message());
  write_stub(path, {});
  replace_file(join_path(path, kShardSchemeFile), requested->text() + "\n");
  return *requested;
}

std::vector<std::string> list_shards(const std::string& dir) {
  std::vector<std::string> names;
  std::ifstream stub(join_path(dir, kStubFile));
  std::string line;
  while (std::getline(stub, line)) {
    if (line.rfind("auto ", 0) != 0) continue;
    names.push_back(line.substr(5));
  }
  std::sort(names.begin(), names.end());
  return names;
}

void write_stub(const std::string& dir, std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string text;
  for (const std::string& n : names) text += "auto " + n + "\n";
  replace_file(join_path(dir, kStubFile), text);
}

// Where ids live, on the routing thread: the shards as they were when the run
// started (one read-only database over them, whose docids interleave the
// shards), overridden by what this run did to each id.
class ShardRouter {
 public:
  explicit ShardRouter(const std::string& dir) : dir_(dir), scheme_(open_sharded(dir, std::nullopt)) {
    view_names_ = list_shards(dir);
    for (const std::string& n : view_names_) index_of(n);
    if (!view_names_.empty()) view_ = open_readable(dir);
  }

  const std::string& dir() const { return dir_; }
  const ShardScheme& scheme() const { return scheme_; }
  ShardStories& stories() { return stories_; }

  // The number of shard name (stable within the run), creating the shard and
  // listing it in the stub the first time it is met.
  std::size_t ensure_shard(const std::string& name) {
    const std::size_t k = index_of(name);
    if (!listed_.insert(name).second) return k;
    if (std::find(view_names_.begin(), view_names_.end(), name) != view_names_.end()) return k;
    // Created before it is listed: a reader never finds a listed shard missing.
    { Xapian::WritableDatabase created = open_writable(join_path(dir_, name)); }
    std::vector<std::string> names = list_shards(dir_);
    names.push_back(name);
    write_stub(dir_, names);
    return k;
  }

  std::size_t index_of(const std::string& name) {
    auto [it, fresh] = numbers_.try_emplace(name, names_.size());
    if (fresh) names_.push_back(name);
    return it->second;
  }
  const std::string& name_of(std::size_t k) const { return names_[k]; }

  // The shards holding id (more than one only after a run was killed between
  // two shards' commits, which the caller mends).
  std::vector<std::string> locate(std::string_view id) {
    if (auto it = routed_.find(std::string(id)); it != routed_.end()) {
      if (it->second.empty()) return {};
      return {it->second};
    }
    std::vector<std::string> found;
    if (!view_) return found;
    const std::string term = id_term(id);
    const std::size_t n = view_names_.size();
    with_reopen_retry(*view_, [&](Xapian::Database& db) {
      found.clear();
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        const std::string& name = view_names_[(*p - 1) % n];
        if (std::find(found.begin(), found.end(), name) == found.end()) found.push_back(name);
      }
      return 0;
    });
    return found;
  }

  void routed(std::string_view id, std::string shard) { routed_[std::string(id)] = std::move(shard); }

  struct Route {
    std::string shard;  // where the article goes
    std::size_t index;  // its number (ensure_shard)
    bool moved;         // its id was in another shard, which remove_old was called for
  };
  // Where article goes, its shard created if new; calls remove_old(name,
  // number) for every other shard that holds its id. The caller records the
  // route with routed() once the add is under way.
  template <typename RemoveOld>
  Route route(const Article& article, RemoveOld&& remove_old) {
    load_stories();
    Route r{scheme_.shard_of(article), 0, false};
    r.index = ensure_shard(r.shard);
    for (const std::string& old : locate(article.id)) {
      if (old == r.shard) continue;
      remove_old(old, index_of(old));
      r.moved = true;
    }
    return r;
  }

  // Reads the stories of every shard, once, before the first add.
  void load_stories() {
    if (stories_loaded_) return;
    stories_loaded_ = true;
    for (const std::string& n : view_names_) stories_.load(index_of(n), Xapian::Database(join_path(dir_, n)));
  }

 private:
  std::string dir_;
  ShardScheme scheme_;
  std::vector<std::string> view_names_;  // the shards of view_, in the stub's order
  std::optional<Xapian::Database> view_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> numbers_;
  std::unordered_set<std::string> listed_;
  std::unordered_map<std::string, std::string> routed_;  // id -> shard this run ("" removed)
  ShardStories stories_;
  bool stories_loaded_ = false;
};

namespace {

// The open shard writers of one thread, at most max_open of them.
class ShardPool {
 public:
  ShardPool(ShardRouter& router, IndexerOptions options, std::size_t max_open)
      : dir_(router.dir()),
        stories_(&router.stories()),
        options_(options),
        max_open_(std::max<std::size_t>(1, max_open)) {}

  Indexer& get(const std::string& name, std::size_t k) {
    for (auto it = open_.begin(); it != open_.end(); ++it) {
      if (it->first != name) continue;
      open_.splice(open_.begin(), open_, it);
      return *open_.front().second;
    }
    if (open_.size() >= max_open_) {
      open_.back().second->finish();
      open_.pop_back();
    }
    open_.emplace_front(name, std::make_unique<Indexer>(join_path(dir_, name), options_, stories_, k));
    return *open_.front().second;
  }

  void commit() {
    for (auto& [name, indexer] : open_) indexer->commit();
  }
  void finish() {
    for (auto& [name, indexer] : open_) indexer->finish();
    open_.clear();
  }

 private:
  std::string dir_;
  ShardStories* stories_;
  IndexerOptions options_;
  std::size_t max_open_;
  std::list<std::pair<std::string, std::unique_ptr<Indexer>>> open_;  // most recently used first
};

}  // namespace

struct ShardedIndexer::Impl {
  ShardRouter router;
  ShardPool pool;
  std::optional<Xapian::WritableDatabase> state;  // fetch state, opened on first use

  Impl(const std::string& dir, IndexerOptions options) : router(dir), pool(router, options, kMaxOpenShardWriters) {}
};

ShardedIndexer::ShardedIndexer(const std::string& dir, IndexerOptions options)
    : impl_(std::make_unique<Impl>(dir, options)) {}

ShardedIndexer::~ShardedIndexer() {
  try {
    finish();
  } catch (...) {
    // A destructor must not throw; what was committed stays.
  }
}

AddResult ShardedIndexer::add(const Article& article) {
  ShardRouter& r = impl_->router;
  const ShardRouter::Route to =
      r.route(article, [&](const std::string& old, std::size_t k) { impl_->pool.get(old, k).remove(article.id); });
  AddResult result = impl_->pool.get(to.shard, to.index).add(article);
  r.routed(article.id, to.shard);
  return to.moved ? AddResult::kReplaced : result;
}

bool ShardedIndexer::remove(std::string_view id) {
  ShardRouter& r = impl_->router;
  bool removed = false;
  for (const std::string& shard : r.locate(id)) removed |= impl_->pool.get(shard, r.index_of(shard)).remove(id);
  r.routed(id, "");
  return removed;
}

void ShardedIndexer::set_metadata(const std::string& key, const std::string& value) {
  if (!impl_->state) impl_->state = open_writable(join_path(impl_->router.dir(), kFetchStateDb));
  impl_->state->set_metadata(key, value);
}

void ShardedIndexer::commit() {
  // Articles first: a crash between leaves the fetch state older than the
  // articles, and the next fetch only looks again.
  impl_->pool.commit();
  if (impl_->state) impl_->state->commit();
}

void ShardedIndexer::finish() {
  impl_->pool.finish();
  if (impl_->state) {
    impl_->state->commit();
    impl_->state.reset();
  }
}

struct ParallelShardLoader::Impl {
  struct Task {
    std::optional<Article> article;  // add this
    std::string remove;              // or remove this id
    std::string shard;
    std::size_t k = 0;
    bool moved = false;
  };
  struct Worker {
    BoundedQueue<Task> queue{kQueueLimit};
    std::thread thread;
    std::exception_ptr error;
  };
  static constexpr std::size_t kQueueLimit = 256;

  ShardRouter router;
  IndexerOptions options;
  LoadCounters* counters;
  std::vector<std::unique_ptr<Worker>> workers;
  bool finished = false;

  Impl(const std::string& dir, IndexerOptions o, LoadCounters* c) : router(dir), options(o), counters(c) {}

  Worker& owner(const std::string& shard) { return *workers[stable_hash(shard) % workers.size()]; }

  void run(Worker& w) {
    try {
      ShardPool pool(router, options, std::max<std::size_t>(1, kMaxOpenShardWriters / workers.size()));
      while (std::optional<Task> t = w.queue.pop()) {
        Indexer& indexer = pool.get(t->shard, t->k);
        if (!t->article) {
          indexer.remove(t->remove);
          continue;
        }
        AddResult r = indexer.add(*t->article);
        if (t->moved) r = AddResult::kReplaced;
        switch (r) {
          case AddResult::kAdded: ++counters->added; break;
          case AddResult::kReplaced: ++counters->replaced; break;
          case AddResult::kUnchanged: ++counters->unchanged; break;
        }
      }
      pool.finish();
    } catch (...) {
      w.error = std::current_exception();
      w.queue.abort();
    }
  }
};

ParallelShardLoader::ParallelShardLoader(const std::string& dir, unsigned jobs, IndexerOptions options,
                                         LoadCounters* counters)
    : impl_(std::make_unique<Impl>(dir, options, counters)) {
  if (jobs < 1) jobs = 1;
  for (unsigned k = 0; k < jobs; ++k) impl_->workers.push_back(std::make_unique<Impl::Worker>());
  for (auto& w : impl_->workers) w->thread = std::thread([this, p = w.get()] { impl_->run(*p); });
}

ParallelShardLoader::~ParallelShardLoader() {
  if (!impl_->finished) {
    try {
      finish();
    } catch (...) {
    }
  }
}

void ParallelShardLoader::submit(Article article) {
  ShardRouter& r = impl_->router;
  // route() reads the stories before any writer runs a task: the writers
  // only read them after. The old shard's writer and the new one's are
  // different queues: the removal and the add are independent, as the
  // shards are.
  const ShardRouter::Route to = r.route(article, [&](const std::string& old, std::size_t k) {
    impl_->owner(old).queue.push(Impl::Task{std::nullopt, article.id, old, k, false});
  });
  r.routed(article.id, to.shard);
  // A false push means this writer failed; finish() reports why.
  impl_->owner(to.shard).queue.push(Impl::Task{std::move(article), {}, to.shard, to.index, to.moved});
}

void ParallelShardLoader::finish() {
  if (impl_->finished) return;
  impl_->finished = true;
  for (auto& w : impl_->workers) w->queue.close();
  for (auto& w : impl_->workers) w->thread.join();
  for (auto& w : impl_->workers)
    if (w->error) std::rethrow_exception(w->error);
}

std::vector<ShardStats> shard_stats(const std::string& dir) {
  std::vector<ShardStats> out;
  for (const std::string& name : list_shards(dir)) {
    const std::string path = join_path(dir, name);
    Xapian::Database db = open_readable(path);
    out.push_back({name, db.get_doccount(), folder_bytes(path), db.get_metadata(std::string(kMetaLastUpdate))});
  }
  return out;
}

namespace {

std::map<std::string, std::string> read_compacted(const std::string& dir) {
  std::map<std::string, std::string> revisions;
  std::ifstream in(join_path(dir, kCompactedFile));
  std::string name, revision;
  while (in >> name >> revision) revisions[name] = revision;
  return revisions;
}

}  // namespace

std::vector<ShardCompaction> compact_shards(const std::string& dir, bool check) {
  open_sharded(dir, std::nullopt);
  std::map<std::string, std::string> revisions = read_compacted(dir);
  std::vector<ShardCompaction> out;
  bool swapped = false;
  for (const std::string& name : list_shards(dir)) {
    ShardCompaction c;
    c.name = name;
    const std::string path = join_path(dir, name);
    const std::string fresh = path + ".compact";
    try {
      // The write lock, held through the swap: no commit can be lost.
      std::optional<Xapian::WritableDatabase> lock;
      try {
        lock = open_writable(path);
      } catch (const EnvironmentError& e) {
        if (std::string(e.what()).find("locked by another writer") == std::string::npos) throw;
        c.outcome = ShardCompaction::Outcome::kLocked;
        out.push_back(c);
        continue;
      }
      const std::string revision = std::to_string(lock->get_revision());
      if (revisions.count(name) && revisions[name] == revision) {
        out.push_back(c);
        continue;
      }
      c.bytes_before = folder_bytes(path);
      std::error_code ec;
      fs::remove_all(fresh, ec);
      Xapian::Database(path).compact(fresh, Xapian::DBCOMPACT_NO_RENUMBER);
      if (check) {
        std::ostringstream report;
        if (Xapian::Database::check(fresh, 0, &report) != 0)
          throw EnvironmentError("the compacted copy of " + name + " has errors");
      }
      sync_database_files(fresh);
      swap_in_database(fresh, path);
      lock.reset();
      swapped = true;
      fs::remove_all(fresh, ec);  // the old shard, swapped out
      c.bytes_after = folder_bytes(path);
      revisions[name] = std::to_string(Xapian::Database(path).get_revision());
      c.outcome = ShardCompaction::Outcome::kCompacted;
    } catch (const Xapian::Error& e) {
      c.outcome = ShardCompaction::Outcome::kFailed;
      c.error = describe_xapian_error(e);
    } catch (const std::exception& e) {
      c.outcome = ShardCompaction::Outcome::kFailed;
      c.error = e.what();
    }
    if (c.outcome == ShardCompaction::Outcome::kFailed) {
      std::error_code ec;
      fs::remove_all(fresh, ec);
    }
    out.push_back(c);
  }
  std::string text;
  for (const auto& [name, revision] : revisions) text += name + " " + revision + "\n";
  replace_file(join_path(dir, kCompactedFile), text);
  // A new stub file: readers (Searcher's reopen compares database_location)
  // open the swapped-in shards afresh.
  if (swapped) write_stub(dir, list_shards(dir));
  return out;
}

}  // namespace xinwen
