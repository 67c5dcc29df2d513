// The fetcher's HTTP client: many GETs in parallel on libcurl's multi
// interface, with a global limit, a per-host limit and a polite delay
// between two requests to the same host; conditional GET, gzip/deflate,
// timeouts, a size limit that aborts the transfer, a redirect limit, http and
// https only (redirects included), and retries with backoff on 5xx answers
// and timeouts, never on 4xx.
//
// One thread: get() queues a request; run() performs everything queued and
// calls each request's callback on the calling thread as it completes. A
// callback may queue more requests. curl stays out of this header.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace xinwen {

struct HttpOptions {
  std::size_t max_parallel = 8;                      // transfers at once, all hosts together
  std::size_t max_per_host = 2;                      // transfers at once to one host
  std::chrono::milliseconds host_delay{500};         // between two request starts to one host
  std::chrono::milliseconds connect_timeout{10000};  // to establish a connection
  std::chrono::milliseconds timeout{60000};          // for a whole transfer, redirects included
  std::size_t max_bytes = 8 * 1024 * 1024;           // a larger (decoded) body aborts the transfer
  long max_redirects = 5;
  int retries = 2;                                   // further attempts after a 5xx or a timeout
  std::chrono::milliseconds retry_delay{2000};       // before the first retry; doubles each time
  std::chrono::milliseconds max_retry_after{60000};  // longest Retry-After honoured
  std::string user_agent = "xinwen-fetch/0.1";
};

struct HttpRequest {
  std::string url;
  std::string accept;               // Accept header, if any
  std::string etag, last_modified;  // validators from the last 200, for a conditional GET
  // Refuse to connect to loopback, private, link-local and other non-public
  // addresses (checked on the address actually connected to, redirects
  // included): for URLs that come from documents rather than from the
  // operator, so that a feed cannot point the fetcher at internal services.
  bool public_only = false;
};

enum class HttpError {
  kNone,
  kStatus,  // an HTTP error status (4xx, or 5xx after the retries)
  kTimeout,
  kTooLarge,   // the body passed max_bytes
  kRedirects,  // more than max_redirects, or a loop
  kScheme,     // not http or https (the URL or a redirect)
  kConnect,    // no connection (refused, unreachable, unknown host)
  kPrivate,    // the host is not on the public internet (public_only)
  kNetwork,    // the transfer broke (reset, bad TLS, bad encoding)
  kBadUrl,
};

const char* http_error_name(HttpError e);  // "timeout", "too-large", ...

struct HttpResponse {
  std::string url;        // as requested
  std::string final_url;  // after redirects
  long status = 0;        // the final HTTP status, 0 if none came
  HttpError error = HttpError::kNone;
  std::string message;  // what went wrong, for people
  std::string content_type, etag, last_modified;
  std::string content_location;  // the Content-Location header as sent (maybe relative), "" if none
  std::string body;              // decoded (gzip and deflate undone); empty on error
  std::size_t bytes = 0;         // body bytes received, also when aborted
  int attempts = 0;
  std::chrono::milliseconds elapsed{0};  // first start to completion, waits included

  bool ok() const { return error == HttpError::kNone && status >= 200 && status < 300; }
  bool not_modified() const { return error == HttpError::kNone && status == 304; }
};

class HttpClient {
 public:
  using Callback = std::function<void(HttpResponse&&)>;

  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Queues a GET. The callback runs inside run(), exactly once, unless run()
  // is stopped first.
  void get(HttpRequest request, Callback done);

  // Performs the queued requests (and any their callbacks queue) until none
  // is left, or until stop() returns true: then transfers in progress are
  // abandoned without calling their callbacks. Exceptions from a callback
  // propagate (the client stays usable).
  void run(const std::function<bool()>& stop = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xinwen
