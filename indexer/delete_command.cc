// `xinwen-index delete`: removes articles by id.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <xinwen/ascii.h>
#include <xinwen/errors.h>
#include <xinwen/shards.h>
#include <xinwen/writer.h>
#include "commands.h"

namespace xinwen::cli {
namespace {

struct DeleteArgs {
  std::string db;
  std::vector<std::string> ids;
};

template <typename Writer>
int delete_ids(Writer& indexer, const DeleteArgs& args) {
  std::size_t removed = 0, missing = 0;
  for (const std::string& id : args.ids) {
    if (indexer.remove(id)) {
      ++removed;
    } else {
      ++missing;
      std::fprintf(stderr, "xinwen-index: no article with id %s\n", escape_controls(id).c_str());
    }
  }
  indexer.finish();
  std::printf("deleted %zu, not found %zu\n", removed, missing);
  return missing ? kExitRejected : kExitOk;
}

int run_delete(const DeleteArgs& args) {
  // A sharded index: each id is removed from whatever shard holds it.
  if (is_sharded(args.db)) {
    ShardedIndexer indexer(args.db);
    return delete_ids(indexer, args);
  }
  Indexer indexer(args.db);
  return delete_ids(indexer, args);
}

}  // namespace

Command add_delete_command(CLI::App& app) {
  auto args = std::make_shared<DeleteArgs>();
  CLI::App* del = app.add_subcommand("delete", "Delete articles by id");
  del->add_option("--db", args->db, "Database directory")->required();
  del->add_option("ids", args->ids, "Article ids")->required()->default_str("");
  return {del, [args] { return run_delete(*args); }};
}

}  // namespace xinwen::cli
