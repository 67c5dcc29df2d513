// xinwen-search serve: the JSON API and the search page over HTTP, on
// cpp-httplib. See server.h for the design and searcher/API.md for the API.
// The parts live beside this file: connection_gate (where connections wait
// for their request, and the caps on them), worker_pool (threads and the 503 rule),
// answer_cache, screening (what every request passes first), params (the
// API's parameters), static_files, responses and log.
#include <xinwen/http/server.h>

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>

#include <xinwen/db.h>
#include <xinwen/errors.h>
#include <xinwen/schema.h>
#include <xinwen/search.h>

#include "answer_cache.h"
#include "connection_gate.h"
#include "log.h"
#include "params.h"
#include "responses.h"
#include "screening.h"
#include "static_files.h"
#include "worker_pool.h"

namespace xinwen {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

// cpp-httplib's server with its accepted sockets sent to a connection gate
// instead of straight to a worker, and a worker answering one request at a
// time from what the gate has read.
class GatedServer final : public httplib::Server {
 public:
  std::function<void(int)> on_accept;

  // Answers one request on c; true if the connection may carry another.
  bool answer_one(Connection& c, int read_timeout, int write_timeout, bool last) {
    ConnectionStream stream(c, read_timeout, write_timeout);
    bool closed = false;
    const bool ok = process_request(stream, last, closed, nullptr);
    ++c.requests;
    return ok && !closed && !last;
  }

 private:
  // Called by cpp-httplib's accepting thread, through the task queue below.
  bool process_and_close_socket(socket_t sock) override {
    on_accept(sock);
    return true;
  }
};

// The task queue cpp-httplib makes for each run: it passes every accepted
// socket on to the gate at once, and the gate passes each connection whose
// request has arrived on to the worker pool.
class Front final : public httplib::TaskQueue {
 public:
  Front(const ServerOptions& opt, GatedServer& http, std::function<void(Worker&)> warm_up)
      : opt_(opt),
        http_(http),
        gate_(limits(opt), ready(), refuse()),
        pool_(opt.threads, opt.queue, std::move(warm_up)) {}

  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {
    gate_.stop();
    pool_.shutdown();
  }
  ConnectionGate& gate() { return gate_; }

 private:
  static GateLimits limits(const ServerOptions& opt) {
    GateLimits l;
    l.header_timeout = opt.header_timeout;
    l.keep_alive_timeout = opt.keep_alive_timeout;
    l.max_connections = opt.max_connections;
    l.max_per_client = opt.max_client_connections;
    l.max_head_bytes = opt.max_header_bytes + 16384;  // plus the request line
    return l;
  }
  void serve(const std::shared_ptr<Connection>& c) {
    const bool last = c->requests + 1 >= opt_.keep_alive_requests || c->refuse || refusing_connection();
    if (http_.answer_one(*c, opt_.read_timeout, opt_.write_timeout, last)) gate_.resume(c);
  }
  ConnectionGate::Dispatch ready() {
    return [this](std::shared_ptr<Connection> c) { pool_.enqueue([this, c] { serve(c); }); };
  }
  ConnectionGate::Dispatch refuse() {
    return [this](std::shared_ptr<Connection> c) { pool_.refuse([this, c] { serve(c); }); };
  }

  const ServerOptions& opt_;
  GatedServer& http_;
  // The gate outlives the pool: a job the pool still drains may hand its
  // connection back to the gate, or close it, which tells the gate.
  ConnectionGate gate_;
  WorkerPool pool_;
};

}  // namespace

struct HttpServer::Impl {
  ServerOptions opt;
  SearcherOptions searcher_options;
  GatedServer http;
  std::atomic<Front*> front{nullptr};
  fs::path static_root;  // canonical; empty when there is no page
  bool bound = false;
  std::mutex run_mutex;  // guards the two flags below
  bool stop_requested = false;
  std::atomic<bool> in_run{false};
  std::atomic<long long> last_unavailable_log{0};
  AnswerCache cache;

  explicit Impl(ServerOptions o) : opt(std::move(o)), cache(opt.cache_entries, opt.cache_bytes) {
    searcher_options.limits.max_bytes = opt.max_query_bytes;
    searcher_options.limits.max_wildcard = opt.max_wildcard;
    searcher_options.max_limit = opt.max_page_size;
    searcher_options.facet_sample = opt.facet_sample;
    searcher_options.time_limit = opt.search_time_limit;
    searcher_options.lexicon = opt.lexicon;
    searcher_options.open.remote_timeout = opt.remote_timeout;
    // Workers open whatever shards answer; each request decides whether an
    // answer without the others will do (SearchRequest::allow_partial).
    searcher_options.open.allow_partial = true;
    if (!opt.static_dir.empty()) {
      std::error_code ec;
      fs::path root = fs::canonical(opt.static_dir, ec);
      if (!ec && fs::is_directory(root, ec)) static_root = root;
    }
    configure();
  }

  // The reader of the worker running this request, opened on first use and
  // checked for a new commit at most every reopen_interval seconds.
  Searcher& searcher(bool force_reopen = false) {
    Worker* w = current_worker();
    if (!w) throw std::logic_error("a request ran outside the worker pool");
    Clock::time_point now = Clock::now();
    if (!w->searcher) {
      open_searcher(*w);
    } else if (force_reopen || now - w->checked >= std::chrono::duration<double>(opt.reopen_interval)) {
      w->checked = now;
      if (database_location(opt.db) != w->location) {
        open_searcher(*w);  // another database at the path: reopen() would keep reading the old files
      } else {
        w->searcher->reopen();
        Xapian::Database& db = w->searcher->database();
        if (w->searcher->shard_generation() != w->shard_generation) {
          // The searcher left out a shard or took one back: its own doing, no new database.
          w->shard_generation = w->searcher->shard_generation();
          w->uuid = db.get_uuid();
          w->identity = database_identity(db);
        } else if (db.get_uuid() != w->uuid) {
          open_searcher(*w);
        } else {
          check_schema_version(db);  // a commit may have come from another version
          w->identity = database_identity(db);
        }
      }
    }
    return *w->searcher;
  }

  // Opens the reader afresh, with the schema check; on failure the worker
  // has none, and the next request tries again.
  void open_searcher(Worker& w) {
    w.searcher.reset();
    w.identity.clear();
    w.location = database_location(opt.db);
    w.searcher = std::make_unique<Searcher>(opt.db, searcher_options);
    w.checked = Clock::now();
    w.uuid = w.searcher->database().get_uuid();
    w.shard_generation = w.searcher->shard_generation();
    w.identity = database_identity(w.searcher->database());
  }

  // The cache key of a request to the current worker's database; empty when
  // the answer is not to be cached.
  std::string cache_key(const std::string& request) const {
    const Worker* w = current_worker();
    if (!cache.enabled() || !w || w->identity.empty()) return {};
    return w->identity + "\n" + request;
  }

  // Answers from the cache, or computes, sends and keeps the answer.
  template <typename F>
  void cached(httplib::Response& res, const std::string& request, F&& compute) {
    searcher();  // opens, or looks for a new commit, before the key is made
    std::string key = cache_key(request);
    if (!key.empty()) {
      if (std::shared_ptr<const std::string> hit = cache.get(key)) return send_body(res, *hit, true);
    }
    json answer = compute();
    auto body = std::make_shared<const std::string>(dump(answer));
    // An answer without some shards is not kept: the next may have them.
    if (!key.empty() && !answer.contains("missing_shards")) cache.put(key, body);
    send_body(res, *body, false);
  }

  void drop_searcher() {
    Worker* w = current_worker();
    if (!w) return;
    w->searcher.reset();
    w->identity.clear();
  }

  // Database trouble is logged (at most every 10 s: it tends to repeat) and
  // never shown to the client, whose message names no path.
  void unavailable(httplib::Response& res, const std::string& detail) {
    drop_searcher();
    long long now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
    long long last = last_unavailable_log.load();
    if (now - last >= 10 && last_unavailable_log.compare_exchange_strong(last, now)) server_log(detail);
    send_error(res, 503, "the search index is unavailable; try again later");
  }

  // Runs an API handler, turning errors into JSON statuses.
  template <typename F>
  void guarded(httplib::Response& res, F&& body) {
    try {
      body();
    } catch (const UsageError& e) {
      send_error(res, 400, e.what());
    } catch (const ShardUnavailable& e) {
      // The searcher stays: it knows when to try the shard again. The
      // message names shards as the stub does (an address, or a name
      // beside the stub), no other path.
      res.set_header("Retry-After", "5");
      send_error(res, 503, e.what());
    } catch (const SearchTimeout&) {
      res.set_header("Retry-After", "1");
      send_error(res, 503, "the search took longer than the server allows; try a narrower query");
    } catch (const EnvironmentError& e) {
      unavailable(res, e.what());
    } catch (const Xapian::DatabaseError& e) {
      unavailable(res, "database error: " + e.get_description());
    } catch (const Xapian::Error& e) {
      server_log("search failed: " + e.get_description());
      send_error(res, 500, "internal error");
    } catch (const std::exception& e) {
      server_log(std::string("search failed: ") + e.what());
      send_error(res, 500, "internal error");
    }
  }

  void search(const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      SearchRequest sr = search_params(req, opt);
      json request = {"search",   sr.query, sr.offset, sr.limit, sr.sort == SortOrder::kDate,
                      sr.sources, sr.langs, sr.from,   sr.to,    sr.facets};
      request.push_back(sr.recency_halflife);
      request.push_back(sr.now);
      request.push_back(sr.like);
      request.push_back(sr.spelling);
      request.push_back(sr.expand);
      request.push_back(sr.collapse);
      request.push_back(sr.allow_partial.value_or(false));
      cached(res, dump(request), [&] { return to_json(searcher().search(sr)); });
    });
  }

  void suggest(const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      std::string q = query_param(req, opt);
      std::size_t n = suggest_count(req, opt);
      cached(res, dump(json{"suggest", q, n}), [&] {
        json list = json::array();
        for (std::string& s : searcher().suggest(q, n)) list.push_back(std::move(s));
        return json{{"query", q}, {"suggestions", list}};
      });
    });
  }

  static json shards_json(const std::vector<ShardStatus>& shards) {
    json out = json::array();
    for (const ShardStatus& st : shards) {
      json one = {{"name", st.name}, {"remote", st.remote}, {"status", st.ok ? "ok" : "down"}};
      if (st.ok)
        one["documents"] = st.documents;
      else
        one["error"] = st.error;
      out.push_back(std::move(one));
    }
    return out;
  }

  void health(httplib::Response& res) {
    try {
      Searcher& s = searcher(true);
      const std::vector<ShardStatus>& shards = s.check_shards();
      note_shard_change();
      Xapian::Database& db = s.database();
      const bool all_up = std::all_of(shards.begin(), shards.end(), [](auto& st) { return st.ok; });
      // Some shards down: a server that answers without them is degraded
      // but serving (200, so a load balancer keeps it); one that refuses
      // partial answers cannot answer searches (503).
      const bool serving = all_up || opt.allow_partial;
      json body{{"status", all_up    ? "ok"
                           : serving ? "degraded"
                                     : "unavailable"},
                {"documents", db.get_doccount()},
                {"last_update", db.get_metadata(std::string(kMetaLastUpdate))},
                {"schema_version", db.get_metadata(std::string(kMetaSchemaVersion))},
                {"shards", shards_json(shards)}};
      if (!serving) body["error"] = "a shard of the search index is unavailable";
      send_json(res, serving ? 200 : 503, body);
      return;
    } catch (const ShardUnavailable& e) {
      // No shard answered at all.
      OpenOptions o = searcher_options.open;
      json body{{"status", "unavailable"}, {"error", e.what()}};
      try {
        body["shards"] = shards_json(open_shards(opt.db, o).shards);
      } catch (const std::exception&) {
      }
      drop_searcher();
      send_json(res, 503, body);
      return;
    } catch (const EnvironmentError& e) {
      unavailable(res, e.what());
    } catch (const Xapian::Error& e) {
      unavailable(res, "database error: " + e.get_description());
    }
    if (res.status == 503) {
      json body{{"status", "unavailable"}, {"error", "the search index is unavailable"}};
      // A database of another schema version is worth naming: it needs
      // re-indexing, not waiting (and the message names no path).
      try {
        Xapian::Database db(opt.db);
        const std::string version = db.get_metadata(std::string(kMetaSchemaVersion));
        try {
          check_schema_version(db);
        } catch (const EnvironmentError& e) {
          body["error"] = e.what();
          body["schema_version"] = version;
        }
      } catch (const Xapian::Error&) {
      }
      res.set_content(dump(body), kJsonType);
    }
  }

  // After the searcher changed its shards itself, the worker's record of it follows.
  void note_shard_change() {
    Worker* w = current_worker();
    if (!w || !w->searcher) return;
    w->shard_generation = w->searcher->shard_generation();
    w->uuid = w->searcher->database().get_uuid();
    w->identity = database_identity(w->searcher->database());
  }

  void configure() {
    http.new_task_queue = [this] {
      Front* f = new Front(opt, http, [this](Worker& w) {
        // Open the reader before the first request; a failure is reported
        // when a request needs it.
        try {
          open_searcher(w);
        } catch (...) {
        }
      });
      front = f;
      return f;
    };
    http.on_accept = [this](int sock) { front.load()->gate().admit(sock); };
    http.set_read_timeout(opt.read_timeout, 0);
    http.set_write_timeout(opt.write_timeout, 0);
    http.set_keep_alive_timeout(opt.keep_alive_timeout);
    http.set_keep_alive_max_count(opt.keep_alive_requests);
    http.set_payload_max_length(opt.max_body_bytes);
    http.set_tcp_nodelay(true);
    http.set_default_headers(security_headers());

    http.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return screen_request(opt, req, res); });
    http.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) { search(req, res); });
    http.Get("/api/suggest", [this](const httplib::Request& req, httplib::Response& res) { suggest(req, res); });
    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) { health(res); });
    http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      send_static_file(static_root, "index.html", res);
    });
    http.Get(R"(/static/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
      send_static_file(static_root, req.matches[1].str(), res);
    });

    // Statuses set without a body (no route, or cpp-httplib's own 400, 413,
    // 414): give them a short body of the right kind.
    http.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
          using R = httplib::Server::HandlerResponse;
          if (!res.body.empty() || res.content_provider_) return R::Unhandled;
          std::string reason = status_reason(res.status);
          if (is_api_path(req.path) || req.path.empty()) {
            res.set_content(dump(json{{"error", reason}, {"status", res.status}}), kJsonType);
          } else {
            res.set_content(reason + "\n", "text/plain; charset=utf-8");
          }
          return R::Handled;
        }));
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        server_log(std::string("request failed: ") + e.what());
      } catch (...) {
        server_log("request failed");
      }
      res.headers.erase("Content-Type");
      send_error(res, 500, "internal error");
    });
    if (opt.access_log) {
      http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        server_log(req.remote_addr + " " + req.method + " " + req.path + " " + std::to_string(res.status) + " " +
                   std::to_string(res.body.size()));
      });
    }
  }
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

const ServerOptions& HttpServer::options() const { return impl_->opt; }

int HttpServer::bind() {
  // A client that goes away must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  const ServerOptions& o = impl_->opt;
  int port = o.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(o.host);
    if (port <= 0) throw EnvironmentError("cannot listen on " + o.host + ": no free port");
  } else if (!impl_->http.bind_to_port(o.host, port)) {
    throw EnvironmentError("cannot listen on " + o.host + ":" + std::to_string(port) +
                           " (address in use or not available)");
  }
  impl_->bound = true;
  return port;
}

void HttpServer::run() {
  if (!impl_->bound) throw std::logic_error("HttpServer::run() before bind()");
  {
    std::lock_guard<std::mutex> lock(impl_->run_mutex);
    if (impl_->stop_requested) return;
    impl_->in_run = true;
  }
  impl_->http.listen_after_bind();
  impl_->in_run = false;
}

void HttpServer::stop() {
  if (!impl_) return;
  {
    std::lock_guard<std::mutex> lock(impl_->run_mutex);
    impl_->stop_requested = true;
    if (!impl_->in_run) return;
  }
  // run() has begun: cpp-httplib ignores stop() until its loop is running.
  while (impl_->in_run && !impl_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->http.stop();
}

int serve(const ServerOptions& o) {
  std::error_code ec;
  if (o.static_dir.empty())
    server_log("warning: the search page's folder was not found; use --static DIR");
  else if (!fs::is_regular_file(fs::path(o.static_dir) / "index.html", ec))
    server_log("warning: no index.html in " + o.static_dir);
  try {
    SearcherOptions probe_options;
    probe_options.open.remote_timeout = o.remote_timeout;
    probe_options.open.allow_partial = true;
    Searcher probe(o.db, probe_options);
    server_log("database " + o.db + ": " + std::to_string(probe.database().get_doccount()) + " documents");
    for (const ShardStatus& st : probe.shards())
      if (!st.ok) server_log("warning: shard " + st.name + ": " + st.error);
  } catch (const std::exception& e) {
    server_log(std::string("warning: ") + e.what() + "; answering 503 until it can be opened");
  }

  // SIGINT and SIGTERM stop the server cleanly; they are waited for by one
  // thread, so they are blocked in every other one (set before any starts).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  HttpServer server(o);
  int port = server.bind();
  std::string shown = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::printf("xinwen-search: listening on http://%s:%d/\n", shown.c_str(), port);
  std::fflush(stdout);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  server.run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if run() ended by itself
  waiter.join();
  server_log("stopped");
  return kExitOk;
}

}  // namespace xinwen
