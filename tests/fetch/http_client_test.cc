// HttpClient against the local fixture server: limits, delays, retries,
// timeouts, the size limit, compression, redirects, schemes and conditional
// GET. No check measures time: each says what happened (which requests reached
// the server, with what outcome), so a busy machine cannot fail them.
#include <xinwen/fetch/http_client.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "fetch/fixture_server.h"

using namespace xinwen;
using namespace std::chrono_literals;
using test::FixtureServer;

namespace {

HttpOptions quick() {
  HttpOptions o;
  o.host_delay = 0ms;
  o.connect_timeout = 2000ms;
  o.timeout = 5000ms;
  o.retry_delay = 20ms;
  o.user_agent = "xinwen-fetch-test/1";
  return o;
}

HttpResponse get_one(const HttpOptions& options, const HttpRequest& request) {
  HttpClient client(options);
  HttpResponse out;
  bool called = false;
  client.get(request, [&](HttpResponse&& r) {
    out = std::move(r);
    called = true;
  });
  client.run();
  REQUIRE(called);
  return out;
}

HttpResponse get_one(const HttpOptions& options, const std::string& url) {
  return get_one(options, HttpRequest{url, "", "", ""});
}

}  // namespace

TEST_CASE("transfers run in parallel up to the limits", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpOptions o = quick();
  o.max_parallel = 4;
  o.max_per_host = 3;
  HttpClient client(o);
  int done = 0;
  for (int i = 0; i < 9; ++i)
    client.get(HttpRequest{server.url("/slow?ms=400&n=" + std::to_string(i)), "", "", ""}, [&](HttpResponse&& r) {
      CHECK(r.ok());
      ++done;
    });
  client.run();
  CHECK(done == 9);
  // Three at a time (the per-host limit), never one by one nor all nine: each
  // answer takes 400 ms, so the first three overlap at the server.
  CHECK(test::server_json(server, "/_stats")["max_active"] == 3);
}

TEST_CASE("the per-host delay spaces requests to one host", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  // 127.0.0.1 and localhost are two hosts to the client, one server here.
  const std::string other_host = "http://localhost:" + server.base().substr(server.base().rfind(':') + 1);
  SECTION("a second request to a host waits out the delay while other hosts go on") {
    HttpOptions o = quick();
    o.host_delay = std::chrono::minutes(30);  // far beyond the test's life
    o.max_per_host = 2;
    HttpClient client(o);
    int first_host_done = 0;
    bool other_host_done = false;
    for (int i = 0; i < 2; ++i)
      client.get(HttpRequest{server.url("/static/empty.xml?n=" + std::to_string(i)), "", "", ""},
                 [&](HttpResponse&& r) {
                   CHECK(r.ok());
                   ++first_host_done;
                 });
    // Slow, so that a second request to the first host, were it sent at
    // once, would be answered before this one.
    client.get(HttpRequest{other_host + "/slow?ms=300", "", "", ""}, [&](HttpResponse&& r) {
      CHECK(r.ok());
      other_host_done = true;
    });
    client.run([&] { return first_host_done > 0 && other_host_done; });
    CHECK(first_host_done == 1);
    CHECK(other_host_done);
    std::vector<std::string> paths;
    for (const auto& r : test::server_json(server, "/_requests"))
      if (r["path"].get<std::string>().rfind("/_", 0) != 0) paths.push_back(r["path"]);
    std::sort(paths.begin(), paths.end());
    CHECK(paths == std::vector<std::string>{"/slow?ms=300", "/static/empty.xml?n=0"});
  }
  SECTION("the requests that waited are sent, none dropped") {
    HttpOptions o = quick();
    o.host_delay = 50ms;
    HttpClient client(o);
    int ok = 0;
    for (int i = 0; i < 3; ++i)
      client.get(HttpRequest{server.url("/static/empty.xml"), "", "", ""}, [&](HttpResponse&& r) { ok += r.ok(); });
    client.run();
    CHECK(ok == 3);
    CHECK(test::server_json(server, "/_stats")["requests"] == 3);
  }
}

TEST_CASE("5xx answers are retried with backoff, 4xx never", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpOptions o = quick();
  o.retries = 2;
  HttpResponse r = get_one(o, server.url("/flaky/a?fail=2&to=/static/empty.xml"));
  CHECK(r.ok());
  CHECK(r.attempts == 3);
  CHECK(r.body.find("Quiet Wire") != std::string::npos);

  o.retries = 1;
  HttpResponse gave_up = get_one(o, server.url("/flaky/b?fail=5"));
  CHECK(gave_up.error == HttpError::kStatus);
  CHECK(gave_up.status == 500);
  CHECK(gave_up.attempts == 2);

  o.retries = 3;
  HttpResponse missing = get_one(o, server.url("/status/404"));
  CHECK(missing.error == HttpError::kStatus);
  CHECK(missing.status == 404);
  CHECK(missing.attempts == 1);
  HttpResponse forbidden = get_one(o, server.url("/status/403"));
  CHECK(forbidden.attempts == 1);
  CHECK(test::server_json(server, "/_stats")["requests"] == 2 + 3 + 2);
}

TEST_CASE("a slow server times out, and the timeout is retried", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpOptions o = quick();
  o.timeout = 300ms;
  o.retries = 1;
  // The answer would come (as a feed) after 3 s: a client without the
  // timeout gets it and fails these checks.
  HttpResponse r = get_one(o, server.url("/slow?ms=3000"));
  CHECK(r.error == HttpError::kTimeout);
  CHECK(r.status == 0);
  CHECK(r.attempts == 2);
  CHECK(r.body.empty());
}

TEST_CASE("a body over the limit aborts the transfer", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpOptions o = quick();
  o.max_bytes = 100000;
  // Without a Content-Length: counted as it arrives, stopped at the limit
  // (a few hundred kB of the 200 MB offered).
  HttpResponse chunked = get_one(o, server.url("/big?bytes=200000000&chunked=1"));
  CHECK(chunked.error == HttpError::kTooLarge);
  CHECK(chunked.body.empty());
  CHECK(chunked.bytes < 400000);
  CHECK(chunked.attempts == 1);
  // With one: refused before the body.
  HttpResponse sized = get_one(o, server.url("/big?bytes=200000000"));
  CHECK(sized.error == HttpError::kTooLarge);
  CHECK(sized.bytes < 400000);
  // Just under the limit is fine.
  HttpResponse fits = get_one(o, server.url("/big?bytes=99000"));
  CHECK(fits.ok());
  CHECK(fits.body.size() == 99000);
}

TEST_CASE("huge response headers are reported as too large, not as out of memory", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpOptions o = quick();
  // One 10 MB header line (curl's own limit), then many lines of 50 kB.
  for (const char* path : {"/bigheader?bytes=10000000", "/bigheader?bytes=50000&lines=20"}) {
    INFO(path);
    HttpResponse r = get_one(o, server.url(path));
    CHECK(r.error == HttpError::kTooLarge);
    CHECK(r.message.find("headers too large") != std::string::npos);
    CHECK(r.message.find("memory") == std::string::npos);
  }
  CHECK(get_one(o, server.url("/bigheader?bytes=1000")).ok());
}

TEST_CASE("gzip and deflate bodies are decoded", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  const std::string expected = test::fixture("rss2.xml", server.base());
  CHECK(get_one(quick(), server.url("/gzip/rss2.xml")).body == expected);
  CHECK(get_one(quick(), server.url("/deflate/rss2.xml")).body == expected);
  nlohmann::json log = test::server_json(server, "/_requests");
  CHECK(log[0]["accept_encoding"].get<std::string>().find("gzip") != std::string::npos);
  CHECK(log[0]["user_agent"] == "xinwen-fetch-test/1");
}

TEST_CASE("redirect chains are followed, loops and long chains stop", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpOptions o = quick();
  o.max_redirects = 4;
  HttpResponse chain = get_one(o, server.url("/redirect/3?to=/static/empty.xml"));
  CHECK(chain.ok());
  CHECK(chain.final_url == server.url("/static/empty.xml"));
  HttpResponse loop = get_one(o, server.url("/loop/a"));
  CHECK(loop.error == HttpError::kRedirects);
  CHECK(loop.attempts == 1);
  HttpResponse too_long = get_one(o, server.url("/redirect/6?to=/static/empty.xml"));
  CHECK(too_long.error == HttpError::kRedirects);
}

TEST_CASE("only http and https are fetched, also after a redirect", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "dict://127.0.0.1/"}) {
    INFO(url);
    HttpResponse r = get_one(quick(), url);
    CHECK(r.error == HttpError::kScheme);
    CHECK(r.body.empty());
  }
  HttpResponse redirected = get_one(quick(), server.url("/redirect-file"));
  CHECK(redirected.error == HttpError::kScheme);
  CHECK(redirected.body.find("root:") == std::string::npos);
}

TEST_CASE("public_only refuses loopback and private addresses", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpRequest req{server.url("/static/empty.xml"), "", "", ""};
  req.public_only = true;
  HttpResponse r = get_one(quick(), req);
  CHECK(r.error == HttpError::kPrivate);
  CHECK(r.attempts == 1);
  for (const char* url : {"http://10.1.2.3:9/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/",
                          "http://192.168.0.1:9/", "http://0.0.0.0:9/"}) {
    INFO(url);
    HttpOptions o = quick();
    o.connect_timeout = 1000ms;
    req.url = url;
    CHECK(get_one(o, req).error == HttpError::kPrivate);
  }
  CHECK(test::server_json(server, "/_stats")["requests"] == 0);
  req.url = server.url("/static/empty.xml");
  req.public_only = false;
  CHECK(get_one(quick(), req).ok());
}

TEST_CASE("conditional GET: ETag and Last-Modified give 304", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpResponse first = get_one(quick(), server.url("/etag/rss2.xml"));
  REQUIRE(first.ok());
  REQUIRE_FALSE(first.etag.empty());
  HttpResponse again = get_one(quick(), HttpRequest{server.url("/etag/rss2.xml"), "", first.etag, ""});
  CHECK(again.not_modified());
  CHECK(again.body.empty());

  HttpResponse lm = get_one(quick(), server.url("/lastmod/atom.xml"));
  REQUIRE(lm.last_modified == "Sun, 01 Jun 2025 08:00:00 GMT");
  CHECK(get_one(quick(), HttpRequest{server.url("/lastmod/atom.xml"), "", "", lm.last_modified}).not_modified());

  // A stored validator with a line break must not smuggle in a header.
  HttpResponse odd = get_one(quick(), HttpRequest{server.url("/etag/rss2.xml"), "", "\"x\"\r\nX-Evil: 1", ""});
  CHECK(odd.ok());
}

TEST_CASE("stopping abandons transfers without calling back", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpClient client(quick());
  bool called = false;
  client.get(HttpRequest{server.url("/slow?ms=3000"), "", "", ""}, [&](HttpResponse&&) { called = true; });
  // Stop once the server holds the request: run() returns without waiting
  // for the answer, and the callback never runs.
  client.run([&] { return test::server_json(server, "/_stats")["requests"] == 1; });
  CHECK_FALSE(called);
  // The client is usable again, with nothing left over from the abandoned transfer.
  bool next_ok = false;
  client.get(HttpRequest{server.url("/static/empty.xml"), "", "", ""}, [&](HttpResponse&& r) { next_ok = r.ok(); });
  client.run();
  CHECK(next_ok);
  CHECK_FALSE(called);
}

TEST_CASE("callbacks may queue more requests", "[fetch][http]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpClient client(quick());
  std::vector<std::string> order;
  client.get(HttpRequest{server.url("/static/empty.xml"), "", "", ""}, [&](HttpResponse&& r) {
    order.push_back("first " + std::to_string(r.status));
    client.get(HttpRequest{server.url("/status/404"), "", "", ""},
               [&](HttpResponse&& s) { order.push_back("second " + std::to_string(s.status)); });
  });
  client.run();
  CHECK(order == std::vector<std::string>{"first 200", "second 404"});
}

TEST_CASE("429 is retried after its Retry-After, other 4xx are not", "[fetch][http][polite]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  HttpResponse r = get_one(quick(), server.url("/busy/429/a?after=0"));
  CHECK(r.ok());
  CHECK(r.attempts == 2);
}

namespace {

// The order in which the server saw two requests to one host, the first of
// which was answered `code` with a Retry-After of one second the first time.
std::vector<std::string> order_after_busy(const FixtureServer& server, int code, const std::string& form) {
  HttpOptions o = quick();
  o.max_per_host = 1;  // the second request waits for the first's answer
  HttpClient client(o);
  const std::string busy = "/busy/" + std::to_string(code) + "/" + form + "?after=1&form=" + form;
  int ok = 0;
  client.get(HttpRequest{server.url(busy), "", "", ""}, [&](HttpResponse&& r) { ok += r.ok(); });
  client.get(HttpRequest{server.url("/static/rss2.xml?second=" + form), "", "", ""},
             [&](HttpResponse&& r) { ok += r.ok(); });
  client.run();
  CHECK(ok == 2);
  std::vector<std::string> order;
  for (const auto& req : test::server_json(server, "/_requests")) {
    const std::string path = req["path"];
    if (path.find(form) != std::string::npos) order.push_back(path.rfind("/busy/", 0) == 0 ? "busy" : "second");
  }
  return order;
}

}  // namespace

TEST_CASE("Retry-After on a 503 or 429 holds the whole host, in seconds or as an HTTP date", "[fetch][http][polite]") {
  FixtureServer server;
  XINWEN_REQUIRE_SERVER(server);
  // Without the hold the second request would go while the first waits to
  // retry: busy, second, busy.
  const std::vector<std::string> held = {"busy", "busy", "second"};
  CHECK(order_after_busy(server, 503, "seconds") == held);
  CHECK(order_after_busy(server, 429, "date") == held);
}
