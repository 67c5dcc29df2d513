#include "baseline_common.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace xinwen_bench {
namespace {

using json = nlohmann::json;

std::string string_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Query parse_query_line(const std::string& line, std::size_t default_limit) {
  json request = json::parse(line);
  if (!request.is_object()) throw std::runtime_error("query line is not a JSON object");
  Query query;
  query.text = string_field(request, "q");
  query.limit = default_limit;
  if (auto it = request.find("limit"); it != request.end() && it->is_number_unsigned()) {
    query.limit = it->get<std::size_t>();
  }
  query.source = string_field(request, "source");
  query.from = string_field(request, "from");
  query.to = string_field(request, "to");
  std::string sort = string_field(request, "sort");
  if (sort == "date") {
    query.by_date = true;
  } else if (!sort.empty() && sort != "relevance") {
    throw std::runtime_error("unknown sort: " + sort);
  }
  return query;
}

}  // namespace

void read_articles(const std::vector<std::string>& files, const std::function<void(const Article&)>& on_article,
                   IndexCounts& counts) {
  std::string line;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::size_t line_number = 0;
    while (std::getline(in, line)) {
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
      Article article;
      if (record.is_object()) article.id = string_field(record, "id");
      if (article.id.empty()) {
        std::cerr << file << ":" << line_number << ": rejected: not an article with an id\n";
        ++counts.rejected;
        continue;
      }
      article.title = string_field(record, "title");
      article.body = string_field(record, "body");
      article.published = string_field(record, "published");
      article.source = string_field(record, "source");
      article.line = line;
      on_article(article);
    }
  }
}

void print_index_summary(const IndexCounts& counts, double seconds) {
  std::printf("added %zu, replaced %zu, unchanged 0, rejected %zu, %.2f s\n", counts.added, counts.replaced,
              counts.rejected, seconds);
  std::fflush(stdout);
}

std::string end_of_day(const std::string& day) { return day + "T23:59:59Z"; }

std::size_t serve_batch(std::istream& in, std::ostream& out, std::size_t default_limit,
                        const std::function<Answer(const Query&)>& search) {
  std::size_t failures = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json reply;
    auto start = std::chrono::steady_clock::now();
    try {
      Query query = parse_query_line(line, default_limit);
      start = std::chrono::steady_clock::now();  // the clock covers the engine only
      Answer answer = search(query);
      reply["ms"] = elapsed_ms(start);
      reply["total"] = answer.total;
      reply["ids"] = std::move(answer.ids);
    } catch (const std::exception& e) {
      reply["ms"] = elapsed_ms(start);
      reply["error"] = e.what();
      reply["ids"] = json::array();
      ++failures;
    }
    out << reply.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
  }
  return failures;
}

std::optional<CommandLine> parse_command_line(int argc, char** argv, std::string& error) {
  if (argc < 2) {
    error = "missing command (add, batch or compact)";
    return std::nullopt;
  }
  CommandLine cl;
  cl.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--db" || arg == "--limit" || arg == "--commit-every") && i + 1 >= argc) {
      error = arg + " needs a value";
      return std::nullopt;
    }
    if (arg == "--db") {
      cl.db = argv[++i];
    } else if (arg == "--limit" || arg == "--commit-every") {
      try {
        (arg == "--limit" ? cl.limit : cl.commit_every) = std::stoul(argv[++i]);
      } catch (const std::exception&) {
        error = arg + " needs a number";
        return std::nullopt;
      }
    } else if (arg.starts_with("--")) {
      error = "unknown option " + arg;
      return std::nullopt;
    } else {
      cl.files.push_back(arg);
    }
  }
  if (cl.command != "add" && cl.command != "batch" && cl.command != "compact") {
    error = "unknown command " + cl.command;
    return std::nullopt;
  }
  if (cl.db.empty()) {
    error = "--db is required";
    return std::nullopt;
  }
  if (cl.command == "add" && cl.files.empty()) {
    error = "add needs at least one input file";
    return std::nullopt;
  }
  if (cl.command != "add" && !cl.files.empty()) {
    error = cl.command + " takes no input files";
    return std::nullopt;
  }
  return cl;
}

}  // namespace xinwen_bench
