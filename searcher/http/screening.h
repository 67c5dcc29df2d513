// What every request goes through before its route: refusal when the pool
// is full (503), limits on headers and bodies, CORS headers for the allowed
// origins, and the methods the server answers. Used by server.cc as
// cpp-httplib's pre-routing handler; runs on the worker threads, reads only.
#pragma once

#include <httplib.h>

#include <xinwen/http/server.h>

namespace xinwen {

// Handled when the request has been answered here (refused, or OPTIONS);
// Unhandled when its route is to answer it.
httplib::Server::HandlerResponse screen_request(const ServerOptions& options, const httplib::Request& req,
                                                httplib::Response& res);

}  // namespace xinwen
