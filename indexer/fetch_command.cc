#include "indexer/fetch_command.h"

#include <cstdio>

#include "schema/errors.h"

namespace xinwen {

int run_fetch_command(int, char**) {
  std::fprintf(stderr, "xinwen-index: fetch is not available in this build\n");
  return kExitUsage;
}

}  // namespace xinwen
