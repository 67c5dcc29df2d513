#include "searcher/server.h"

#include <cstdio>

#include "schema/errors.h"

namespace xinwen {

int run_server_command(int, char**) {
  std::fprintf(stderr, "xinwen-search: serve is not available in this build\n");
  return kExitUsage;
}

}  // namespace xinwen
