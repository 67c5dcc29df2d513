#include "static_files.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include <xinwen/http/server.h>

namespace xinwen {

namespace fs = std::filesystem;

bool plain_relative_path(std::string_view rel) {
  if (rel.empty() || rel.size() > 200) return false;
  std::size_t start = 0;
  while (start <= rel.size()) {
    std::size_t end = rel.find('/', start);
    if (end == std::string_view::npos) end = rel.size();
    std::string_view seg = rel.substr(start, end - start);
    if (seg.empty() || seg[0] == '.') return false;
    for (char c : seg) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

const char* mime_type(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".woff2") return "font/woff2";
  return nullptr;
}

void send_static_file(const fs::path& root, const std::string& rel, httplib::Response& res) {
  auto not_found = [&] {
    res.status = 404;
    res.set_content("Not found\n", "text/plain; charset=utf-8");
  };
  if (root.empty()) {
    res.status = 404;
    res.set_content("The search page is not installed on this server.\n", "text/plain; charset=utf-8");
    return;
  }
  if (!plain_relative_path(rel)) return not_found();
  const char* type = mime_type(rel);
  if (!type) return not_found();
  std::error_code ec;
  fs::path path = fs::canonical(root / rel, ec);
  if (ec) return not_found();
  // Still inside the folder once symbolic links are resolved?
  auto root_end = std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first;
  if (root_end != root.end() || !fs::is_regular_file(path, ec)) return not_found();
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec || size > (8u << 20)) return not_found();
  std::ifstream in(path, std::ios::binary);
  std::string data(static_cast<std::size_t>(size), '\0');
  if (!in.read(data.data(), static_cast<std::streamsize>(size))) return not_found();
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_content(std::move(data), type);
}

std::string default_static_dir() {
  std::error_code ec;
#ifdef XINWEN_STATIC_DIR
  if (fs::is_directory(XINWEN_STATIC_DIR, ec)) return XINWEN_STATIC_DIR;
#endif
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const fs::path& dir : {exe.parent_path() / "static", exe.parent_path() / ".." / "share" / "xinwen" / "static"})
    if (fs::is_directory(dir, ec)) return fs::canonical(dir, ec).string();
  return {};
}

}  // namespace xinwen
