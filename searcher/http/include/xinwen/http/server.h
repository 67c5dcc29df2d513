// The HTTP server behind a website's search box: `xinwen-search serve`.
//
// It answers the JSON API (searcher/API.md) with the same Searcher and the same
// to_json() as the command line, and serves the search page from a folder of
// static files. Connections wait on one polling thread until their request
// has arrived in full (within a header deadline, under a cap on connections
// and a cap per client address), so slow clients hold no worker. Requests
// then run on a fixed pool of worker threads; each worker
// keeps its own read-only Searcher and reopens it when the indexer commits.
// Connections beyond the workers and a bounded wait queue are answered with
// 503 at once instead of waiting without end. Answers are kept in a small
// cache keyed by the request and the database's revision, so a new commit
// is never answered from the cache. Used by `xinwen-search serve`, which owns
// the command line, and by the HTTP tests; HttpServer::stop() may be called
// from any thread, everything else from the thread that made the server.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <xinwen/lexicon.h>

namespace xinwen {

struct ServerOptions {
  std::string db;                  // database directory or stub file
  std::string host = "127.0.0.1";  // address to listen on
  int port = 8080;                 // 0: any free port (see HttpServer::bind)
  std::string static_dir;          // the page's folder; empty: no page

  std::size_t threads = 32;                 // workers: requests served at once
  std::size_t queue = 64;                   // connections that may wait for a worker
  double header_timeout = 10;               // seconds for a request's line and headers to arrive, in all
  std::size_t max_connections = 400;        // open connections; more get 503
  std::size_t max_client_connections = 64;  // open connections from one address; more get 503; 0: no cap
  int read_timeout = 5;                     // seconds for each receive of a request body
  int write_timeout = 5;                    // seconds to send a response
  int keep_alive_timeout = 2;               // seconds an idle connection is kept open
  std::size_t keep_alive_requests = 100;    // requests on one connection

  std::size_t max_query_bytes = 512;  // q of /api/search and /api/suggest
  std::size_t default_page_size = 10;
  std::size_t max_page_size = 50;        // size of /api/search
  std::size_t max_page = 100;            // page of /api/search
  std::size_t max_suggestions = 10;      // n of /api/suggest
  unsigned max_wildcard = 100;           // terms one word* may expand to
  unsigned facet_sample = 20000;         // matches the facet counts look at
  double search_time_limit = 3;          // seconds one search may take; past it 503 (0: no limit)
  std::size_t max_body_bytes = 1024;     // request bodies (the API takes none)
  std::size_t max_headers = 64;          // header fields in one request
  std::size_t max_header_bytes = 16384;  // their total size

  std::size_t cache_entries = 2000;  // answers kept for repeated requests; 0: none
  std::size_t cache_bytes = 64u << 20;

  std::vector<std::string> cors_origins;   // origins allowed to call the API; "*" any
  double reopen_interval = 1.0;            // seconds between checks for a new commit; 0: every request
  bool access_log = false;                 // one line per request on stderr
  std::shared_ptr<const Lexicon> lexicon;  // query expansion, shared by every worker; null: none
  double remote_timeout = 10;              // seconds a remote shard may take to connect and to answer each request
  // A search may leave out shards that are down (partial=1 asks it per
  // request, partial=0 refuses it); /healthz then says "degraded", not 503.
  bool allow_partial = false;
};

class HttpServer {
 public:
  explicit HttpServer(ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket and returns its port (the chosen one when
  // options.port is 0). Throws EnvironmentError if the address is unusable.
  int bind();

  // Serves until stop() is called (from any thread). bind() must come first.
  void run();

  // Stops run(); safe to call more than once and before run() starts.
  void stop();

  const ServerOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Where the page's files are when none are named: the source folder
// named at build time if it still exists, else a "static" folder beside the
// program or under ../share/xinwen/. Empty if none is found.
std::string default_static_dir();

// Runs a server for options until SIGINT or SIGTERM, as `xinwen-search serve`
// does: logs the database it found (or warns, and answers 503 until it can be
// opened) and whether the page's folder has an index.html, prints
// "xinwen-search: listening on http://HOST:PORT/" on standard output once it
// accepts connections, and "stopped" on standard error at the end. Blocks
// SIGINT and SIGTERM in the calling thread (and so in the threads it starts).
// Throws EnvironmentError if the address is unusable; returns kExitOk.
int serve(const ServerOptions& options);

}  // namespace xinwen
