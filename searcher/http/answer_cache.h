// The server's answer cache: serialized JSON answers by request, least
// recently used dropped first, bounded in entries and bytes. Keys start with
// the database's identity, so a commit is never answered from the cache.
// Shared by all workers; every member is thread-safe.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace xinwen {

// Names the state of a database: its revision, size and last commit time. A
// commit (or a database swapped for another) changes it. Empty, and nothing
// is to be cached, when it cannot be told (e.g. several shards).
std::string database_identity(const Xapian::Database& db);

class AnswerCache {
 public:
  // max_entries 0 turns the cache off. One answer may take at most a
  // quarter of max_bytes.
  AnswerCache(std::size_t max_entries, std::size_t max_bytes);

  bool enabled() const { return max_entries_ > 0; }

  // The answer kept under key, or null; a hit becomes the most recent.
  std::shared_ptr<const std::string> get(const std::string& key);

  // Keeps value under key (replacing what was there), then drops the least
  // recently used answers until the bounds hold.
  void put(const std::string& key, std::shared_ptr<const std::string> value);

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;
  const std::size_t max_entries_, max_bytes_;
  std::mutex mutex_;
  std::list<Entry> order_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace xinwen
