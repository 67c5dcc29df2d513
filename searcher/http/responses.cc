#include "responses.h"

#include <memory>

namespace xinwen {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

httplib::Headers security_headers() {
  return {{"X-Content-Type-Options", "nosniff"},
          {"Content-Security-Policy", kContentSecurityPolicy},
          {"Referrer-Policy", "no-referrer"},
          {"X-Frame-Options", "DENY"}};
}

std::string raw_error_response(int status, const std::string& message) {
  std::string body = dump(json{{"error", message}, {"status", status}});
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + status_reason(status) + "\r\n";
  for (const auto& [k, v] : security_headers()) out += k + ": " + v + "\r\n";
  if (status == 503) out += "Retry-After: 1\r\n";
  out += "Cache-Control: no-store\r\nConnection: close\r\nContent-Type: ";
  out += kJsonType;
  out += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return out;
}

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

// The body comes from a provider that reports failure once it has written
// everything, which is how cpp-httplib 0.11 can be told not to wait for
// another request (a "Connection: close" header set by a handler is not
// enough).
void error_and_close(httplib::Response& res, int status, const std::string& message) {
  auto text = std::make_shared<std::string>(dump(json{{"error", message}, {"status", status}}));
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Connection", "close");
  res.set_content_provider(text->size(), kJsonType,
                           [text](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             sink.write(text->data() + offset, length);
                             return false;
                           });
}

std::string status_reason(int status) {
  switch (status) {
    case 400: return "bad request";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 408: return "request timeout";
    case 413: return "request body too large";
    case 414: return "request line too long";
    case 416: return "range not satisfiable";
    case 431: return "request headers too large";
    case 500: return "internal error";
    case 503: return "service unavailable";
    default: return status < 500 ? "request refused" : "server error";
  }
}

}  // namespace xinwen
