#include <xinwen/progress.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace xinwen {

std::string format_time_left(std::chrono::duration<double> left) {
  const auto s = static_cast<long long>(std::ceil(std::max(0.0, left.count())));
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%lld s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", s / 60, s % 60);
  } else {
    // Minutes rounded up, so the figure never promises less than is left.
    const long long m = (s + 59) / 60;
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", m / 60, m % 60);
  }
  return buf;
}

std::string format_progress(const ProgressFigures& f) {
  const double secs = f.elapsed.count();
  char buf[160];
  std::snprintf(buf, sizeof buf, "%zu articles, %zu rejected, %.0f/s, %.1f MB/s", f.articles, f.rejected,
                secs > 0 ? static_cast<double>(f.articles) / secs : 0.0,
                secs > 0 ? static_cast<double>(f.bytes_done) / secs / 1e6 : 0.0);
  if (!f.bytes_total) return buf;
  const std::uint64_t total = *f.bytes_total, done = std::min(f.bytes_done, total);
  // Whole percents rounded down: 100% only once everything has been read.
  const int percent =
      total == 0 ? 100 : static_cast<int>(static_cast<double>(done) * 100.0 / static_cast<double>(total));
  std::string out = std::to_string(percent) + "% done, " + buf;
  if (done > 0 && secs > 0) {
    const double left = secs * static_cast<double>(total - done) / static_cast<double>(done);
    out += ", " + format_time_left(std::chrono::duration<double>(left)) + " left";
  }
  return out;
}

}  // namespace xinwen
