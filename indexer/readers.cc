#include <xinwen/readers.h>

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

void read_one_file(const fs::path& p, Format format, const std::string& name, const RecordSink& sink) {
  if (format == Format::kJsonLines) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      sink(Record{name, ArticleOutcome{std::nullopt, std::string("cannot read file: ") + std::strerror(errno), {}}, 0});
      return;
    }
    read_json_lines(in, name, sink);
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
  r.outcome = format == Format::kMarkdown ? article_from_markdown(text, name) : article_from_plain_text(text, name);
  sink(std::move(r));
}

// The files of a folder that read_paths reads, in the order it reads them;
// ec is set if the walk stopped early.
std::vector<fs::path> files_in_folder(const fs::path& folder, std::error_code& ec) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && format_of(it->path()) != Format::kUnknown && it->path().filename().string()[0] != '.')
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::optional<std::uint64_t> input_size(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  for (const std::string& arg : paths) {
    if (arg == "-") return std::nullopt;
    std::error_code ec;
    auto status = fs::status(arg, ec);
    if (ec || !fs::exists(status)) continue;  // read_paths rejects it without reading
    if (fs::is_directory(status)) {
      for (const fs::path& f : files_in_folder(arg, ec)) {
        std::uintmax_t size = fs::file_size(f, ec);
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

void read_json_lines(std::istream& in, const std::string& name, const RecordSink& sink) {
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::size_t bytes = line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    Record r;
    r.origin = name + ":" + std::to_string(lineno);
    r.bytes = bytes;
    r.outcome = article_from_json(line);
    sink(std::move(r));
  }
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

void read_paths(const std::vector<std::string>& paths, const RecordSink& sink) {
  for (const std::string& arg : paths) {
    if (arg == "-") {
      read_json_lines(std::cin, "<stdin>", sink);
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
      std::vector<fs::path> files = files_in_folder(p, ec);
      if (ec) sink(Record{arg, ArticleOutcome{std::nullopt, "cannot read folder: " + ec.message(), {}}, 0});
      for (const fs::path& f : files) read_one_file(f, format_of(f), f.string(), sink);
      continue;
    }
    Format format = format_of(p);
    if (format == Format::kUnknown) {
      sink(Record{arg, ArticleOutcome{std::nullopt, "unsupported file type (expected .jsonl, .md or .txt)", {}}, 0});
      continue;
    }
    read_one_file(p, format, arg, sink);
  }
}

}  // namespace xinwen
