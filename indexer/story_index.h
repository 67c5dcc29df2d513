// The near-duplicate lookup of one writer: the fingerprint and story id of
// every document of its database, held in memory and cut into the
// fingerprint's bands, so that the copies within kNearDuplicateRadius of a new
// article are found without reading a document. Used by Indexer (and the join
// pass after a parallel load) from one thread; not thread-safe.
// ShardStories joins the StoryIndex of every shard of a sharded index, so
// that copies of one story get one story id whatever shard they are in; its
// methods lock, so the writer threads of a parallel load may share one.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xinwen/fingerprint.h>

namespace xinwen {

class StoryIndex {
 public:
  // Reads the fingerprint and story values of every document of db (two
  // value streams, in docid order). About 50 bytes a document.
  void load(const Xapian::Database& db);

  // The story id of the nearest document that is the same story as fp (other
  // than self), or an empty string when there is none.
  std::string find(const Fingerprint& fp, Xapian::docid self = 0) const;

  // The same, with the Hamming distance to it (65 when there is none).
  std::pair<int, std::string> nearest(const Fingerprint& fp, Xapian::docid self = 0) const;

  // Records (or replaces) document did; a story that is not 16 hex digits is
  // not recorded.
  void put(Xapian::docid did, const Fingerprint& fp, std::string_view story);
  void erase(Xapian::docid did);

 private:
  struct Entry {
    std::uint64_t bits = 0;
    std::uint64_t story = 0;
    bool exact_only = false;
    bool live = false;
  };
  // Candidates looked at per band, newest first: a band value shared by
  // thousands of near-identical template pages must not make each add slow.
  static constexpr std::size_t kMaxBucketScan = 4096;

  std::vector<Entry> entries_;  // by docid
  std::array<std::vector<std::vector<Xapian::docid>>, kFingerprintBands> buckets_;
};

class ShardStories {
 public:
  // Shards are numbered by the caller (0, 1, ... in the order it meets them);
  // load reads shard k's stories from db.
  void load(std::size_t shard, const Xapian::Database& db);

  // The story id of the nearest copy of fp in any shard (other than document
  // self of shard `shard`), or an empty string. The first shard wins a tie.
  std::string find(const Fingerprint& fp, std::size_t shard, Xapian::docid self) const;
  void put(std::size_t shard, Xapian::docid did, const Fingerprint& fp, std::string_view story);
  void erase(std::size_t shard, Xapian::docid did);

 private:
  StoryIndex& at(std::size_t shard);

  mutable std::mutex mutex_;
  std::deque<StoryIndex> shards_;
};

}  // namespace xinwen
