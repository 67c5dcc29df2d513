// How the server writes its answers: JSON bodies, JSON errors, answers that
// end the connection, and the short reasons of bare statuses. Used by
// server.cc; pure functions over the response they are given.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace xinwen {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";

// The page loads its script and style from this server only; nothing inline.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The headers every response carries.
httplib::Headers security_headers();

// A whole HTTP/1.1 answer, as bytes, for a connection closed before its
// request could be parsed: a JSON error and "Connection: close".
std::string raw_error_response(int status, const std::string& message);

// Compact JSON; invalid UTF-8 becomes U+FFFD instead of throwing.
std::string dump(const nlohmann::json& j);

// The JSON API and the health check, as opposed to the page's files.
bool is_api_path(const std::string& path);

void send_json(httplib::Response& res, int status, const nlohmann::json& body);

// A 200 answer computed now or taken from the answer cache (said in X-Xinwen-Cache).
void send_body(httplib::Response& res, const std::string& body, bool from_cache);

// {"error": message, "status": status}
void send_error(httplib::Response& res, int status, const std::string& message);

// send_error, then the connection ends instead of waiting for another request.
void error_and_close(httplib::Response& res, int status, const std::string& message);

// A few words for a status that has no body of its own.
std::string status_reason(int status);

}  // namespace xinwen
