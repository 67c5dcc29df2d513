#include "story_index.h"

#include <bit>
#include <charconv>
#include <cstdio>
#include <optional>

#include <xinwen/schema.h>

namespace xinwen {
namespace {

std::optional<std::uint64_t> parse_story(std::string_view s) {
  std::uint64_t v = 0;
  if (s.size() != 16) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string story_text(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

void StoryIndex::load(const Xapian::Database& db) {
  auto stories = db.valuestream_begin(kSlotStory);
  for (auto it = db.valuestream_begin(kSlotFingerprint); it != db.valuestream_end(kSlotFingerprint); ++it) {
    std::optional<Fingerprint> fp = parse_fingerprint(*it);
    if (!fp) continue;
    stories.skip_to(it.get_docid());
    if (stories == db.valuestream_end(kSlotStory)) break;
    if (stories.get_docid() == it.get_docid()) put(it.get_docid(), *fp, *stories);
  }
}

std::string StoryIndex::find(const Fingerprint& fp, Xapian::docid self) const { return nearest(fp, self).second; }

std::pair<int, std::string> StoryIndex::nearest(const Fingerprint& fp, Xapian::docid self) const {
  int best = 65;
  std::uint64_t story = 0;
  for (int b = 0; b < kFingerprintBands && best > 0; ++b) {
    const std::vector<std::vector<Xapian::docid>>& band = buckets_[static_cast<std::size_t>(b)];
    const std::uint32_t value = fingerprint_band(fp.bits, b);
    if (value >= band.size()) continue;
    const std::vector<Xapian::docid>& bucket = band[value];
    std::size_t scanned = 0;
    for (auto it = bucket.rbegin(); it != bucket.rend() && scanned < kMaxBucketScan; ++it, ++scanned) {
      if (*it == self) continue;
      const Entry& e = entries_[*it];
      // A replaced document leaves its old band entries behind.
      if (!e.live || fingerprint_band(e.bits, b) != value) continue;
      if (!same_story(fp, Fingerprint{e.bits, e.exact_only})) continue;
      const int distance = std::popcount(fp.bits ^ e.bits);
      if (distance < best) {
        best = distance;
        story = e.story;
        if (best == 0) break;
      }
    }
  }
  return {best, best <= 64 ? story_text(story) : std::string()};
}

void StoryIndex::put(Xapian::docid did, const Fingerprint& fp, std::string_view story) {
  std::optional<std::uint64_t> s = parse_story(story);
  if (!s) return;
  if (entries_.size() <= did) entries_.resize(static_cast<std::size_t>(did) + 1);
  entries_[did] = Entry{fp.bits, *s, fp.exact_only, true};
  for (int b = 0; b < kFingerprintBands; ++b) {
    std::vector<std::vector<Xapian::docid>>& band = buckets_[static_cast<std::size_t>(b)];
    const std::uint32_t value = fingerprint_band(fp.bits, b);
    if (band.size() <= value) band.resize(static_cast<std::size_t>(value) + 1);
    band[value].push_back(did);
  }
}

void StoryIndex::erase(Xapian::docid did) {
  if (did < entries_.size()) entries_[did].live = false;
}

StoryIndex& ShardStories::at(std::size_t shard) {
  if (shards_.size() <= shard) shards_.resize(shard + 1);
  return shards_[shard];
}

void ShardStories::load(std::size_t shard, const Xapian::Database& db) {
  std::lock_guard lock(mutex_);
  at(shard).load(db);
}

std::string ShardStories::find(const Fingerprint& fp, std::size_t shard, Xapian::docid self) const {
  std::lock_guard lock(mutex_);
  std::pair<int, std::string> best{65, {}};
  for (std::size_t k = 0; k < shards_.size() && best.first > 0; ++k) {
    std::pair<int, std::string> found = shards_[k].nearest(fp, k == shard ? self : 0);
    if (found.first < best.first) best = std::move(found);
  }
  return best.second;
}

void ShardStories::put(std::size_t shard, Xapian::docid did, const Fingerprint& fp, std::string_view story) {
  std::lock_guard lock(mutex_);
  at(shard).put(did, fp, story);
}

void ShardStories::erase(std::size_t shard, Xapian::docid did) {
  std::lock_guard lock(mutex_);
  at(shard).erase(did);
}

}  // namespace xinwen
