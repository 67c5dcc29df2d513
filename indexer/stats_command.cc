// `xinwen-index stats`: documents, terms, size, last update and schema
// version of a database, as text or JSON.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include <xinwen/db.h>
#include <xinwen/errors.h>
#include "commands.h"

namespace xinwen::cli {
namespace {

struct StatsArgs {
  std::string db;
  bool json = false;
};

int run_stats(const StatsArgs& args) {
  DatabaseStats s = database_stats(args.db);
  if (args.json) {
    nlohmann::json j = {{"documents", s.documents},
                        {"terms", s.terms},
                        {"bytes", s.bytes},
                        {"last_update", s.last_update},
                        {"schema_version", s.schema_version}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf(
        "documents       %u\nterms           %llu\nbytes           %llu\nlast update     %s\nschema version  %s\n",
        s.documents, static_cast<unsigned long long>(s.terms), static_cast<unsigned long long>(s.bytes),
        s.last_update.empty() ? "-" : s.last_update.c_str(), s.schema_version.c_str());
  }
  return kExitOk;
}

}  // namespace

Command add_stats_command(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* stats = app.add_subcommand("stats", "Show documents, terms, size, last update and schema version");
  stats->add_option("--db", args->db, "Database directory")->required();
  stats->add_flag("--json", args->json, "Print JSON");
  return {stats, [args] { return run_stats(*args); }};
}

}  // namespace xinwen::cli
