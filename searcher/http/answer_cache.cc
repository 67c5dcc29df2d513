#include "answer_cache.h"

#include <xinwen/schema.h>

namespace xinwen {

std::string database_identity(const Xapian::Database& db) {
  try {
    return std::to_string(db.get_revision()) + "/" + std::to_string(db.get_doccount()) + "/" +
           db.get_metadata(std::string(kMetaLastUpdate));
  } catch (const Xapian::Error&) {
    return {};  // e.g. several shards: they have no single revision
  }
}

AnswerCache::AnswerCache(std::size_t max_entries, std::size_t max_bytes)
    : max_entries_(max_entries), max_bytes_(max_bytes) {}

std::shared_ptr<const std::string> AnswerCache::get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void AnswerCache::put(const std::string& key, std::shared_ptr<const std::string> value) {
  const std::size_t size = key.size() + value->size();
  if (!enabled() || size > max_bytes_ / 4) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->first.size() + it->second->second->size();
    order_.erase(it->second);
    index_.erase(it);
  }
  order_.emplace_front(key, std::move(value));
  index_.emplace(key, order_.begin());
  bytes_ += size;
  while (!order_.empty() && (index_.size() > max_entries_ || bytes_ > max_bytes_)) {
    auto& last = order_.back();
    bytes_ -= last.first.size() + last.second->size();
    index_.erase(last.first);
    order_.pop_back();
  }
}

}  // namespace xinwen
