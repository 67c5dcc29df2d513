#include <xinwen/fetch/http_client.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <xinwen/ascii.h>
#include <xinwen/c_handle.h>
#include <xinwen/fetch/url.h>

namespace xinwen {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

using EasyHandle = CHandle<CURL, curl_easy_cleanup>;

using HeaderList = CHandle<curl_slist, curl_slist_free_all>;

using MultiHandle = CHandle<CURLM, curl_multi_cleanup>;

// The longest the loop sleeps without looking at its queue again.
constexpr milliseconds kMaxWait{100};

void init_curl() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) throw std::runtime_error("libcurl could not be initialized");
}

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

struct Job {
  HttpRequest request;
  HttpClient::Callback done;
  std::string host;
  int attempt = 0;  // retries so far
  Clock::time_point first_start{};
  Clock::time_point not_before{};
};

// One attempt in flight. Owned by the client while curl works on it.
struct Transfer {
  Job job;
  EasyHandle easy;
  HeaderList headers;
  std::string body;
  std::size_t bytes = 0;
  std::size_t max_bytes = 0;
  bool too_large = false;
  std::size_t header_bytes = 0;
  bool headers_too_large = false;
  bool refused_address = false;  // public_only, and the address was not public
  // Headers of the latest response of the redirect chain.
  std::string etag, last_modified, retry_after, content_location;
  char error[CURL_ERROR_SIZE] = {};
};

extern "C" size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  t->bytes += n;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // curl aborts the transfer: nothing more is read or kept
  }
  t->body.append(data, n);
  return n;
}

// Headers of all the responses of one transfer (redirects included) may
// take this much; more aborts it. curl itself refuses one header line over
// 100 KB, which it reports as running out of memory.
constexpr std::size_t kMaxHeaderBytes = 256 * 1024;

extern "C" size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  t->header_bytes += n;
  if (t->header_bytes > kMaxHeaderBytes) {
    t->headers_too_large = true;
    return 0;  // curl aborts the transfer
  }
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or a 100 Continue): forget the last one's.
    t->etag.clear();
    t->last_modified.clear();
    t->retry_after.clear();
    t->content_location.clear();
    return n;
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name = lower_ascii(trim_ascii(line.substr(0, colon)));
  std::string_view value = trim_ascii(line.substr(colon + 1));
  if (name == "etag")
    t->etag = value;
  else if (name == "last-modified")
    t->last_modified = value;
  else if (name == "retry-after")
    t->retry_after = value;
  else if (name == "content-location")
    t->content_location = value;
  return n;
}

bool is_public_ipv4(uint32_t a) {  // host byte order
  const auto in = [a](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  return !(in(0x00000000, 8) ||   // "this" network
           in(0x0A000000, 8) ||   // private
           in(0x64400000, 10) ||  // carrier-grade NAT
           in(0x7F000000, 8) ||   // loopback
           in(0xA9FE0000, 16) ||  // link-local (cloud metadata services live here)
           in(0xAC100000, 12) ||  // private
           in(0xC0000000, 24) ||  // IETF protocol assignments
           in(0xC0A80000, 16) ||  // private
           in(0xC6120000, 15) ||  // benchmarking
           in(0xE0000000, 4) ||   // multicast
           in(0xF0000000, 4));    // reserved, broadcast
}

bool is_public_address(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    return is_public_ipv4(ntohl(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* b = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr.s6_addr;
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::equal(kMapped, kMapped + 12, b))
      return is_public_ipv4(static_cast<uint32_t>(b[12]) << 24 | static_cast<uint32_t>(b[13]) << 16 |
                            static_cast<uint32_t>(b[14]) << 8 | b[15]);
    if (std::all_of(b, b + 15, [](uint8_t x) { return x == 0; })) return false;  // :: and ::1
    if ((b[0] & 0xFE) == 0xFC) return false;                                     // unique local
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return false;                     // link-local
    if (b[0] == 0xFF) return false;                                              // multicast
    return true;
  }
  return false;
}

extern "C" curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN && !is_public_address(&address->addr)) {
    t->refused_address = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

// Also called for a connection that is reused (the check above only sees new
// ones), and again for each redirect.
extern "C" int on_request_ready(void* user, char* remote_ip, char*, int, int) {
  auto* t = static_cast<Transfer*>(user);
  sockaddr_storage ss{};
  auto* sa = reinterpret_cast<sockaddr*>(&ss);
  if (inet_pton(AF_INET, remote_ip, &reinterpret_cast<sockaddr_in*>(sa)->sin_addr) == 1) {
    sa->sa_family = AF_INET;
  } else if (inet_pton(AF_INET6, remote_ip, &reinterpret_cast<sockaddr_in6*>(sa)->sin6_addr) == 1) {
    sa->sa_family = AF_INET6;
  }
  if (is_public_address(sa)) return CURL_PREREQFUNC_OK;
  t->refused_address = true;
  return CURL_PREREQFUNC_ABORT;
}

struct HostState {
  std::deque<Job> queue;
  std::size_t active = 0;
  Clock::time_point next_start{};
};

}  // namespace

const char* http_error_name(HttpError e) {
  switch (e) {
    case HttpError::kNone: return "ok";
    case HttpError::kStatus: return "http-error";
    case HttpError::kTimeout: return "timeout";
    case HttpError::kTooLarge: return "too-large";
    case HttpError::kRedirects: return "redirects";
    case HttpError::kScheme: return "bad-scheme";
    case HttpError::kConnect: return "connect";
    case HttpError::kPrivate: return "private-address";
    case HttpError::kNetwork: return "network";
    case HttpError::kBadUrl: return "bad-url";
  }
  return "error";
}

struct HttpClient::Impl {
  HttpOptions options;
  MultiHandle multi;
  std::unordered_map<std::string, HostState> hosts;
  std::vector<std::string> host_order;  // round robin over hosts with work
  std::size_t next_host = 0;
  std::vector<Job> delayed;  // retries waiting for their backoff
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active;
  std::size_t queued = 0;  // jobs in host queues

  HostState& host(const std::string& name) {
    auto [it, fresh] = hosts.try_emplace(name);
    if (fresh) host_order.push_back(name);
    return it->second;
  }

  void enqueue(Job job, bool front) {
    HostState& h = host(job.host);
    if (front)
      h.queue.push_front(std::move(job));
    else
      h.queue.push_back(std::move(job));
    ++queued;
  }

  // Starts what the limits allow; returns when the next waiting job may start.
  Clock::time_point start_ready(Clock::time_point now) {
    Clock::time_point wake = now + kMaxWait;
    for (auto it = delayed.begin(); it != delayed.end();) {
      if (it->not_before <= now) {
        Job job = std::move(*it);
        it = delayed.erase(it);
        enqueue(std::move(job), true);
      } else {
        wake = std::min(wake, it->not_before);
        ++it;
      }
    }
    const std::size_t n = host_order.size();
    for (std::size_t k = 0; k < n && active.size() < options.max_parallel && queued > 0; ++k) {
      const std::string& name = host_order[(next_host + k) % n];
      HostState& h = hosts[name];
      while (!h.queue.empty() && h.active < options.max_per_host && active.size() < options.max_parallel) {
        if (now < h.next_start) {
          wake = std::min(wake, h.next_start);
          break;
        }
        Job job = std::move(h.queue.front());
        h.queue.pop_front();
        --queued;
        start(std::move(job), h, now);
      }
    }
    if (n) next_host = (next_host + 1) % n;
    return wake;
  }

  void start(Job job, HostState& h, Clock::time_point now) {
    if (job.attempt == 0) job.first_start = now;
    auto t = std::make_unique<Transfer>();
    t->job = std::move(job);
    t->max_bytes = options.max_bytes;
    t->easy.reset(curl_easy_init());
    if (!t->easy) throw std::runtime_error("curl_easy_init failed");
    CURL* e = t->easy.get();
    const HttpRequest& req = t->job.request;
    curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
    // Only the web: a feed must not make us read file:// or talk to other
    // services, neither directly nor through a redirect.
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, options.max_redirects);
    curl_easy_setopt(e, CURLOPT_AUTOREFERER, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes (gzip, deflate, ...)
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    if (req.public_only) {
      curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
      curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
      curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_request_ready);
      curl_easy_setopt(e, CURLOPT_PREREQDATA, t.get());
    }
    auto add_header = [&](const std::string& name, const std::string& value) {
      if (value.empty() || has_control_chars(value)) return;  // a stored validator must not inject headers
      curl_slist* head = curl_slist_append(t->headers.get(), (name + ": " + value).c_str());
      if (!head) throw std::runtime_error("out of memory");
      if (!t->headers) t->headers.reset(head);  // later appends keep the same head
    };
    add_header("Accept", req.accept);
    add_header("If-None-Match", req.etag);
    add_header("If-Modified-Since", req.last_modified);
    if (t->headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers.get());
    if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) throw std::runtime_error("curl_multi_add_handle failed");
    ++h.active;
    h.next_start = now + options.host_delay;
    active.emplace(e, std::move(t));
  }

  // A Retry-After value: seconds, or an HTTP date (curl_getdate reads the
  // three forms RFC 9110 allows). A date in the past means now.
  static std::optional<milliseconds> retry_after(const std::string& value) {
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return milliseconds{std::stoll(value.substr(0, 9)) * 1000};
    const time_t when = curl_getdate(value.c_str(), nullptr);
    if (when < 0) return std::nullopt;
    const auto delta = std::chrono::system_clock::from_time_t(when) - std::chrono::system_clock::now();
    return std::max(milliseconds{0}, std::chrono::duration_cast<milliseconds>(delta));
  }

  static bool retryable(const HttpResponse& r, CURLcode code) {
    switch (r.error) {
      case HttpError::kStatus: return r.status >= 500 || r.status == 429;  // 429: Too Many Requests
      case HttpError::kTimeout: return true;
      case HttpError::kConnect: return code == CURLE_COULDNT_CONNECT;
      case HttpError::kNetwork:
        return code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING ||
               code == CURLE_PARTIAL_FILE;
      default: return false;
    }
  }

  void finish(CURL* e, CURLcode code) {
    auto it = active.find(e);
    if (it == active.end()) return;
    std::unique_ptr<Transfer> t = std::move(it->second);
    active.erase(it);
    curl_multi_remove_handle(multi.get(), e);
    HostState& h = hosts[t->job.host];
    if (h.active) --h.active;
    const Clock::time_point now = Clock::now();

    HttpResponse r;
    r.url = t->job.request.url;
    r.attempts = t->job.attempt + 1;
    r.bytes = t->bytes;
    r.elapsed = std::chrono::duration_cast<milliseconds>(now - t->job.first_start);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.status);
    char* s = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s) r.final_url = s;
    s = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s) r.content_type = s;
    r.etag = t->etag;
    r.last_modified = t->last_modified;
    r.content_location = t->content_location;

    const std::string detail = t->error[0] ? std::string(t->error) : std::string(curl_easy_strerror(code));
    if (code == CURLE_OK) {
      if (r.status >= 400) {
        r.error = HttpError::kStatus;
        r.message = "HTTP " + std::to_string(r.status);
      }
    } else if (t->refused_address) {
      r.error = HttpError::kPrivate;
      r.message = "not fetched: the host's address is not public";
    } else if (t->headers_too_large || code == CURLE_OUT_OF_MEMORY) {
      r.error = HttpError::kTooLarge;
      r.message = "response headers too large (over " + std::to_string(kMaxHeaderBytes / 1024) +
                  " KB, or one header line over 100 KB); transfer aborted";
    } else if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
      r.error = HttpError::kTooLarge;
      r.message = "response larger than " + std::to_string(options.max_bytes) + " bytes; transfer aborted";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      r.error = HttpError::kTimeout;
      r.message = "timed out: " + detail;
    } else if (code == CURLE_TOO_MANY_REDIRECTS) {
      r.error = HttpError::kRedirects;
      r.message = "more than " + std::to_string(options.max_redirects) + " redirects";
    } else if (code == CURLE_UNSUPPORTED_PROTOCOL) {
      r.error = HttpError::kScheme;
      r.message = "only http and https are fetched: " + detail;
    } else if (code == CURLE_URL_MALFORMAT) {
      r.error = HttpError::kBadUrl;
      r.message = detail;
    } else if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
               code == CURLE_COULDNT_RESOLVE_PROXY) {
      r.error = HttpError::kConnect;
      r.message = detail;
    } else {
      r.error = HttpError::kNetwork;
      r.message = detail;
    }

    // A 429 or 503 with Retry-After speaks for the whole host: nothing more
    // starts there until then (up to max_retry_after), this retry included.
    const std::optional<milliseconds> asked = retry_after(t->retry_after);
    if (asked && (r.status == 429 || r.status == 503))
      h.next_start = std::max(h.next_start, now + std::min(*asked, options.max_retry_after));
    if (retryable(r, code) && t->job.attempt < options.retries) {
      milliseconds wait = options.retry_delay * (1 << std::min(t->job.attempt, 16));
      if (asked && *asked <= options.max_retry_after) wait = std::max(wait, *asked);
      Job job = std::move(t->job);
      ++job.attempt;
      job.not_before = now + wait;
      delayed.push_back(std::move(job));
      return;
    }
    if (r.error == HttpError::kNone) r.body = std::move(t->body);
    HttpClient::Callback done = std::move(t->job.done);
    t.reset();  // the handle goes before the callback, which may queue more
    done(std::move(r));
  }

  void abandon() {
    for (auto& [e, t] : active) curl_multi_remove_handle(multi.get(), e);
    active.clear();
    delayed.clear();
    for (auto& [name, h] : hosts) {
      h.queue.clear();
      h.active = 0;
    }
    queued = 0;
  }

  bool idle() const { return active.empty() && delayed.empty() && queued == 0; }
};

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  init_curl();
  if (options.max_parallel == 0) options.max_parallel = 1;
  if (options.max_per_host == 0) options.max_per_host = 1;
  impl_->options = std::move(options);
  impl_->multi.reset(curl_multi_init());
  if (!impl_->multi) throw std::runtime_error("curl_multi_init failed");
}

HttpClient::~HttpClient() {
  if (impl_) impl_->abandon();
}

void HttpClient::get(HttpRequest request, Callback done) {
  Job job;
  job.host = url_host(request.url);
  job.request = std::move(request);
  job.done = std::move(done);
  impl_->enqueue(std::move(job), false);
}

void HttpClient::run(const std::function<bool()>& stop) {
  Impl& d = *impl_;
  while (!d.idle()) {
    if (stop && stop()) {
      d.abandon();
      return;
    }
    Clock::time_point now = Clock::now();
    Clock::time_point wake = d.start_ready(now);
    int running = 0;
    curl_multi_perform(d.multi.get(), &running);
    bool finished_any = false;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(d.multi.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      finished_any = true;
      d.finish(msg->easy_handle, msg->data.result);
    }
    if (finished_any) continue;  // freed slots: start more before waiting
    auto wait = std::chrono::duration_cast<milliseconds>(wake - Clock::now());
    wait = std::clamp(wait, milliseconds(0), kMaxWait);
    curl_multi_poll(d.multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
  }
}

}  // namespace xinwen
