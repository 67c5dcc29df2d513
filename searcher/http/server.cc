// xinwen-search serve: the JSON API and the search page over HTTP, on
// cpp-httplib. See server.h for the design and searcher/API.md for the API.
#include <xinwen/http/server.h>

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include <xinwen/errors.h>
#include <xinwen/schema.h>
#include <xinwen/search.h>

namespace xinwen {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Logging: one line at a time on stderr, for the operator (never the client).

std::mutex g_log_mutex;

void log_line(const std::string& message) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard<std::mutex> lock(g_log_mutex);
  std::fprintf(stderr, "%s xinwen-search: %s\n", stamp, message.c_str());
  std::fflush(stderr);
}

// ---------------------------------------------------------------------------
// The worker pool. cpp-httplib hands every accepted connection to a TaskQueue;
// this one runs them on a fixed set of threads, each of which owns a Searcher
// (one Xapian reader per thread). When every worker is busy and `queue`
// connections already wait, a new connection is answered 503 by a separate
// thread instead of joining the wait.

struct Worker {
  std::unique_ptr<Searcher> searcher;
  Clock::time_point checked{};  // when the reader last looked for a new commit
  std::string identity;         // what the reader sees (see database_identity)
};

// Names the state of a database: its revision, size and last commit time.
// Answers are cached under it, so a commit (or a database swapped for
// another) changes it. Empty, and nothing cached, when it cannot be told.
std::string database_identity(const Xapian::Database& db) {
  try {
    return std::to_string(db.get_revision()) + "/" + std::to_string(db.get_doccount()) + "/" +
           db.get_metadata(std::string(kMetaLastUpdate));
  } catch (const Xapian::Error&) {
    return {};  // e.g. several shards: they have no single revision
  }
}

// Serialized answers by key, least recently used dropped first, bounded in
// entries and bytes. Shared by the workers.
class ResponseCache {
 public:
  ResponseCache(std::size_t max_entries, std::size_t max_bytes) : max_entries_(max_entries), max_bytes_(max_bytes) {}

  bool enabled() const { return max_entries_ > 0; }

  std::shared_ptr<const std::string> get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void put(const std::string& key, std::shared_ptr<const std::string> value) {
    const std::size_t size = key.size() + value->size();
    if (!enabled() || size > max_bytes_ / 4) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      bytes_ -= it->first.size() + it->second->second->size();
      order_.erase(it->second);
      index_.erase(it);
    }
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
    bytes_ += size;
    while (!order_.empty() && (index_.size() > max_entries_ || bytes_ > max_bytes_)) {
      auto& last = order_.back();
      bytes_ -= last.first.size() + last.second->size();
      index_.erase(last.first);
      order_.pop_back();
    }
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;
  std::size_t max_entries_, max_bytes_;
  std::mutex mutex_;
  std::list<Entry> order_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
};

thread_local Worker* tl_worker = nullptr;  // the worker running this thread
thread_local bool tl_rejecting = false;    // this connection is to be refused

class WorkerPool final : public httplib::TaskQueue {
 public:
  // Connections refused while another refusal is running wait here; past
  // this, the accepting thread refuses them itself.
  static constexpr std::size_t kRejectBacklog = 256;

  WorkerPool(std::size_t threads, std::size_t queue, std::function<void(Worker&)> warm_up)
      : queue_max_(queue), warm_up_(std::move(warm_up)) {
    for (std::size_t i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
    for (auto& w : workers_) threads_.emplace_back([this, p = w.get()] { work(*p); });
    reject_thread_ = std::thread([this] { reject_loop(); });
  }

  ~WorkerPool() override {
    if (!stopped_) shutdown();
  }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (jobs_.size() < idle_ + queue_max_) {
      jobs_.push_back(std::move(fn));
      lock.unlock();
      jobs_cv_.notify_one();
      return;
    }
    if (rejects_.size() < kRejectBacklog) {
      rejects_.push_back(std::move(fn));
      lock.unlock();
      rejects_cv_.notify_one();
      return;
    }
    lock.unlock();
    run_refusing(fn);
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) return;
      stopping_ = true;
    }
    jobs_cv_.notify_all();
    rejects_cv_.notify_all();
    for (std::thread& t : threads_) t.join();
    reject_thread_.join();
    stopped_ = true;
  }

 private:
  static void run_guarded(std::function<void()>& fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      log_line(std::string("connection failed: ") + e.what());
    } catch (...) {
      log_line("connection failed");
    }
  }

  static void run_refusing(std::function<void()>& fn) {
    tl_rejecting = true;
    run_guarded(fn);
    tl_rejecting = false;
  }

  void work(Worker& w) {
    tl_worker = &w;
    if (warm_up_) warm_up_(w);
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++idle_;
        jobs_cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) break;  // stopping, and nothing left to finish
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      run_guarded(fn);
    }
    w.searcher.reset();
    tl_worker = nullptr;
  }

  void reject_loop() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        rejects_cv_.wait(lock, [this] { return stopping_ || !rejects_.empty(); });
        if (rejects_.empty()) break;
        fn = std::move(rejects_.front());
        rejects_.pop_front();
      }
      run_refusing(fn);
    }
  }

  std::size_t queue_max_;
  std::function<void(Worker&)> warm_up_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::thread reject_thread_;
  std::mutex mutex_;
  std::condition_variable jobs_cv_, rejects_cv_;
  std::deque<std::function<void()>> jobs_, rejects_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  bool stopped_ = false;
};

// ---------------------------------------------------------------------------
// Small helpers.

constexpr const char* kJsonType = "application/json; charset=utf-8";

// The page loads its script and style from this server only; nothing inline.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

bool is_api_path(const std::string& path) { return path.rfind("/api/", 0) == 0 || path == "/healthz"; }

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(dump(body), kJsonType);
}

void send_body(httplib::Response& res, const std::string& body, bool from_cache) {
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Xinwen-Cache", from_cache ? "hit" : "miss");
  res.set_content(body, kJsonType);
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, json{{"error", message}, {"status", status}});
}

// Sends a response and then ends the connection: the body comes from a
// provider that reports failure once it has written everything, which is how
// cpp-httplib 0.11 can be told not to wait for another request (a
// "Connection: close" header set by a handler is not enough).
void send_and_close(httplib::Response& res, int status, const json& body) {
  auto text = std::make_shared<std::string>(dump(body));
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Connection", "close");
  res.set_content_provider(text->size(), kJsonType,
                           [text](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             sink.write(text->data() + offset, length);
                             return false;
                           });
}

void error_and_close(httplib::Response& res, int status, const std::string& message) {
  send_and_close(res, status, json{{"error", message}, {"status", status}});
}

// A non-negative integer parameter; throws UsageError if it is not one.
std::size_t int_param(const httplib::Request& req, const char* name, std::size_t fallback) {
  if (!req.has_param(name)) return fallback;
  std::string v = req.get_param_value(name);
  if (v.empty()) return fallback;
  if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(std::string(name) + " must be a whole number");
  return static_cast<std::size_t>(std::stoul(v));
}

std::vector<std::string> list_param(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  std::size_t n = req.get_param_value_count(name);
  for (std::size_t i = 0; i < n; ++i) {
    std::string v = req.get_param_value(name, i);
    if (!v.empty()) out.push_back(std::move(v));
  }
  return out;
}

// A relative path inside the static folder that can name nothing else: plain
// names made of letters, digits, '.', '_' and '-', no empty, hidden, "." or
// ".." segment. Symbolic links are checked separately.
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

std::string status_reason(int status) {
  switch (status) {
    case 400: return "bad request";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 413: return "request body too large";
    case 414: return "request line too long";
    case 416: return "range not satisfiable";
    case 431: return "request headers too large";
    case 500: return "internal error";
    case 503: return "service unavailable";
    default: return status < 500 ? "request refused" : "server error";
  }
}

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

// ---------------------------------------------------------------------------
// The server.

struct HttpServer::Impl {
  ServerOptions opt;
  SearcherOptions searcher_options;
  httplib::Server http;
  fs::path static_root;  // canonical; empty when there is no page
  bool bound = false;
  std::mutex run_mutex;  // guards the two flags below
  bool stop_requested = false;
  std::atomic<bool> in_run{false};
  std::atomic<long long> last_unavailable_log{0};
  ResponseCache cache;

  explicit Impl(ServerOptions o) : opt(std::move(o)), cache(opt.cache_entries, opt.cache_bytes) {
    searcher_options.limits.max_bytes = opt.max_query_bytes;
    searcher_options.limits.max_wildcard = opt.max_wildcard;
    searcher_options.max_limit = opt.max_page_size;
    searcher_options.facet_sample = opt.facet_sample;
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
    Worker* w = tl_worker;
    if (!w) throw std::logic_error("a request ran outside the worker pool");
    Clock::time_point now = Clock::now();
    if (!w->searcher) {
      open_searcher(*w);
    } else if (force_reopen || now - w->checked >= std::chrono::duration<double>(opt.reopen_interval)) {
      w->checked = now;
      w->searcher->reopen();
      w->identity = database_identity(w->searcher->database());
    }
    return *w->searcher;
  }

  void open_searcher(Worker& w) {
    w.searcher = std::make_unique<Searcher>(opt.db, searcher_options);
    w.checked = Clock::now();
    w.identity = database_identity(w.searcher->database());
  }

  // The cache key of a request to the current worker's database; empty when
  // the answer is not to be cached.
  std::string cache_key(const std::string& request) const {
    if (!cache.enabled() || !tl_worker || tl_worker->identity.empty()) return {};
    return tl_worker->identity + "\n" + request;
  }

  // Answers from the cache, or computes, sends and keeps the answer.
  template <typename F>
  void cached(httplib::Response& res, const std::string& request, F&& compute) {
    searcher();  // opens, or looks for a new commit, before the key is made
    std::string key = cache_key(request);
    if (!key.empty()) {
      if (std::shared_ptr<const std::string> hit = cache.get(key)) return send_body(res, *hit, true);
    }
    auto body = std::make_shared<const std::string>(dump(compute()));
    if (!key.empty()) cache.put(key, body);
    send_body(res, *body, false);
  }

  void drop_searcher() {
    if (!tl_worker) return;
    tl_worker->searcher.reset();
    tl_worker->identity.clear();
  }

  // Database trouble is logged (at most every 10 s: it tends to repeat) and
  // never shown to the client, whose message names no path.
  void unavailable(httplib::Response& res, const std::string& detail) {
    drop_searcher();
    long long now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
    long long last = last_unavailable_log.load();
    if (now - last >= 10 && last_unavailable_log.compare_exchange_strong(last, now)) log_line(detail);
    send_error(res, 503, "the search index is unavailable; try again later");
  }

  // Runs an API handler, turning errors into JSON statuses.
  template <typename F>
  void guarded(httplib::Response& res, F&& body) {
    try {
      body();
    } catch (const UsageError& e) {
      send_error(res, 400, e.what());
    } catch (const EnvironmentError& e) {
      unavailable(res, e.what());
    } catch (const Xapian::DatabaseError& e) {
      unavailable(res, "database error: " + e.get_description());
    } catch (const Xapian::Error& e) {
      log_line("search failed: " + e.get_description());
      send_error(res, 500, "internal error");
    } catch (const std::exception& e) {
      log_line(std::string("search failed: ") + e.what());
      send_error(res, 500, "internal error");
    }
  }

  std::string query_param(const httplib::Request& req) {
    std::string q = req.get_param_value("q");
    if (q.size() > opt.max_query_bytes)
      throw UsageError("q is too long: the limit is " + std::to_string(opt.max_query_bytes) + " bytes");
    return q;
  }

  void search(const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      SearchRequest sr;
      sr.query = query_param(req);
      std::size_t size = int_param(req, "size", std::min(opt.default_page_size, opt.max_page_size));
      if (size < 1 || size > opt.max_page_size)
        throw UsageError("size must be from 1 to " + std::to_string(opt.max_page_size));
      std::size_t page = int_param(req, "page", 1);
      if (page < 1 || page > opt.max_page)
        throw UsageError("page must be from 1 to " + std::to_string(opt.max_page));
      sr.limit = size;
      sr.offset = (page - 1) * size;
      std::string sort = req.get_param_value("sort");
      if (sort.empty() || sort == "relevance")
        sr.sort = SortOrder::kRelevance;
      else if (sort == "date")
        sr.sort = SortOrder::kDate;
      else
        throw UsageError("sort must be relevance or date");
      sr.sources = list_param(req, "source");
      sr.langs = list_param(req, "lang");
      if (sr.sources.size() > 20 || sr.langs.size() > 20) throw UsageError("too many source or lang filters");
      for (const auto& v : {std::ref(sr.sources), std::ref(sr.langs)})
        for (const std::string& s : v.get())
          if (s.size() > 200) throw UsageError("a source or lang filter is too long");
      sr.from = req.get_param_value("from");
      sr.to = req.get_param_value("to");
      if (sr.from.size() > 10 || sr.to.size() > 10) throw UsageError("from and to are dates: YYYY-MM-DD");
      std::string facets = req.get_param_value("facets");
      sr.facets = !(facets == "0" || facets == "false");
      json request = {"search", sr.query,   sr.offset, sr.limit, sr.sort == SortOrder::kDate,
                      sr.sources, sr.langs, sr.from,   sr.to,    sr.facets};
      cached(res, dump(request), [&] {
        return to_json(searcher().search(sr));
      });
    });
  }

  void suggest(const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      std::string q = query_param(req);
      std::size_t n = int_param(req, "n", 8);
      if (n < 1 || n > opt.max_suggestions)
        throw UsageError("n must be from 1 to " + std::to_string(opt.max_suggestions));
      cached(res, dump(json{"suggest", q, n}), [&] {
        json list = json::array();
        for (std::string& s : searcher().suggest(q, n)) list.push_back(std::move(s));
        return json{{"query", q}, {"suggestions", list}};
      });
    });
  }

  void health(httplib::Response& res) {
    try {
      Xapian::Database& db = searcher(true).database();
      send_json(res, 200,
                json{{"status", "ok"},
                     {"documents", db.get_doccount()},
                     {"last_update", db.get_metadata(std::string(kMetaLastUpdate))},
                     {"schema_version", db.get_metadata(std::string(kMetaSchemaVersion))}});
    } catch (const EnvironmentError& e) {
      unavailable(res, e.what());
    } catch (const Xapian::Error& e) {
      unavailable(res, "database error: " + e.get_description());
    }
    if (res.status == 503) res.set_content(dump(json{{"status", "unavailable"}, {"error", "the search index is unavailable"}}), kJsonType);
  }

  void static_file(const std::string& rel, httplib::Response& res) {
    auto not_found = [&] {
      res.status = 404;
      res.set_content("Not found\n", "text/plain; charset=utf-8");
    };
    if (static_root.empty()) {
      res.status = 404;
      res.set_content("The search page is not installed on this server.\n", "text/plain; charset=utf-8");
      return;
    }
    if (!plain_relative_path(rel)) return not_found();
    const char* type = mime_type(rel);
    if (!type) return not_found();
    std::error_code ec;
    fs::path path = fs::canonical(static_root / rel, ec);
    if (ec) return not_found();
    // Still inside the folder once symbolic links are resolved?
    auto root_end = std::mismatch(static_root.begin(), static_root.end(), path.begin(), path.end()).first;
    if (root_end != static_root.end() || !fs::is_regular_file(path, ec)) return not_found();
    std::uintmax_t size = fs::file_size(path, ec);
    if (ec || size > (8u << 20)) return not_found();
    std::ifstream in(path, std::ios::binary);
    std::string data(static_cast<std::size_t>(size), '\0');
    if (!in.read(data.data(), static_cast<std::streamsize>(size))) return not_found();
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::move(data), type);
  }

  bool origin_allowed(const std::string& origin) const {
    for (const std::string& o : opt.cors_origins)
      if (o == "*" || o == origin) return true;
    return false;
  }

  httplib::Server::HandlerResponse pre_route(const httplib::Request& req, httplib::Response& res) {
    using R = httplib::Server::HandlerResponse;
    if (tl_rejecting) {
      res.set_header("Retry-After", "1");
      error_and_close(res, 503, "the server is busy; try again shortly");
      return R::Handled;
    }
    std::size_t header_bytes = 0;
    for (const auto& [k, v] : req.headers) header_bytes += k.size() + v.size() + 4;
    if (req.headers.size() > opt.max_headers || header_bytes > opt.max_header_bytes) {
      error_and_close(res, 431, "request headers are too large");
      return R::Handled;
    }
    // The API takes no request body. cpp-httplib leaves a GET's body unread,
    // where it would be taken for the next request: refuse, then close.
    if (req.has_header("Transfer-Encoding")) {
      error_and_close(res, 400, "requests take no body");
      return R::Handled;
    }
    if (req.has_header("Content-Length")) {
      std::string length = req.get_header_value("Content-Length");
      bool digits = !length.empty() && length.size() <= 18 && length.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || std::stoull(length) > opt.max_body_bytes) {
        error_and_close(res, 413, "the request body is too large");
        return R::Handled;
      }
      if (std::stoull(length) > 0 && (req.method == "GET" || req.method == "HEAD")) {
        error_and_close(res, 400, "requests take no body");
        return R::Handled;
      }
    }
    const bool api = is_api_path(req.path);
    if (api && !opt.cors_origins.empty()) {
      res.set_header("Vary", "Origin");
      std::string origin = req.get_header_value("Origin");
      if (!origin.empty() && origin_allowed(origin)) {
        bool any = std::find(opt.cors_origins.begin(), opt.cors_origins.end(), "*") != opt.cors_origins.end();
        res.set_header("Access-Control-Allow-Origin", any ? "*" : origin);
        if (req.method == "OPTIONS") {
          res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
          res.set_header("Access-Control-Max-Age", "600");
        }
      }
    }
    if (req.method == "OPTIONS") {
      res.status = 204;
      res.set_header("Allow", "GET, HEAD, OPTIONS");
      return R::Handled;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      // The body, if any, is left unread: end the connection after answering.
      res.set_header("Allow", "GET, HEAD, OPTIONS");
      error_and_close(res, 405, "only GET, HEAD and OPTIONS are supported");
      return R::Handled;
    }
    return R::Unhandled;
  }

  void configure() {
    http.new_task_queue = [this] {
      return new WorkerPool(opt.threads, opt.queue, [this](Worker& w) {
        // Open the reader before the first request; a failure is reported
        // when a request needs it.
        try {
          open_searcher(w);
        } catch (...) {
        }
      });
    };
    http.set_read_timeout(opt.read_timeout, 0);
    http.set_write_timeout(opt.write_timeout, 0);
    http.set_keep_alive_timeout(opt.keep_alive_timeout);
    http.set_keep_alive_max_count(opt.keep_alive_requests);
    http.set_payload_max_length(opt.max_body_bytes);
    http.set_tcp_nodelay(true);
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"Content-Security-Policy", kContentSecurityPolicy},
                              {"Referrer-Policy", "no-referrer"},
                              {"X-Frame-Options", "DENY"}});

    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return pre_route(req, res);
    });
    http.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) { search(req, res); });
    http.Get("/api/suggest", [this](const httplib::Request& req, httplib::Response& res) { suggest(req, res); });
    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) { health(res); });
    http.Get("/", [this](const httplib::Request&, httplib::Response& res) { static_file("index.html", res); });
    http.Get(R"(/static/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
      static_file(req.matches[1].str(), res);
    });

    // Statuses set without a body (no route, or cpp-httplib's own 400, 413,
    // 414): give them a short body of the right kind.
    http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                   httplib::Response& res) {
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
        log_line(std::string("request failed: ") + e.what());
      } catch (...) {
        log_line("request failed");
      }
      res.headers.erase("Content-Type");
      send_error(res, 500, "internal error");
    });
    if (opt.access_log) {
      http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        log_line(req.remote_addr + " " + req.method + " " + req.path + " " + std::to_string(res.status) + " " +
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

int run_server_command(int argc, char** argv) {
  CLI::App app{"xinwen-search serve: the search API and search page over HTTP (see searcher/API.md)"};
  ServerOptions o;
  std::string listen = "127.0.0.1:8080";
  app.add_option("--db", o.db, "Database directory or stub file (opened read-only)")->required();
  app.add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free port)");
  app.add_option("--static", o.static_dir, "Folder of the search page (default: searcher/static of the sources)");
  app.add_option("--threads", o.threads, "Worker threads, each with its own reader (default 32)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--queue", o.queue, "Connections that may wait for a worker; more get 503 (default 64)")
      ->check(CLI::Range(0, 100000));
  app.add_option("--cache-entries", o.cache_entries, "Answers kept for repeated requests (default 2000; 0: none)")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--cors-origin", o.cors_origins, "An origin allowed to call the API, e.g. https://example.org; "
                                                 "repeatable; * allows any (default: none)");
  app.add_option("--max-query-bytes", o.max_query_bytes, "Longest q accepted (default 512)")
      ->check(CLI::Range(1, 65536));
  app.add_option("--max-page-size", o.max_page_size, "Largest size per page (default 50)")->check(CLI::Range(1, 1000));
  app.add_option("--max-page", o.max_page, "Last page that may be asked for (default 100)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-wildcard", o.max_wildcard, "Terms one word* may expand to (default 100)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--facet-sample", o.facet_sample, "Matches the facet counts look at (default 20000)")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--max-body-bytes", o.max_body_bytes, "Largest request body (default 1024)")
      ->check(CLI::Range(0, 1 << 20));
  app.add_option("--reopen-interval", o.reopen_interval,
                 "Seconds between checks for a new commit (default 1; 0: before every request)")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--read-timeout", o.read_timeout, "Seconds to receive a request (default 5)")->check(CLI::Range(1, 300));
  app.add_option("--keep-alive-timeout", o.keep_alive_timeout, "Seconds an idle connection is kept (default 2)")
      ->check(CLI::Range(0, 300));
  app.add_flag("--access-log", o.access_log, "Log each request (address, method, path, status) to stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (!parse_listen(listen, o.host, o.port))
    throw UsageError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080, not \"" + listen + "\"");
  std::error_code ec;
  if (!o.static_dir.empty()) {
    if (!fs::is_directory(o.static_dir, ec)) throw UsageError("--static: no folder " + o.static_dir);
  } else {
    o.static_dir = default_static_dir();
    if (o.static_dir.empty()) log_line("warning: the search page's folder was not found; use --static DIR");
  }
  if (!o.static_dir.empty() && !fs::is_regular_file(fs::path(o.static_dir) / "index.html", ec))
    log_line("warning: no index.html in " + o.static_dir);
  try {
    Searcher probe(o.db);
    log_line("database " + o.db + ": " + std::to_string(probe.database().get_doccount()) + " documents");
  } catch (const std::exception& e) {
    log_line(std::string("warning: ") + e.what() + "; answering 503 until it can be opened");
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
  log_line("stopped");
  return kExitOk;
}

}  // namespace xinwen
