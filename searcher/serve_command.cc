// xinwen-search serve --db DIR [--listen HOST:PORT] ...: the JSON API and the
// search page over HTTP until SIGINT or SIGTERM (searcher/API.md). The server
// is xinwen::http; this file is only its command line.
#include <memory>
#include <string>

#include <xinwen/http/server.h>

#include "commands.h"

namespace xinwen {
namespace {

// "HOST:PORT", ":PORT" (127.0.0.1), "PORT" or "[V6ADDR]:PORT".
bool parse_listen(const std::string& text, std::string& host, int& port) {
  std::size_t colon = text.rfind(':');
  std::string h, p;
  if (colon == std::string::npos) {
    p = text;  // a port alone
  } else {
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  int n = std::stoi(p);
  if (n > 65535) return false;
  host = h.empty() ? "127.0.0.1" : h;
  port = n;
  return true;
}

}  // namespace

Mode add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServerOptions>();
  auto lexicon = std::make_shared<LexiconPaths>();
  CLI::App* sub = app.add_subcommand("serve", "The search API and search page over HTTP (see searcher/API.md)");
  sub->add_option("--db", o->db, "Database directory or stub file (opened read-only)")->required();
  sub->add_option_function<std::string>(
         "--listen",
         [o](const std::string& text) {
           if (!parse_listen(text, o->host, o->port))
             throw CLI::ValidationError("--listen", "must be HOST:PORT, e.g. 127.0.0.1:8080, not \"" + text + "\"");
         },
         "HOST:PORT to listen on (port 0: any free port)")
      ->default_str(o->host + ":" + std::to_string(o->port));
  sub->add_option("--static", o->static_dir, "Folder of the search page (default: searcher/static of the sources)")
      ->check(CLI::ExistingDirectory);
  sub->add_option("--threads", o->threads, "Worker threads, each with its own reader")->check(CLI::Range(1, 1024));
  sub->add_option("--queue", o->queue, "Connections that may wait for a worker; more get 503")
      ->check(CLI::Range(0, 100000));
  sub->add_option("--cache-entries", o->cache_entries, "Answers kept for repeated requests (0: none)")
      ->check(CLI::Range(0, 1000000));
  sub->add_option("--cors-origin", o->cors_origins,
                  "An origin allowed to call the API, e.g. https://example.org; repeatable; * allows any")
      ->default_str("");
  sub->add_option("--max-query-bytes", o->max_query_bytes, "Longest q accepted")->check(CLI::Range(1, 65536));
  sub->add_option("--max-page-size", o->max_page_size, "Largest size per page")->check(CLI::Range(1, 1000));
  sub->add_option("--max-page", o->max_page, "Last page that may be asked for")->check(CLI::Range(1, 100000));
  sub->add_option("--max-wildcard", o->max_wildcard, "Terms one word* may expand to")->check(CLI::Range(1, 100000));
  sub->add_option("--facet-sample", o->facet_sample, "Matches the facet counts look at")
      ->check(CLI::Range(1, 100000000));
  sub->add_option("--search-time-limit", o->search_time_limit,
                  "Seconds one search may take; past it the answer is 503 (0: no limit)")
      ->check(CLI::Range(0.0, 3600.0));
  sub->add_option("--max-body-bytes", o->max_body_bytes, "Largest request body")->check(CLI::Range(0, 1 << 20));
  sub->add_option("--reopen-interval", o->reopen_interval, "Seconds between checks for a new commit (0: every request)")
      ->check(CLI::Range(0.0, 86400.0));
  sub->add_option("--header-timeout", o->header_timeout,
                  "Seconds for a request's line and headers to arrive, in all (else 408)")
      ->check(CLI::Range(0.1, 300.0));
  sub->add_option("--max-connections", o->max_connections, "Open connections; more get 503")
      ->check(CLI::Range(1, 100000));
  sub->add_option("--max-client-connections", o->max_client_connections,
                  "Open connections from one client address; more get 503 (0: no cap; use 0 behind a proxy)")
      ->check(CLI::Range(0, 100000));
  sub->add_option("--read-timeout", o->read_timeout, "Seconds for each receive of a request body")
      ->check(CLI::Range(1, 300));
  sub->add_option("--keep-alive-timeout", o->keep_alive_timeout, "Seconds an idle connection is kept")
      ->check(CLI::Range(0, 300));
  sub->add_flag("--access-log", o->access_log, "Log each request (address, method, path, status) to stderr");
  add_lexicon_options(*sub, *lexicon, nullptr);
  sub->add_option("--remote-timeout", o->remote_timeout,
                  "Seconds a remote shard may take to connect and to answer each request")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  sub->add_flag("--allow-partial", o->allow_partial,
                "Answer from the other shards when one is down or too slow, unless a request says partial=0");
  return {sub, [o, lexicon] {
            if (o->static_dir.empty()) o->static_dir = default_static_dir();
            o->lexicon = load_lexicon(*lexicon);  // once: every worker reads it
            return serve(*o);
          }};
}

}  // namespace xinwen
