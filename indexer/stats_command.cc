// `xinwen-index stats`: documents, terms, size, last update and schema
// version of a database, as text or JSON.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <xinwen/db.h>
#include <xinwen/errors.h>
#include <xinwen/shards.h>
#include "commands.h"

namespace xinwen::cli {
namespace {

struct StatsArgs {
  std::string db;
  bool json = false;
};

int run_stats(const StatsArgs& args) {
  DatabaseStats s = database_stats(args.db);
  std::vector<ShardStats> shards;
  std::string scheme;
  if (is_sharded(args.db)) {
    // The totals are the shards' (the folder also holds the fetch state); the
    // last update is the newest shard's.
    scheme = open_sharded(args.db, std::nullopt).text();
    shards = shard_stats(args.db);
    s.bytes = 0;
    for (const ShardStats& sh : shards) {
      s.bytes += sh.bytes;
      s.last_update = std::max(s.last_update, sh.last_update);
    }
  }
  if (args.json) {
    nlohmann::json j = {{"documents", s.documents},
                        {"terms", s.terms},
                        {"bytes", s.bytes},
                        {"last_update", s.last_update},
                        {"schema_version", s.schema_version}};
    if (!scheme.empty()) {
      j["scheme"] = scheme;
      j["shards"] = nlohmann::json::array();
      for (const ShardStats& sh : shards)
        j["shards"].push_back(
            {{"name", sh.name}, {"documents", sh.documents}, {"bytes", sh.bytes}, {"last_update", sh.last_update}});
    }
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf(
        "documents       %u\nterms           %llu\nbytes           %llu\nlast update     %s\nschema version  %s\n",
        s.documents, static_cast<unsigned long long>(s.terms), static_cast<unsigned long long>(s.bytes),
        s.last_update.empty() ? "-" : s.last_update.c_str(), s.schema_version.c_str());
    if (!scheme.empty()) {
      std::printf("shards          %zu, by %s\n", shards.size(), scheme.c_str());
      for (const ShardStats& sh : shards)
        std::printf("  %-12s  %10u documents  %12llu bytes  last update %s\n", sh.name.c_str(), sh.documents,
                    static_cast<unsigned long long>(sh.bytes), sh.last_update.empty() ? "-" : sh.last_update.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

Command add_stats_command(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* stats =
      app.add_subcommand("stats", "Show documents, terms, size, last update and schema version (and each shard's)");
  stats->add_option("--db", args->db, "Database directory")->required();
  stats->add_flag("--json", args->json, "Print JSON");
  return {stats, [args] { return run_stats(*args); }};
}

}  // namespace xinwen::cli
