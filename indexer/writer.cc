#include "indexer/writer.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "schema/errors.h"
#include "schema/schema.h"

namespace xinwen {

std::string now_iso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// Makes the database at path if there is none. Xapian writes a new
// database's files one after another, and a directory left halfway (a run
// killed in its first second) is not a database, nor can Xapian create one
// in it: so the new database is made beside path and renamed into place,
// and path is either absent or a whole database.
void create_if_missing(std::string path) {
  namespace fs = std::filesystem;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::error_code ec;
  if (fs::exists(path, ec)) return;  // a database directory, or a stub file
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".new.";
  // Leftovers of creations that were killed (their process is gone).
  fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9) continue;
    if (kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) fs::remove_all(it->path(), ec);
  }
  const std::string fresh = path + ".new." + std::to_string(getpid());
  fs::remove_all(fresh, ec);
  try {
    Xapian::WritableDatabase db(fresh, Xapian::DB_CREATE_OR_OVERWRITE);
    db.set_metadata(std::string(kMetaSchemaVersion), std::string(kSchemaVersion));
    db.commit();
  } catch (const Xapian::Error& e) {
    fs::remove_all(fresh, ec);
    throw EnvironmentError("cannot create database " + path + ": " + e.get_msg());
  }
  fs::rename(fresh, path, ec);
  if (ec) fs::remove_all(fresh, ec);  // someone else made path meanwhile: theirs stands
}

}  // namespace

Xapian::WritableDatabase open_writable(const std::string& path, int flags) {
  create_if_missing(path);
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN | flags);
    check_schema_version(db);
    return db;
  } catch (const Xapian::DatabaseLockError&) {
    throw EnvironmentError("database " + path + " is locked by another writer");
  } catch (const Xapian::Error& e) {
    throw EnvironmentError("cannot open database " + path + " for writing: " + e.get_msg());
  }
}

std::string content_hash(const Article& article) {
  // The hash make_document stores: computed on the stored form only, which is
  // cheap next to analysis, so unchanged articles skip the analyzer.
  return make_document_hash(article);
}

void sync_database_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ::fsync(fd);
    ::close(fd);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Indexer::Indexer(const std::string& path, IndexerOptions options)
    : options_(options), path_(path), db_(open_writable(path)), analyzer_(options.analyzer) {
  if (db_.get_doccount() == 0) {
    // A first load: skip the fsync of every commit, sync once in finish().
    db_.close();
    db_ = open_writable(path, Xapian::DB_NO_SYNC);
    unsynced_ = true;
  }
}

void Indexer::finish() {
  commit();
  if (unsynced_) {
    sync_database_files(path_);
    unsynced_ = false;
  }
}

Indexer::~Indexer() {
  try {
    if (pending_ || unsynced_) finish();
  } catch (...) {
    // A destructor must not throw; the last batch is lost, earlier ones are safe.
  }
}

AddResult Indexer::add(const Article& article) {
  const std::string term = id_term(article.id);
  Xapian::PostingIterator p = db_.postlist_begin(term);
  if (p != db_.postlist_end(term)) {
    Xapian::docid did = *p;
    if (db_.get_document(did).get_value(kSlotContentHash) == content_hash(article)) return AddResult::kUnchanged;
    db_.replace_document(did, make_document(article, analyzer_));
    maybe_commit();
    return AddResult::kReplaced;
  }
  // The id is not in the database (checked above): no replacement to look for.
  db_.add_document(make_document(article, analyzer_));
  maybe_commit();
  return AddResult::kAdded;
}

bool Indexer::remove(std::string_view id) {
  const std::string term = id_term(id);
  if (!db_.term_exists(term)) return false;
  db_.delete_document(term);
  maybe_commit();
  return true;
}

void Indexer::maybe_commit() {
  if (++pending_ >= options_.batch_size) commit();
}

void Indexer::commit() {
  db_.set_metadata(std::string(kMetaSchemaVersion), std::string(kSchemaVersion));
  db_.set_metadata(std::string(kMetaLastUpdate), now_iso8601());
  db_.commit();
  pending_ = 0;
}

struct ParallelLoader::Impl {
  struct Worker {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Article> queue;
    bool done = false;
    std::thread thread;
    std::exception_ptr error;
  };

  std::string path;
  std::vector<std::string> shard_paths;
  std::vector<std::unique_ptr<Worker>> workers;
  IndexerOptions options;
  LoadCounters* counters;
  bool finished = false;
  static constexpr std::size_t kQueueLimit = 256;

  void run(std::size_t k) {
    Worker& w = *workers[k];
    try {
      Indexer indexer(shard_paths[k], options);
      for (;;) {
        Article a;
        {
          std::unique_lock lock(w.mu);
          w.cv.wait(lock, [&] { return !w.queue.empty() || w.done; });
          if (w.queue.empty()) break;
          a = std::move(w.queue.front());
          w.queue.pop_front();
        }
        w.cv.notify_all();
        switch (indexer.add(a)) {
          case AddResult::kAdded: ++counters->added; break;
          case AddResult::kReplaced: ++counters->replaced; break;
          case AddResult::kUnchanged: ++counters->unchanged; break;
        }
      }
      indexer.finish();
    } catch (...) {
      std::lock_guard lock(w.mu);
      w.error = std::current_exception();
      w.done = true;
      w.queue.clear();
      w.cv.notify_all();
    }
  }
};

ParallelLoader::ParallelLoader(const std::string& path, unsigned jobs, IndexerOptions options,
                               LoadCounters* counters)
    : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  impl_->path = path;
  impl_->options = options;
  impl_->counters = counters;
  std::error_code ec;
  if (fs::is_regular_file(path, ec))
    throw UsageError(path + " is a stub database (a file listing shards); --jobs needs a database folder");
  {
    Xapian::WritableDatabase db = open_writable(path);
    if (db.get_doccount() != 0)
      throw UsageError("parallel loading needs a new or empty database; " + path + " has documents");
  }
  if (jobs < 1) jobs = 1;
  impl_->shard_paths.push_back(path);
  for (unsigned k = 1; k < jobs; ++k) {
    std::string shard = path + ".shard" + std::to_string(k);
    fs::remove_all(shard);  // left over from a killed load: never published
    impl_->shard_paths.push_back(shard);
  }
  for (unsigned k = 0; k < jobs; ++k) impl_->workers.push_back(std::make_unique<Impl::Worker>());
  for (unsigned k = 0; k < jobs; ++k)
    impl_->workers[k]->thread = std::thread([this, k] { impl_->run(k); });
}

ParallelLoader::~ParallelLoader() {
  if (!impl_->finished) {
    try {
      finish();
    } catch (...) {
    }
  }
}

void ParallelLoader::submit(Article article) {
  const std::size_t k = std::hash<std::string>{}(article.id) % impl_->workers.size();
  Impl::Worker& w = *impl_->workers[k];
  std::unique_lock lock(w.mu);
  w.cv.wait(lock, [&] { return w.queue.size() < Impl::kQueueLimit || w.done; });
  if (w.done) return;  // this writer failed; finish() reports why
  w.queue.push_back(std::move(article));
  lock.unlock();
  w.cv.notify_all();
}

void ParallelLoader::finish() {
  namespace fs = std::filesystem;
  if (impl_->finished) return;
  impl_->finished = true;
  for (auto& w : impl_->workers) {
    {
      std::lock_guard lock(w->mu);
      w->done = true;
    }
    w->cv.notify_all();
  }
  for (auto& w : impl_->workers) w->thread.join();
  for (auto& w : impl_->workers)
    if (w->error) std::rethrow_exception(w->error);
  if (impl_->shard_paths.size() == 1) return;

  const std::string merged = impl_->path + ".merge";
  const std::string old = impl_->path + ".old";
  fs::remove_all(merged);
  fs::remove_all(old);
  try {
    Xapian::Database all;
    for (const std::string& p : impl_->shard_paths) all.add_database(Xapian::Database(p));
    all.compact(merged, Xapian::DBCOMPACT_MULTIPASS);
  } catch (const Xapian::Error& e) {
    throw EnvironmentError("merging shards of " + impl_->path + " failed: " + e.get_msg());
  }
  sync_database_files(merged);
  fs::rename(impl_->path, old);
  fs::rename(merged, impl_->path);
  fs::remove_all(old);
  for (std::size_t k = 1; k < impl_->shard_paths.size(); ++k) fs::remove_all(impl_->shard_paths[k]);
}

}  // namespace xinwen
