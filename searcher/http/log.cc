#include "log.h"

#include <cstdio>
#include <mutex>

#include <xinwen/calendar.h>

namespace xinwen {

void server_log(const std::string& message) {
  static std::mutex mutex;
  const std::string stamp = now_iso8601();
  std::lock_guard<std::mutex> lock(mutex);
  std::fprintf(stderr, "%s xinwen-search: %s\n", stamp.c_str(), message.c_str());
  std::fflush(stderr);
}

}  // namespace xinwen
