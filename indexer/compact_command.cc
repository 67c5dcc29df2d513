// `xinwen-index compact`: compacts the shards of a sharded index that changed
// since their last compaction (xinwen/shards.h), one line per shard. Exit
// status: 0 done, 1 some shard was held by another writer (skipped), 2 bad
// usage, not a sharded index, or a shard failed to compact.
#include <cstdio>
#include <memory>
#include <string>

#include <xinwen/ascii.h>
#include <xinwen/errors.h>
#include <xinwen/shards.h>
#include "commands.h"

namespace xinwen::cli {
namespace {

struct CompactArgs {
  std::string db;
  bool check = false;
};

int run_compact(const CompactArgs& args) {
  if (!is_sharded(args.db))
    throw UsageError(args.db + " is not a sharded index (compact a plain database with scripts/nightly)");
  std::size_t compacted = 0, unchanged = 0, locked = 0, failed = 0;
  for (const ShardCompaction& c : compact_shards(args.db, args.check)) {
    switch (c.outcome) {
      case ShardCompaction::Outcome::kUnchanged:
        ++unchanged;
        std::printf("%s unchanged\n", c.name.c_str());
        break;
      case ShardCompaction::Outcome::kCompacted:
        ++compacted;
        std::printf("%s compacted bytes=%llu->%llu\n", c.name.c_str(), static_cast<unsigned long long>(c.bytes_before),
                    static_cast<unsigned long long>(c.bytes_after));
        break;
      case ShardCompaction::Outcome::kLocked:
        ++locked;
        std::printf("%s skipped (another writer holds it)\n", c.name.c_str());
        break;
      case ShardCompaction::Outcome::kFailed:
        ++failed;
        std::printf("%s failed\n", c.name.c_str());
        std::fprintf(stderr, "xinwen-index: compact: %s: %s\n", c.name.c_str(), escape_controls(c.error).c_str());
        break;
    }
  }
  std::printf("summary compacted=%zu unchanged=%zu skipped=%zu failed=%zu\n", compacted, unchanged, locked, failed);
  if (failed) return kExitUsage;
  return locked ? kExitRejected : kExitOk;
}

}  // namespace

Command add_compact_command(CLI::App& app) {
  auto args = std::make_shared<CompactArgs>();
  CLI::App* compact =
      app.add_subcommand("compact", "Compact the shards of a sharded index that changed since their last compaction");
  compact->footer(
      "Exit status 0 done, 1 some shard was held by another writer (skipped), 2 bad usage, not a sharded\n"
      "index, or a shard failed to compact (it is kept as it was).");
  compact->add_option("--db", args->db, "Sharded index folder")->required();
  compact->add_flag("--check", args->check, "Check each compacted copy (as xapian-check) before swapping it in");
  return {compact, [args] { return run_compact(*args); }};
}

}  // namespace xinwen::cli
