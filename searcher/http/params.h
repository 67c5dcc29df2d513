// The query-string parameters of the JSON API (searcher/API.md), checked
// against the server's limits. Used by server.cc; each function throws
// UsageError (answered 400) with a message for the client. Pure functions.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <string>
#include <vector>

#include <xinwen/http/server.h>
#include <xinwen/search.h>

namespace xinwen {

// A non-negative integer parameter; fallback when absent or empty.
std::size_t int_param(const httplib::Request& req, const char* name, std::size_t fallback);

// Every non-empty value of a repeated parameter, in order.
std::vector<std::string> list_param(const httplib::Request& req, const char* name);

// q, at most options.max_query_bytes long.
std::string query_param(const httplib::Request& req, const ServerOptions& options);

// The request of /api/search: q, page, size, sort, source, lang, from, to, facets.
SearchRequest search_params(const httplib::Request& req, const ServerOptions& options);

// n of /api/suggest, from 1 to options.max_suggestions.
std::size_t suggest_count(const httplib::Request& req, const ServerOptions& options);

}  // namespace xinwen
