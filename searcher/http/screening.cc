#include "screening.h"

#include <algorithm>
#include <string>

#include "responses.h"
#include "worker_pool.h"

namespace xinwen {
namespace {

bool origin_allowed(const ServerOptions& opt, const std::string& origin) {
  for (const std::string& o : opt.cors_origins)
    if (o == "*" || o == origin) return true;
  return false;
}

}  // namespace

httplib::Server::HandlerResponse screen_request(const ServerOptions& opt, const httplib::Request& req,
                                                httplib::Response& res) {
  using R = httplib::Server::HandlerResponse;
  if (refusing_connection()) {
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
  // Two lengths are an ambiguity a proxy in front may resolve otherwise
  // (request smuggling): refuse them.
  if (req.get_header_value_count("Content-Length") > 1) {
    error_and_close(res, 400, "more than one Content-Length header");
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
    if (!origin.empty() && origin_allowed(opt, origin)) {
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

}  // namespace xinwen
