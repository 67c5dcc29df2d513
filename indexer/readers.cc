#include <xinwen/readers.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmark.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include <xinwen/ascii.h>
#include <xinwen/c_handle.h>
#include <xinwen/schema.h>

namespace xinwen {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

enum class Format { kJsonLines, kMarkdown, kText, kUnknown };

Format format_of(const fs::path& p) {
  const std::string ext = lower_ascii(p.extension().string());
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return Format::kJsonLines;
  if (ext == ".md" || ext == ".markdown") return Format::kMarkdown;
  if (ext == ".txt" || ext == ".text") return Format::kText;
  return Format::kUnknown;
}

bool read_file(const fs::path& p, std::string* out, std::string* error) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    *error = std::string("cannot read file: ") + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// YAML scalar or sequence to a string (sequences joined with ", ").
std::string yaml_text(const YAML::Node& n) {
  if (n.IsScalar()) return n.as<std::string>();
  if (n.IsSequence()) {
    std::string out;
    for (const auto& item : n) {
      if (!item.IsScalar()) continue;
      if (!out.empty()) out += ", ";
      out += item.as<std::string>();
    }
    return out;
  }
  return {};
}

// Splits the bytes fill() hands over into JSON Lines records. fill(buf, cap)
// returns how many bytes it put in buf, 0 at the end. A line longer than
// max_bytes is dropped as it streams by: only its length is kept. A last
// line without a newline is a record, unless cut_short() says reading was
// interrupted: then it is the unread rest's beginning and is dropped.
template <typename Fill, typename CutShort>
void split_json_lines(Fill&& fill, const std::string& name, const RecordSink& sink, std::size_t max_bytes,
                      CutShort&& cut_short) {
  std::vector<char> buf(std::size_t{64} << 10);
  std::string line;
  std::size_t lineno = 0, line_bytes = 0;
  bool too_long = false;
  auto emit = [&] {
    ++lineno;
    Record r;
    r.origin = name + ":" + std::to_string(lineno);
    r.bytes = line_bytes;
    if (too_long) {
      r.outcome.error = "record of " + std::to_string(line_bytes - 1) + " bytes is longer than --max-record-bytes (" +
                        std::to_string(max_bytes) + ")";
    } else {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) {
        line.clear(), line_bytes = 0;
        return;
      }
      try {
        r.outcome = article_from_json(line);
      } catch (const std::exception& e) {
        // Whatever one record raises is that record's fault alone.
        r.outcome = ArticleOutcome{std::nullopt, std::string("cannot read record: ") + e.what(), {}};
      }
    }
    line.clear();
    line_bytes = 0;
    too_long = false;
    sink(std::move(r));
  };
  for (;;) {
    const std::size_t n = fill(buf.data(), buf.size());
    if (n == 0) break;
    const char* p = buf.data();
    const char* const end = p + n;
    while (p < end) {
      const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const std::size_t len = static_cast<std::size_t>((nl ? nl : end) - p);
      line_bytes += len;
      if (!too_long && line.size() + len > max_bytes) {
        too_long = true;
        std::string().swap(line);
      }
      if (!too_long) line.append(p, len);
      if (!nl) break;
      ++line_bytes;
      emit();
      p = nl + 1;
    }
  }
  if (line_bytes > 0 && !cut_short()) {
    ++line_bytes;  // counted as if it ended with a newline
    emit();
  }
}

// Bytes from a file descriptor, for split_json_lines. A pipe, FIFO or
// terminal is polled so that a stop request ends a wait for input; what the
// pipe already holds is still read (up to kDrainLimit), so nothing written
// before the request is lost. A regular file stops at once.
class FdInput {
 public:
  FdInput(int fd, const std::function<bool()>& stop) : fd_(fd), stop_(stop) {
    struct stat st {};
    pipe_ = ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
  }

  std::size_t operator()(char* buf, std::size_t cap) {
    for (;;) {
      if (!draining_ && stop_ && stop_()) {
        interrupted_ = true;
        if (!pipe_) return 0;
        draining_ = true;
      }
      if (draining_ && drained_ >= kDrainLimit) return 0;
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, draining_ ? 0 : kPollMillis);
      if (ready < 0 && errno != EINTR) return fail();
      if (ready <= 0) {
        if (draining_) return 0;
        continue;
      }
      const ssize_t n = ::read(fd_, buf, cap);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return fail();
      }
      if (draining_) drained_ += static_cast<std::size_t>(n);
      return static_cast<std::size_t>(n);
    }
  }

  const std::string& error() const { return error_; }
  bool interrupted() const { return interrupted_; }

 private:
  static constexpr int kPollMillis = 200;
  static constexpr std::size_t kDrainLimit = std::size_t{4} << 20;

  std::size_t fail() {
    error_ = std::string("read error: ") + std::strerror(errno);
    return 0;
  }

  int fd_;
  const std::function<bool()>& stop_;
  bool pipe_ = false, draining_ = false, interrupted_ = false;
  std::size_t drained_ = 0;
  std::string error_;
};

void read_json_lines_fd(int fd, const std::string& name, const RecordSink& sink, const ReadOptions& options) {
  FdInput input(fd, options.stop);
  split_json_lines(input, name, sink, options.max_record_bytes, [&] { return input.interrupted(); });
  if (!input.error().empty()) sink(Record{name, ArticleOutcome{std::nullopt, input.error(), {}}, 0});
}

void read_one_file(const fs::path& p, Format format, const std::string& name, const RecordSink& sink,
                   const ReadOptions& options) {
  if (format == Format::kJsonLines) {
    // Non-blocking, so that opening a FIFO with no writer yet does not wait
    // beyond the reach of a stop request; FdInput polls before each read.
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      sink(Record{name, ArticleOutcome{std::nullopt, std::string("cannot read file: ") + std::strerror(errno), {}}, 0});
      return;
    }
    read_json_lines_fd(fd, name, sink, options);
    ::close(fd);
    return;
  }
  std::string text, error;
  if (!read_file(p, &text, &error)) {
    sink(Record{name, ArticleOutcome{std::nullopt, error, {}}, 0});
    return;
  }
  Record r;
  r.origin = name;
  r.bytes = text.size();
  try {
    r.outcome = format == Format::kMarkdown ? article_from_markdown(text, name) : article_from_plain_text(text, name);
  } catch (const std::exception& e) {
    r.outcome = ArticleOutcome{std::nullopt, std::string("cannot read file: ") + e.what(), {}};
  }
  sink(std::move(r));
}

// What a folder holds for read_paths: the files it reads, in the order it
// reads them, and the paths it reports instead of reading.
struct FolderEntry {
  fs::path path;
  std::string problem;   // empty: read it
  bool warning = false;  // the problem is a warning (skipped), not a rejection
};

// True if path (canonical) is root (canonical) or inside it.
bool inside(const fs::path& root, const fs::path& path) {
  auto r = root.begin(), p = path.begin();
  for (; r != root.end(); ++r, ++p)
    if (p == path.end() || *r != *p) return false;
  return true;
}

const char* special_kind(const fs::file_status& st) {
  if (fs::is_fifo(st)) return "a FIFO";
  if (fs::is_character_file(st) || fs::is_block_file(st)) return "a device";
  if (fs::is_socket(st)) return "a socket";
  return nullptr;
}

// The entries of a folder, sorted by path; ec is set if the walk stopped
// early. Symlinked folders are not descended; a file symlink is read only if
// it stays inside the folder (or options.follow_symlinks); a symlink loop is
// a warning; a FIFO, device or socket with a name xinwen reads is rejected
// unread (reading one could block forever or never end).
std::vector<FolderEntry> walk_folder(const fs::path& folder, const ReadOptions& options, std::error_code& ec) {
  std::vector<FolderEntry> out;
  std::error_code e;
  fs::path root = fs::canonical(folder, e);
  if (e) root = fs::absolute(folder, e);
  for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    const bool readable_name = format_of(p) != Format::kUnknown && p.filename().string()[0] != '.';
    fs::file_status st = it->symlink_status(e);
    if (e) continue;
    if (fs::is_symlink(st)) {
      const fs::path target = fs::canonical(p, e);
      if (e == std::errc::too_many_symbolic_link_levels) {
        out.push_back({p, "symbolic link loop; skipped", true});
        continue;
      }
      if (e || !readable_name) continue;  // a broken link, or a name xinwen does not read
      st = fs::status(target, e);
      if (e || fs::is_directory(st)) continue;
      if (!options.follow_symlinks && !inside(root, target)) {
        out.push_back(
            {p, "symbolic link to a file outside " + folder.string() + "; not followed (--follow-symlinks)", true});
        continue;
      }
    }
    if (!readable_name || fs::is_directory(st)) continue;
    if (fs::is_regular_file(st)) {
      out.push_back({p, {}, false});
    } else if (const char* kind = special_kind(st)) {
      out.push_back({p, std::string("not a regular file (") + kind + "); not read", false});
    }
  }
  std::sort(out.begin(), out.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.path < b.path; });
  return out;
}

}  // namespace

std::optional<std::uint64_t> input_size(const std::vector<std::string>& paths, const ReadOptions& options) {
  std::uint64_t total = 0;
  for (const std::string& arg : paths) {
    if (arg == "-") return std::nullopt;
    std::error_code ec;
    auto status = fs::status(arg, ec);
    if (ec || !fs::exists(status)) continue;  // read_paths rejects it without reading
    if (fs::is_directory(status)) {
      for (const FolderEntry& f : walk_folder(arg, options, ec)) {
        if (!f.problem.empty()) continue;
        std::uintmax_t size = fs::file_size(f.path, ec);
        if (!ec) total += size;
      }
    } else if (fs::is_regular_file(status)) {
      std::uintmax_t size = fs::file_size(arg, ec);
      if (!ec && format_of(arg) != Format::kUnknown) total += size;
    } else {
      return std::nullopt;  // a FIFO, a terminal or a device: no size before the end
    }
  }
  return total;
}

void read_json_lines(std::istream& in, const std::string& name, const RecordSink& sink, std::size_t max_record_bytes) {
  // Up to the end of the current line at most, so that a record is handled
  // as soon as its line is complete.
  auto fill = [&](char* buf, std::size_t cap) -> std::size_t {
    in.get(buf, static_cast<std::streamsize>(cap - 1), '\n');
    auto n = static_cast<std::size_t>(in.gcount());
    if (in.fail() && !in.bad() && !in.eof()) in.clear();  // an empty line: get() took nothing
    if (in && in.peek() == '\n') {
      in.ignore();
      buf[n++] = '\n';
    }
    return n;
  };
  split_json_lines(fill, name, sink, max_record_bytes, [] { return false; });
}

std::string strip_markdown(std::string_view markdown) {
  CHandle<cmark_node, cmark_node_free> doc(cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
  CHandle<cmark_iter, cmark_iter_free> it(cmark_iter_new(doc.get()));
  std::string out;
  auto newline = [&] {
    if (!out.empty() && out.back() != '\n') out += '\n';
  };
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(it.get());
    cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER) {
      switch (type) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
          if (const char* lit = cmark_node_get_literal(node)) out += lit;
          break;
        case CMARK_NODE_CODE_BLOCK:
          newline();
          if (const char* lit = cmark_node_get_literal(node)) out += lit;
          newline();
          break;
        case CMARK_NODE_SOFTBREAK: out += ' '; break;
        case CMARK_NODE_LINEBREAK: out += '\n'; break;
        default: break;  // HTML blocks and inline HTML carry markup, not text
      }
    } else if (ev == CMARK_EVENT_EXIT) {
      switch (type) {
        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_HEADING:
        case CMARK_NODE_ITEM:
        case CMARK_NODE_BLOCK_QUOTE: newline(); break;
        default: break;
      }
    }
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

ArticleOutcome article_from_markdown(std::string_view text, const std::string& id_hint) {
  ArticleOutcome out;
  Article a;
  std::string_view whole = text;
  if (whole.substr(0, 3) == "\xEF\xBB\xBF") whole.remove_prefix(3);
  std::string_view body = whole;
  if (body.substr(0, 4) == "---\n" || body.substr(0, 5) == "---\r\n") {
    std::size_t start = body.find('\n') + 1;
    std::size_t close = std::string_view::npos;
    for (std::size_t pos = start; pos < body.size();) {
      std::size_t eol = body.find('\n', pos);
      std::string_view line = body.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line == "---" || line == "...") {
        close = pos;
        body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
        break;
      }
      if (eol == std::string_view::npos) break;
      pos = eol + 1;
    }
    if (close == std::string_view::npos) {
      out.error = "front matter opened with --- is never closed";
      return out;
    }
    std::string front(whole.substr(start, close - start));
    try {
      YAML::Node node = YAML::Load(front);
      if (node.IsMap()) {
        for (const auto& kv : node) {
          std::string key = kv.first.as<std::string>();
          const YAML::Node& v = kv.second;
          if (key == "draft" && v.IsScalar() && v.as<std::string>() == "true") {
            out.error = "draft post (draft: true) is not indexed";
            return out;
          }
          const Field* f = field_by_front_matter_key(key);
          if (f && f->list) {
            if (v.IsSequence()) {
              for (const auto& t : v)
                if (t.IsScalar()) (a.*f->list).push_back(t.as<std::string>());
            } else if (v.IsScalar()) {
              (a.*f->list).push_back(v.as<std::string>());
            }
          } else if (f) {
            a.*f->text = yaml_text(v);
          }
          // Other keys (slug, weight, layout...) belong to the site generator.
        }
      } else if (!node.IsNull()) {
        out.error = "front matter is not a YAML mapping";
        return out;
      }
    } catch (const YAML::Exception& e) {
      out.error = "front matter is not valid YAML: " + std::string(e.what());
      return out;
    }
  }
  a.body = strip_markdown(body);
  if (a.id.empty() && a.url.empty()) a.id = id_hint;
  out.error = normalize_article(a, &out.warnings);
  if (out.error.empty()) out.article = std::move(a);
  return out;
}

ArticleOutcome article_from_plain_text(std::string_view text, const std::string& id_hint) {
  ArticleOutcome out;
  Article a;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      a.title = std::string(line);
      break;
    }
  }
  a.body = std::string(text.substr(pos));
  a.id = id_hint;
  out.error = normalize_article(a, &out.warnings);
  if (out.error.empty()) out.article = std::move(a);
  return out;
}

void read_paths(const std::vector<std::string>& paths, const RecordSink& sink, const ReadOptions& options) {
  auto stopped = [&] { return options.stop && options.stop(); };
  for (const std::string& arg : paths) {
    if (stopped()) return;
    if (arg == "-") {
      read_json_lines_fd(STDIN_FILENO, "<stdin>", sink, options);
      continue;
    }
    fs::path p(arg);
    std::error_code ec;
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) {
      sink(Record{arg, ArticleOutcome{std::nullopt, "no such file or directory", {}}, 0});
      continue;
    }
    if (fs::is_directory(status)) {
      std::vector<FolderEntry> entries = walk_folder(p, options, ec);
      if (ec) sink(Record{arg, ArticleOutcome{std::nullopt, "cannot read folder: " + ec.message(), {}}, 0});
      for (const FolderEntry& f : entries) {
        if (stopped()) return;
        if (f.problem.empty()) {
          read_one_file(f.path, format_of(f.path), f.path.string(), sink, options);
        } else if (f.warning) {
          Record r;
          r.origin = f.path.string();
          r.outcome.warnings.push_back(f.problem);
          r.skipped = true;
          sink(std::move(r));
        } else {
          sink(Record{f.path.string(), ArticleOutcome{std::nullopt, f.problem, {}}, 0});
        }
      }
      continue;
    }
    Format format = format_of(p);
    if (format == Format::kUnknown) {
      sink(Record{arg, ArticleOutcome{std::nullopt, "unsupported file type (expected .jsonl, .md or .txt)", {}}, 0});
      continue;
    }
    read_one_file(p, format, arg, sink, options);
  }
}

}  // namespace xinwen
