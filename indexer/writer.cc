#include <xinwen/writer.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <xinwen/analyzer.h>
#include <xinwen/bounded_queue.h>
#include <xinwen/calendar.h>
#include <xinwen/errors.h>
#include <xinwen/fingerprint.h>
#include <xinwen/schema.h>

#include "story_index.h"

namespace xinwen {
namespace {

// Earlier copies compared per band by the join pass: a band value shared by
// thousands of template pages must not make it quadratic.
constexpr std::size_t kMaxBandCandidates = 64;

// After a parallel load, copies written by different writers have different
// story ids. Joins them: every pair of documents that are the same story gets
// the story id seen first in docid order (union-find over story ids), and
// documents whose story id changes are rewritten (one value).
void join_stories_across_shards(const std::string& path) {
  Xapian::WritableDatabase db = open_writable(path, Xapian::DB_NO_SYNC);
  struct Entry {
    Xapian::docid did;
    Fingerprint fp;
    std::size_t story;  // index into stories
  };
  std::vector<Entry> entries;
  std::vector<std::string> stories;
  std::unordered_map<std::string, std::size_t> story_index;
  auto story_values = db.valuestream_begin(kSlotStory);
  for (auto it = db.valuestream_begin(kSlotFingerprint); it != db.valuestream_end(kSlotFingerprint); ++it) {
    std::optional<Fingerprint> fp = parse_fingerprint(*it);
    if (!fp) continue;
    story_values.skip_to(it.get_docid());
    if (story_values == db.valuestream_end(kSlotStory) || story_values.get_docid() != it.get_docid()) continue;
    auto [pos, fresh] = story_index.try_emplace(*story_values, stories.size());
    if (fresh) stories.push_back(*story_values);
    entries.push_back({it.get_docid(), *fp, pos->second});
  }
  std::vector<std::size_t> parent(stories.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto root = [&](std::size_t s) {
    while (parent[s] != s) s = parent[s] = parent[parent[s]];
    return s;
  };
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> bands;  // band number << 16 | band value -> entries
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    for (int b = 0; b < kFingerprintBands; ++b) {
      std::vector<std::size_t>& seen = bands[static_cast<std::uint32_t>(b) << 16 | fingerprint_band(e.fp.bits, b)];
      const std::size_t from = seen.size() > kMaxBandCandidates ? seen.size() - kMaxBandCandidates : 0;
      for (std::size_t k = from; k < seen.size(); ++k) {
        const Entry& o = entries[seen[k]];
        if (!same_story(e.fp, o.fp)) continue;
        std::size_t a = root(e.story), c = root(o.story);
        if (a != c) parent[std::max(a, c)] = std::min(a, c);  // the story seen first wins
      }
      seen.push_back(i);
    }
  }
  std::size_t changed = 0;
  for (const Entry& e : entries) {
    const std::size_t r = root(e.story);
    if (r == e.story) continue;
    Xapian::Document doc = db.get_document(e.did);
    doc.add_value(kSlotStory, stories[r]);
    db.replace_document(e.did, doc);
    if (++changed % 2000 == 0) db.commit();
  }
  db.commit();
}

}  // namespace

std::string content_hash(const Article& article) {
  // The hash make_document stores: computed on the stored form only, which is
  // cheap next to analysis, so unchanged articles skip the analyzer.
  return make_document_hash(article);
}

namespace {

// Calls fn on each English word of a document's default search space (its
// title and body) that belongs in the spelling data. Unprefixed terms that
// start with a lower-case ASCII letter sort together, after every prefixed term.
template <typename Fn>
void for_each_spelling_word(const Xapian::Document& doc, Fn&& fn) {
  Xapian::TermIterator it = doc.termlist_begin();
  for (it.skip_to("a"); it != doc.termlist_end(); ++it) {
    const std::string& term = *it;
    if (term[0] > 'z') break;
    if (is_spelling_word(term)) fn(term);
  }
}

}  // namespace

void Indexer::add_spelling(const Xapian::Document& doc) {
  // Counted once per article: the frequency "did you mean" prefers is how
  // many articles use a word, which one long article cannot inflate.
  for_each_spelling_word(doc, [&](const std::string& w) { db_.add_spelling(w); });
}

void Indexer::remove_spelling(Xapian::docid did) {
  for_each_spelling_word(db_.get_document(did), [&](const std::string& w) { db_.remove_spelling(w); });
}

void Indexer::assign_story(Xapian::Document& doc, Xapian::docid self) {
  if (shared_) {
    std::optional<Fingerprint> fp = parse_fingerprint(doc.get_value(kSlotFingerprint));
    if (!fp) return;
    if (std::string story = shared_->find(*fp, shard_, self); !story.empty()) doc.add_value(kSlotStory, story);
    if (self) shared_->put(shard_, self, *fp, doc.get_value(kSlotStory));
    return;
  }
  if (!stories_) {
    // Loaded on the first add: stats and delete never pay for it.
    stories_ = std::make_unique<StoryIndex>();
    stories_->load(db_);
  }
  std::optional<Fingerprint> fp = parse_fingerprint(doc.get_value(kSlotFingerprint));
  if (!fp) return;
  if (std::string story = stories_->find(*fp, self); !story.empty()) doc.add_value(kSlotStory, story);
  if (self) stories_->put(self, *fp, doc.get_value(kSlotStory));
}

void Indexer::record_story(Xapian::docid did, const Xapian::Document& doc) {
  std::optional<Fingerprint> fp = parse_fingerprint(doc.get_value(kSlotFingerprint));
  if (!fp) return;
  if (shared_)
    shared_->put(shard_, did, *fp, doc.get_value(kSlotStory));
  else
    stories_->put(did, *fp, doc.get_value(kSlotStory));
}

Indexer::Indexer(const std::string& path, IndexerOptions options, ShardStories* shared, std::size_t shard)
    : Indexer(path, options) {
  shared_ = shared;
  shard_ = shard;
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
    Xapian::Document doc = make_document(article, analyzer_);
    remove_spelling(did);
    add_spelling(doc);
    assign_story(doc, did);
    db_.replace_document(did, doc);
    maybe_commit();
    return AddResult::kReplaced;
  }
  // The id is not in the database (checked above): no replacement to look for.
  Xapian::Document doc = make_document(article, analyzer_);
  add_spelling(doc);
  assign_story(doc, 0);
  record_story(db_.add_document(doc), doc);
  maybe_commit();
  return AddResult::kAdded;
}

bool Indexer::remove(std::string_view id) {
  const std::string term = id_term(id);
  Xapian::PostingIterator p = db_.postlist_begin(term);
  if (p == db_.postlist_end(term)) return false;
  for (; p != db_.postlist_end(term); ++p) {
    remove_spelling(*p);
    if (shared_) shared_->erase(shard_, *p);
    if (stories_) stories_->erase(*p);
  }
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
    BoundedQueue<Article> queue{kQueueLimit};
    std::thread thread;
    std::exception_ptr error;  // set by the thread before it ends
  };

  static constexpr std::size_t kQueueLimit = 256;
  std::string path;
  std::vector<std::string> shard_paths;
  std::vector<std::unique_ptr<Worker>> workers;
  IndexerOptions options;
  LoadCounters* counters;
  bool finished = false;

  void run(std::size_t k) {
    Worker& w = *workers[k];
    try {
      Indexer indexer(shard_paths[k], options);
      while (std::optional<Article> a = w.queue.pop()) {
        switch (indexer.add(*a)) {
          case AddResult::kAdded: ++counters->added; break;
          case AddResult::kReplaced: ++counters->replaced; break;
          case AddResult::kUnchanged: ++counters->unchanged; break;
        }
      }
      indexer.finish();
    } catch (...) {
      w.error = std::current_exception();
      w.queue.abort();
    }
  }
};

ParallelLoader::ParallelLoader(const std::string& path, unsigned jobs, IndexerOptions options, LoadCounters* counters)
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
  for (unsigned k = 0; k < jobs; ++k) impl_->workers[k]->thread = std::thread([this, k] { impl_->run(k); });
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
  // A false push means this writer failed; finish() reports why.
  impl_->workers[k]->queue.push(std::move(article));
}

void ParallelLoader::finish() {
  namespace fs = std::filesystem;
  if (impl_->finished) return;
  impl_->finished = true;
  for (auto& w : impl_->workers) w->queue.close();
  for (auto& w : impl_->workers) w->thread.join();
  for (auto& w : impl_->workers)
    if (w->error) std::rethrow_exception(w->error);
  if (impl_->shard_paths.size() == 1) return;

  const std::string merged = impl_->path + ".merge";
  {
    // Holding the write lock through the merge keeps another run from
    // writing into shard 0, or from clearing the shards as leftovers.
    Xapian::WritableDatabase lock = open_writable(impl_->path);
    fs::remove_all(merged);
    try {
      Xapian::Database all;
      for (const std::string& p : impl_->shard_paths) all.add_database(Xapian::Database(p));
      all.compact(merged, Xapian::DBCOMPACT_MULTIPASS);
    } catch (const Xapian::Error& e) {
      throw EnvironmentError("merging shards of " + impl_->path + " failed: " + describe_xapian_error(e));
    }
    try {
      join_stories_across_shards(merged);
    } catch (const Xapian::Error& e) {
      throw EnvironmentError("joining the stories of " + impl_->path + "'s shards failed: " + describe_xapian_error(e));
    }
    sync_database_files(merged);
  }
  swap_in_database(merged, impl_->path);
  fs::remove_all(merged);  // shard 0, swapped out
  for (std::size_t k = 1; k < impl_->shard_paths.size(); ++k) fs::remove_all(impl_->shard_paths[k]);
}

void swap_in_database(const std::string& fresh, const std::string& path) {
  namespace fs = std::filesystem;
  // One exchange: path names a whole database at every moment, and a kill
  // just after it leaves the old one at fresh for the next run to clear.
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
      throw EnvironmentError("cannot swap the merged database into " + path + ": " + std::strerror(errno));
    // A file system without exchange: two renames, with a moment between
    // them when path is missing.
    const std::string old = path + ".merge-old";
    fs::remove_all(old);
    fs::rename(path, old);
    fs::rename(fresh, path);
    fs::rename(old, fresh);
  }
  const fs::path parent = fs::path(path).parent_path();
  int fd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace xinwen
