// The HTTP server over real HTTP on 127.0.0.1: status codes, the JSON shape
// (the CLI's own JSON), facets, paging, reopening, markup in indexed text,
// static files and path traversal, the limits and the busy answer, CORS, and
// the `xinwen-search serve` command itself. Servers run in this process on a
// port the kernel picks; the sample articles plus one fixture article whose
// title is markup are indexed into a temporary folder by xinwen-index.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>
#include <xinwen/http/server.h>

#include <xinwen/schema.h>

namespace fs = std::filesystem;
using nlohmann::json;
using xinwen::HttpServer;
using xinwen::ServerOptions;

namespace {

// ---- Files and programs --------------------------------------------------

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "xinwen-server-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string index_bin() { return std::string(XINWEN_BINARY_DIR) + "/indexer/xinwen-index"; }
std::string search_bin() { return std::string(XINWEN_BINARY_DIR) + "/searcher/xinwen-search"; }
std::string samples() { return std::string(XINWEN_SOURCE_DIR) + "/tests/samples"; }
std::string fixture() { return std::string(XINWEN_SOURCE_DIR) + "/tests/server/fixtures/xss-article.jsonl"; }
std::string static_dir() { return std::string(XINWEN_SOURCE_DIR) + "/searcher/static"; }

// Runs a shell command; returns its exit status and standard output.
std::pair<int, std::string> run(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return {-1, out};
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

void index_into(const std::string& db, const std::string& inputs) {
  auto [rc, out] = run(index_bin() + " add --db " + quote(db) + " " + inputs);
  if (rc != 0) throw std::runtime_error("xinwen-index failed: " + out);
}

// The samples plus the markup fixture, indexed once per test program.
const std::string& sample_db() {
  static TempDir dir;
  static const std::string db = [] {
    std::string path = dir / "db";
    index_into(path, quote(samples()) + " " + quote(fixture()));
    return path;
  }();
  return db;
}

// ---- A server in this process ---------------------------------------------

ServerOptions options_for(const std::string& db) {
  ServerOptions o;
  o.db = db;
  o.port = 0;
  o.static_dir = static_dir();
  o.threads = 4;
  o.reopen_interval = 0;
  return o;
}

class Running {
 public:
  explicit Running(ServerOptions o) : server_(std::move(o)) {
    port_ = server_.bind();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~Running() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  HttpServer server_;
  int port_ = 0;
  std::thread thread_;
};

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string header(const char* name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  json j() const { return json::parse(body); }
};

std::string enc(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Reply get(int port, const std::string& target, const httplib::Headers& headers = {}) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(15, 0);
  httplib::Result r = client.Get(target, headers);
  INFO(target << ": " << httplib::to_string(r.error()));
  REQUIRE(r);
  return Reply{r->status, r->body, r->headers};
}

json search(int port, const std::string& params) {
  Reply r = get(port, "/api/search?" + params);
  INFO(params << " -> " << r.body);
  REQUIRE(r.status == 200);
  return r.j();
}

std::vector<std::string> ids(const json& j) {
  std::vector<std::string> out;
  for (const json& h : j["results"]) out.push_back(h["id"]);
  return out;
}

// Sends raw bytes and reads one answer: until its Content-Length is complete,
// the server closes, or the timeout. For requests an HTTP client would tidy
// up first.
std::string raw(int port, const std::string& request, int timeout_ms = 5000) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  const bool head = request.rfind("HEAD ", 0) == 0;
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    std::size_t end = out.find("\r\n\r\n");
    if (end == std::string::npos || head) continue;
    std::string lower = out.substr(0, end);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t at = lower.find("\r\ncontent-length: ");
    if (at == std::string::npos) continue;
    std::size_t length = std::stoul(lower.substr(at + 18));
    if (out.size() >= end + 4 + length) break;
  }
  close(fd);
  return out;
}

int raw_status(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// ---------------------------------------------------------------------------

TEST_CASE("healthz reports the document count and the last commit time", "[server]") {
  Running s(options_for(sample_db()));
  Reply r = get(s.port(), "/healthz");
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
  json j = r.j();
  CHECK(j["status"] == "ok");
  CHECK(j["documents"] == 31);
  CHECK(std::string(j["last_update"]).size() >= 10);
  CHECK(j["schema_version"] == std::string(xinwen::kSchemaVersion));
}

TEST_CASE("every response carries the security headers", "[server]") {
  Running s(options_for(sample_db()));
  for (const char* target : {"/", "/api/search?q=nvidia", "/api/search?q=((", "/nowhere", "/static/app.js"}) {
    Reply r = get(s.port(), target);
    INFO(target);
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    std::string csp = r.header("Content-Security-Policy");
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("unsafe-eval") == std::string::npos);
  }
}

TEST_CASE("search answers with the JSON of xinwen-search --json, facets included", "[server]") {
  Running s(options_for(sample_db()));
  struct Case {
    std::string params, args;
  };
  for (const Case& c : std::vector<Case>{
           {"q=chip%20export&size=5", "--limit 5 --facets -- chip export"},
           {"q=" + enc("輝達") + "&size=3&page=2", "--limit 3 --offset 3 --facets -- 輝達"},
           {"q=nvidia&sort=date&source=TechPulse", "--sort date --source TechPulse --facets nvidia"},
           {"q=" + enc("market OR 市场") + "&lang=en&from=2025-01-01&to=2025-12-31",
            "--lang en --from 2025-01-01 --to 2025-12-31 --facets -- " + quote("market OR 市场")},
       }) {
    INFO(c.params);
    json api = search(s.port(), c.params);
    // The server here has no lexicon (ServerOptions::lexicon): the program must not expand either.
    auto [rc, out] = run(search_bin() + " --db " + quote(sample_db()) + " --json --no-expand " + c.args);
    REQUIRE(rc == 0);
    json cli = json::parse(out);
    if (!cli.contains("facets")) cli["facets"] = {{"source", json::array()}, {"month", json::array()}};
    CHECK(api == cli);
  }
}

TEST_CASE("the JSON shape: results with their fields, facets by source and by month", "[server]") {
  Running s(options_for(sample_db()));
  json j = search(s.port(), "q=nvidia");
  CHECK(j["version"] == 1);
  CHECK(j["query"] == "nvidia");
  CHECK(j["offset"] == 0);
  CHECK(j["limit"] == 10);
  REQUIRE(j["total"].is_number());
  REQUIRE(j["results"].size() == j["total"].get<std::size_t>());
  for (const json& h : j["results"]) {
    for (const char* key : {"id", "url", "title", "source", "published", "lang", "author", "snippet", "matched"})
      CHECK(h[key].is_string());
    CHECK(h["tags"].is_array());
    CHECK(h["score"].is_number());
  }
  CHECK(std::string(j["results"][0]["snippet"]).find("<mark>") != std::string::npos);
  REQUIRE(j["facets"]["source"].is_array());
  REQUIRE(j["facets"]["month"].is_array());
  std::size_t by_source = 0, by_month = 0;
  for (const json& f : j["facets"]["source"]) by_source += f["count"].get<std::size_t>();
  for (const json& f : j["facets"]["month"]) {
    CHECK(std::string(f["value"]).size() == 7);
    by_month += f["count"].get<std::size_t>();
  }
  CHECK(by_source == j["total"]);
  CHECK(by_month == j["total"]);

  SECTION("a source filter keeps that source only, and its facet count is the total") {
    json f = search(s.port(), "q=nvidia&source=TechPulse");
    REQUIRE(!f["results"].empty());
    for (const json& h : f["results"]) CHECK(h["source"] == "TechPulse");
    REQUIRE(f["facets"]["source"].size() == 1);
    CHECK(f["facets"]["source"][0]["count"] == f["total"]);
  }
  SECTION("several sources are any of them") {
    json f = search(s.port(), "q=nvidia&source=TechPulse&source=" + enc("Harbour Ledger"));
    CHECK(f["total"] == j["total"]);
  }
  SECTION("facets=0 leaves them out") { CHECK_FALSE(search(s.port(), "q=nvidia&facets=0").contains("facets")); }
  SECTION("no match is an empty list with empty facets") {
    json none = search(s.port(), "q=qwertyuiopzxcv");
    CHECK(none["total"] == 0);
    CHECK(none["results"].empty());
    CHECK(none["facets"]["source"].empty());
  }
}

TEST_CASE("paging: page and size select consecutive slices", "[server]") {
  Running s(options_for(sample_db()));
  const std::string q = "q=" + enc("market OR markets OR 市场 OR 市場");
  json all = search(s.port(), q + "&size=9");
  json p1 = search(s.port(), q + "&size=3&page=1");
  json p2 = search(s.port(), q + "&size=3&page=2");
  json p3 = search(s.port(), q + "&size=3&page=3");
  REQUIRE(all["results"].size() == 9);
  CHECK(p2["offset"] == 3);
  CHECK(p2["limit"] == 3);
  std::vector<std::string> joined = ids(p1);
  for (const auto& id : ids(p2)) joined.push_back(id);
  for (const auto& id : ids(p3)) joined.push_back(id);
  CHECK(joined == ids(all));
  std::set<std::string> unique(joined.begin(), joined.end());
  CHECK(unique.size() == 9);

  SECTION("past the end is an empty page, not an error") {
    json far = search(s.port(), q + "&size=50&page=9");
    CHECK(far["results"].empty());
  }
  SECTION("sort=date gives newest first") {
    json d = search(s.port(), q + "&sort=date&size=20");
    std::vector<std::string> dates;
    for (const json& h : d["results"]) dates.push_back(h["published"]);
    CHECK(std::is_sorted(dates.rbegin(), dates.rend()));
  }
}

TEST_CASE("Chinese queries find both scripts", "[server]") {
  Running s(options_for(sample_db()));
  std::vector<std::string> found = ids(search(s.port(), "q=" + enc("輝達")));
  CHECK(std::find(found.begin(), found.end(), "zhs-nvidia-h20-charge-2025") != found.end());
  CHECK(std::find(found.begin(), found.end(), "zht-nvidia-4-trillion-2025") != found.end());
}

TEST_CASE("bad requests get 400 with a JSON message", "[server]") {
  Running s(options_for(sample_db()));
  for (const std::string& params :
       {std::string(""), std::string("q="), std::string("q=%28%28"), std::string("q=nvidia&page=0"),
        std::string("q=nvidia&page=abc"), std::string("q=nvidia&page=-1"), std::string("q=nvidia&page=101"),
        std::string("q=nvidia&size=0"), std::string("q=nvidia&size=51"), std::string("q=nvidia&size=99999999999"),
        std::string("q=nvidia&sort=popular"), std::string("q=nvidia&from=2025-13-45"),
        std::string("q=nvidia&to=yesterday"), std::string("q=") + std::string(513, 'a')}) {
    Reply r = get(s.port(), "/api/search?" + params);
    INFO(params << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    json j = r.j();
    CHECK(j["status"] == 400);
    CHECK(!std::string(j["error"]).empty());
  }
  Reply syntax = get(s.port(), "/api/search?q=%28%28");
  CHECK(syntax.j()["error"].get<std::string>().find("syntax") != std::string::npos);
}

TEST_CASE("other statuses: 404 unknown paths, 405 other methods, 204 OPTIONS", "[server]") {
  Running s(options_for(sample_db()));
  Reply api404 = get(s.port(), "/api/nothing");
  CHECK(api404.status == 404);
  CHECK(api404.j()["status"] == 404);
  CHECK(get(s.port(), "/nothing").status == 404);

  std::string post = raw(s.port(),
                         "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                         "Content-Type: text/plain\r\n\r\nhello");
  CHECK(raw_status(post) == 405);
  CHECK(post.find("Allow: GET, HEAD, OPTIONS") != std::string::npos);
  CHECK(raw_status(raw(s.port(), "DELETE /api/search HTTP/1.1\r\nHost: x\r\n\r\n")) == 405);

  std::string options = raw(s.port(), "OPTIONS /api/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(raw_status(options) == 204);

  std::string head = raw(s.port(), "HEAD /api/search?q=nvidia HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(raw_status(head) == 200);
}

TEST_CASE("a missing or unreadable database gets 503 without its path, then recovers", "[server]") {
  TempDir dir;
  const std::string db = dir / "not-yet";
  Running s(options_for(db));
  for (const char* target : {"/api/search?q=nvidia", "/api/suggest?q=nv", "/healthz"}) {
    Reply r = get(s.port(), target);
    INFO(target << " -> " << r.body);
    CHECK(r.status == 503);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    CHECK(r.body.find(dir.path()) == std::string::npos);
    CHECK(r.body.find("not-yet") == std::string::npos);
    CHECK(r.body.find('/') == std::string::npos);
    CHECK(!r.j()["error"].get<std::string>().empty());
  }
  CHECK(get(s.port(), "/").status == 200);  // the page itself is still there

  // The nightly job creates it: served without a restart.
  index_into(db, quote(samples()));
  Reply ok = get(s.port(), "/api/search?q=nvidia");
  CHECK(ok.status == 200);
  CHECK(get(s.port(), "/healthz").j()["documents"] == 30);

  SECTION("a folder that is not a database") {
    const std::string junk = dir / "junk";
    fs::create_directories(junk);
    std::ofstream(junk + "/iamglass") << "this is not a database";
    Running bad(options_for(junk));
    Reply r = get(bad.port(), "/api/search?q=nvidia");
    CHECK(r.status == 503);
    CHECK(r.body.find(junk) == std::string::npos);
    CHECK(r.body.find("glass") == std::string::npos);
  }
}

TEST_CASE("the server picks up a new commit without a restart", "[server]") {
  TempDir dir;
  const std::string db = dir / "db";
  index_into(db, quote(samples()));
  Running s(options_for(db));
  CHECK(search(s.port(), "q=zebrafinch")["total"] == 0);
  // Warm every worker's reader, so that a stale one would show.
  for (int i = 0; i < 12; ++i) search(s.port(), "q=nvidia");
  index_into(db, quote(fixture()));
  for (int i = 0; i < 12; ++i) CHECK(search(s.port(), "q=zebrafinch")["total"] == 1);
  CHECK(get(s.port(), "/healthz").j()["documents"] == 31);
}

TEST_CASE("repeated requests are answered from the cache until the next commit", "[server]") {
  TempDir dir;
  const std::string db = dir / "db";
  index_into(db, quote(samples()));
  Running s(options_for(db));
  Reply first = get(s.port(), "/api/search?q=nvidia&size=3");
  Reply again = get(s.port(), "/api/search?q=nvidia&size=3");
  CHECK(first.header("X-Xinwen-Cache") == "miss");
  CHECK(again.header("X-Xinwen-Cache") == "hit");
  CHECK(again.body == first.body);
  CHECK(get(s.port(), "/api/search?q=nvidia&size=4").header("X-Xinwen-Cache") == "miss");
  CHECK(get(s.port(), "/api/search?q=nvidia&size=3&sort=date").header("X-Xinwen-Cache") == "miss");
  get(s.port(), "/api/suggest?q=nv");
  CHECK(get(s.port(), "/api/suggest?q=nv").header("X-Xinwen-Cache") == "hit");
  CHECK(get(s.port(), "/api/search?q=%28%28").status == 400);  // errors are not kept
  CHECK(get(s.port(), "/api/search?q=%28%28").header("X-Xinwen-Cache").empty());

  // A commit changes the database's identity: no stale answer.
  CHECK(search(s.port(), "q=zebrafinch")["total"] == 0);
  index_into(db, quote(fixture()));
  Reply fresh = get(s.port(), "/api/search?q=zebrafinch");
  CHECK(fresh.header("X-Xinwen-Cache") == "miss");
  CHECK(fresh.j()["total"] == 1);

  SECTION("--cache-entries 0 keeps nothing") {
    ServerOptions o = options_for(db);
    o.cache_entries = 0;
    Running none(o);
    get(none.port(), "/api/search?q=nvidia");
    CHECK(get(none.port(), "/api/search?q=nvidia").header("X-Xinwen-Cache") == "miss");
  }
}

TEST_CASE("markup in indexed text reaches the client escaped or as JSON strings", "[server]") {
  Running s(options_for(sample_db()));
  json j = search(s.port(), "q=zebrafinch");
  REQUIRE(j["results"].size() == 1);
  const json& h = j["results"][0];
  CHECK(h["title"] == "<img src=x onerror=alert(1)>");  // a JSON string: the page inserts it as text
  std::string snippet = h["snippet"];
  CHECK(snippet.find("<script") == std::string::npos);
  CHECK(snippet.find("&lt;script&gt;") != std::string::npos);
  CHECK(snippet.find("<b") == std::string::npos);
  CHECK(snippet.find("<mark>zebrafinch</mark>") != std::string::npos);
  // Outside <mark>, no tag at all.
  std::string rest = snippet;
  for (const char* tag : {"<mark>", "</mark>"})
    for (std::size_t at; (at = rest.find(tag)) != std::string::npos;) rest.erase(at, std::string(tag).size());
  CHECK(rest.find('<') == std::string::npos);
  CHECK(rest.find('>') == std::string::npos);
  CHECK(j["facets"]["source"][0]["value"] == "<i>Probe</i> Wire");
}

TEST_CASE("static files: the page is served, nothing outside its folder is", "[server]") {
  TempDir dir;
  const std::string site = dir / "site";
  fs::create_directories(site + "/sub");
  std::ofstream(site + "/index.html") << "<!doctype html><title>t</title>";
  std::ofstream(site + "/app.js") << "console.log(1)";
  std::ofstream(site + "/sub/x.css") << "body{}";
  std::ofstream(site + "/.hidden.txt") << "hidden";
  std::ofstream(site + "/notes.md") << "no such type";
  std::ofstream(dir / "secret.txt") << "TOP-SECRET";
  fs::create_symlink(dir / "secret.txt", site + "/link.txt");
  ServerOptions o = options_for(sample_db());
  o.static_dir = site;
  Running s(o);

  Reply index = get(s.port(), "/");
  CHECK(index.status == 200);
  CHECK(index.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(index.body.find("<title>t</title>") != std::string::npos);
  CHECK(get(s.port(), "/?q=nvidia&page=2").status == 200);
  Reply js = get(s.port(), "/static/app.js");
  CHECK(js.status == 200);
  CHECK(js.header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(get(s.port(), "/static/sub/x.css").status == 200);

  for (const char* target :
       {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E%2Fsecret.txt", "/static/..%2fsecret.txt",
        "/static/.%2e/secret.txt", "/static/%252e%252e/secret.txt", "/static/sub/../../secret.txt",
        "/static/sub/%2e%2e/%2e%2e/secret.txt", "/static//secret.txt", "/static/%2fetc%2fpasswd",
        "/static/..%5csecret.txt", "/static/link.txt", "/static/.hidden.txt", "/static/notes.md",
        "/static/app.js%00.txt", "/static/", "/static/sub", "/..%2f..%2fsecret.txt", "/%2e%2e/secret.txt"}) {
    std::string answer =
        raw(s.port(), "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    INFO(target << " -> " << answer.substr(0, 200));
    int status = raw_status(answer);
    CHECK((status == 404 || status == 400));
    CHECK(answer.find("TOP-SECRET") == std::string::npos);
    CHECK(answer.find("root:") == std::string::npos);
  }

  SECTION("the real page's files") {
    Running real(options_for(sample_db()));
    for (const char* f : {"/", "/static/app.js", "/static/style.css", "/static/favicon.svg"}) {
      INFO(f);
      CHECK(get(real.port(), f).status == 200);
    }
    std::string html = get(real.port(), "/").body;
    CHECK(html.find("<script>") == std::string::npos);  // no inline script: the CSP forbids it
    CHECK(html.find("style=") == std::string::npos);
    CHECK(html.find("<html lang=\"en\">") != std::string::npos);
  }
  SECTION("no page folder: 404 for the page, the API still works") {
    ServerOptions none = options_for(sample_db());
    none.static_dir.clear();
    Running bare(none);
    CHECK(get(bare.port(), "/").status == 404);
    CHECK(get(bare.port(), "/api/search?q=nvidia").status == 200);
  }
}

TEST_CASE("limits: query length, page size, wildcard expansion, body and headers", "[server]") {
  ServerOptions o = options_for(sample_db());
  o.max_query_bytes = 40;
  o.max_page_size = 7;
  o.max_page = 3;
  Running s(o);

  Reply longq = get(s.port(), "/api/search?q=" + std::string(41, 'a'));
  CHECK(longq.status == 400);
  CHECK(longq.j()["error"].get<std::string>().find("40") != std::string::npos);
  CHECK(get(s.port(), "/api/search?q=" + std::string(40, 'a')).status == 200);
  CHECK(get(s.port(), "/api/suggest?q=" + std::string(41, 'a')).status == 400);
  CHECK(get(s.port(), "/api/search?q=nvidia&size=7").status == 200);
  CHECK(get(s.port(), "/api/search?q=nvidia&size=8").status == 400);
  CHECK(get(s.port(), "/api/search?q=nvidia&page=3").status == 200);
  CHECK(get(s.port(), "/api/search?q=nvidia&page=4").status == 400);
  CHECK(get(
            s.port(), "/api/search?q=nvidia&" +
                          [] {
                            std::string many;
                            for (int i = 0; i < 21; ++i) many += "source=s" + std::to_string(i) + "&";
                            return many;
                          }())
            .status == 400);

  SECTION("a wildcard expands to at most max_wildcard terms") {
    ServerOptions narrow = options_for(sample_db());
    narrow.max_wildcard = 1;
    Running n(narrow);
    json wide = search(s.port(), "q=c*&facets=0&size=1");
    json one = search(n.port(), "q=c*&facets=0&size=1");
    CHECK(one["total"].get<int>() > 0);
    CHECK(one["total"].get<int>() < wide["total"].get<int>());
  }
  SECTION("a request body over the limit gets 413; the API takes no body at all") {
    std::string body(4096, 'x');
    std::string answer =
        raw(s.port(), "GET /api/search?q=nvidia HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body);
    CHECK(raw_status(answer) == 413);
    answer = raw(s.port(), "GET /api/search?q=nvidia HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    CHECK(raw_status(answer) == 400);
    answer =
        raw(s.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    CHECK(raw_status(answer) == 400);
    answer = raw(s.port(), "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc");
    CHECK(raw_status(answer) == 413);
    CHECK(raw_status(raw(s.port(),
                         "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) == 200);
  }
  SECTION("two Content-Length headers get 400") {
    CHECK(raw_status(raw(s.port(),
                         "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n"
                         "Connection: close\r\n\r\n")) == 400);
    CHECK(raw_status(raw(s.port(),
                         "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n"
                         "Connection: close\r\n\r\n")) == 400);
  }
  SECTION("too many or too large headers get 431, an overlong line 4xx") {
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    for (int i = 0; i < 80; ++i) many += "X-Filler-" + std::to_string(i) + ": y\r\n";
    CHECK(raw_status(raw(s.port(), many + "\r\n")) == 431);
    std::string big = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    for (int i = 0; i < 4; ++i) big += "X-Big-" + std::to_string(i) + ": " + std::string(6000, 'z') + "\r\n";
    CHECK(raw_status(raw(s.port(), big + "\r\n")) == 431);
    std::string huge = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: " + std::string(20000, 'z') + "\r\n\r\n";
    CHECK(raw_status(raw(s.port(), huge)) == 400);  // cpp-httplib: a header line over 8 KiB
    std::string uri = "GET /api/search?q=" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(raw_status(raw(s.port(), uri)) == 414);
    CHECK(raw_status(raw(s.port(), "nonsense\r\n\r\n")) == 400);
    CHECK(get(s.port(), "/healthz").status == 200);  // still serving
  }
}

// A connection to the server from a loopback source address of its own
// (127.0.0.x), which the server counts as another client; -1 on failure.
int connect_from(const char* source, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Asks until the answer is the one expected (the server takes a moment to
// count connections just opened), at most 50 times.
Reply get_until(int port, const std::string& target, int status) {
  Reply r;
  for (int i = 0; i < 50; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r = get(port, target);
    if (r.status == status) break;
  }
  return r;
}

TEST_CASE("slow clients trickling their headers do not hold the workers", "[server][slow]") {
  ServerOptions o = options_for(sample_db());
  o.threads = 2;
  o.queue = 2;
  o.header_timeout = 60;  // the slow clients stay for the whole test
  Running s(o);
  REQUIRE(get_until(s.port(), "/healthz", 200).status == 200);
  // 100 clients (from another address) that have sent part of their request
  // line: before, each held a worker or a place in the queue while it waited.
  std::vector<int> slow;
  for (int i = 0; i < 100; ++i) {
    int fd = connect_from("127.0.0.2", s.port());
    REQUIRE(fd >= 0);
    REQUIRE(send(fd, "GET /api/se", 11, MSG_NOSIGNAL) == 11);
    slow.push_back(fd);
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int second = 0; second < 30 && !done; ++second) {
      for (int fd : slow) send(fd, "a", 1, MSG_NOSIGNAL);
      for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  int answered = 0;
  for (int i = 0; i < 20; ++i) {
    httplib::Client client("127.0.0.1", s.port());
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(2, 0);
    auto r = client.Get("/api/search?q=nvidia");
    if (r && r->status == 200) ++answered;
  }
  done = true;
  trickle.join();
  for (int fd : slow) close(fd);
  CHECK(answered == 20);
}

TEST_CASE("a request must arrive whole within the header deadline, or gets 408", "[server][slow]") {
  ServerOptions o = options_for(sample_db());
  o.header_timeout = 1;
  o.read_timeout = 5;
  Running s(o);
  int fd = connect_from("127.0.0.1", s.port());
  REQUIRE(fd >= 0);
  timeval tv{0, 200000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  // A byte every 200 ms: each receive is well within --read-timeout, but the
  // whole request is not within the deadline. Bounded: 8 s at most.
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(100, 'z') + "\r\n\r\n";
  std::string answer;
  for (std::size_t i = 0; i < request.size() && i < 40; ++i) {
    if (send(fd, request.data() + i, 1, MSG_NOSIGNAL) != 1) break;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      answer.append(buf, static_cast<std::size_t>(n));
      break;
    }
    if (n == 0) break;
  }
  close(fd);
  CHECK(raw_status(answer) == 408);
  CHECK(get(s.port(), "/healthz").status == 200);
}

TEST_CASE("beyond the connection cap, requests get 503 at once", "[server]") {
  ServerOptions o = options_for(sample_db());
  o.max_connections = 5;
  o.header_timeout = 30;
  Running s(o);
  REQUIRE(get_until(s.port(), "/healthz", 200).status == 200);
  std::vector<int> idle;
  for (int i = 0; i < 5; ++i) idle.push_back(connect_from("127.0.0.2", s.port()));
  for (int fd : idle) REQUIRE(fd >= 0);
  // Refused at once: before, it waited for a worker (or timed out).
  Reply busy = get_until(s.port(), "/api/search?q=nvidia", 503);
  CHECK(busy.status == 503);
  CHECK(busy.header("Retry-After") == "1");
  CHECK(busy.header("X-Content-Type-Options") == "nosniff");
  CHECK(busy.j()["error"].get<std::string>().find("busy") != std::string::npos);
  for (int fd : idle) close(fd);
  CHECK(get_until(s.port(), "/api/search?q=nvidia", 200).status == 200);
}

TEST_CASE("connections from one client address are capped", "[server]") {
  ServerOptions o = options_for(sample_db());
  o.max_client_connections = 3;
  o.header_timeout = 30;
  Running s(o);
  REQUIRE(get_until(s.port(), "/healthz", 200).status == 200);
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(connect_from("127.0.0.2", s.port()));
  for (int fd : idle) REQUIRE(fd >= 0);
  std::string refused;
  for (int i = 0; i < 50 && raw_status(refused) != 503; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    int fd = connect_from("127.0.0.2", s.port());
    REQUIRE(fd >= 0);
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    REQUIRE(send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
    char buf[4096];
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    refused = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    close(fd);
  }
  CHECK(raw_status(refused) == 503);
  CHECK(get(s.port(), "/healthz").status == 200);  // another address is served
  for (int fd : idle) close(fd);
}

// Sets a database's last update time, so that two databases differ in it.
void set_metadata(const std::string& db, const std::string& key, const std::string& value) {
  Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
  w.set_metadata(key, value);
  w.commit();
}

TEST_CASE("a database swapped under the running server is served whole, and checked", "[server]") {
  TempDir dir;
  const std::string old_db = dir / "old", new_db = dir / "new";
  index_into(old_db, quote(samples()));
  index_into(new_db, quote(samples()) + " " + quote(fixture()));
  set_metadata(old_db, std::string(xinwen::kMetaLastUpdate), "2001-01-01T00:00:00Z");
  set_metadata(new_db, std::string(xinwen::kMetaLastUpdate), "2002-02-02T00:00:00Z");
  auto served_new = [](int port) {
    for (int i = 0; i < 12; ++i) {  // every worker's reader
      json h = get(port, "/healthz").j();
      if (h["documents"] != 31 || h["last_update"] != "2002-02-02T00:00:00Z") return false;
      if (search(port, "q=zebrafinch")["total"] != 1) return false;
    }
    return true;
  };

  SECTION("mv db db.old; cp -r other db") {
    const std::string db = dir / "db";
    fs::copy(old_db, db, fs::copy_options::recursive);
    Running s(options_for(db));
    for (int i = 0; i < 12; ++i) CHECK(search(s.port(), "q=zebrafinch")["total"] == 0);
    fs::rename(db, dir / "db.old");
    fs::copy(new_db, db, fs::copy_options::recursive);
    CHECK(served_new(s.port()));
  }
  SECTION("a stub file replaced by rename (the supported way)") {
    const std::string stub = dir / "db.stub";
    std::ofstream(stub) << "auto old\n";
    Running s(options_for(stub));
    for (int i = 0; i < 12; ++i) CHECK(search(s.port(), "q=zebrafinch")["total"] == 0);
    std::ofstream(dir / "db.stub.tmp") << "auto new\n";
    fs::rename(dir / "db.stub.tmp", stub);
    CHECK(served_new(s.port()));
  }
  SECTION("a database of another schema version is refused, and says so") {
    const std::string db = dir / "db";
    fs::copy(old_db, db, fs::copy_options::recursive);
    Running s(options_for(db));
    REQUIRE(get(s.port(), "/healthz").j()["status"] == "ok");
    const std::string schema1 = dir / "schema1";
    fs::copy(new_db, schema1, fs::copy_options::recursive);
    set_metadata(schema1, std::string(xinwen::kMetaSchemaVersion), "1");
    fs::rename(db, dir / "db.old");
    fs::rename(schema1, db);
    for (int i = 0; i < 12; ++i) {
      Reply h = get(s.port(), "/healthz");
      CHECK(h.status == 503);
      CHECK(h.j()["status"] == "unavailable");
      CHECK(h.j()["schema_version"] == "1");
      CHECK(h.j()["error"].get<std::string>().find("schema version 1") != std::string::npos);
      CHECK(get(s.port(), "/api/search?q=zebrafinch").status == 503);
    }
  }
}

TEST_CASE("a search past its time limit gets 503, not an unbounded wait", "[server]") {
  ServerOptions o = options_for(sample_db());
  o.search_time_limit = 1e-9;  // passed by the time the matcher sees a document
  o.cache_entries = 0;
  Running s(o);
  Reply r = get(s.port(), "/api/search?q=nvidia");
  CHECK(r.status == 503);
  CHECK(r.header("Retry-After") == "1");
  CHECK(r.j()["error"].get<std::string>().find("longer than the server allows") != std::string::npos);
  // Nothing to match: nothing to stop.
  CHECK(get(s.port(), "/api/search?q=zzzyzzyva").status == 200);
}

TEST_CASE("queries during commits all succeed", "[server][concurrency]") {
  TempDir dir;
  const std::string db = dir / "db";
  index_into(db, quote(samples()));
  ServerOptions o = options_for(db);
  o.cache_entries = 0;
  Running s(o);
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", s.port());
      client.set_keep_alive(true);
      client.set_read_timeout(15, 0);
      for (int i = 0; i < 5000 && !done; ++i) {
        auto r = client.Get(i % 2 ? "/api/search?q=nvidia" : "/api/search?q=commitword&sort=date");
        (r && r->status == 200 ? ok : bad)++;
      }
    });
  }
  // Eight commits of new articles while the clients ask.
  for (int commit = 0; commit < 8; ++commit) {
    const std::string file = dir / ("batch" + std::to_string(commit) + ".jsonl");
    std::ofstream out(file);
    for (int k = 0; k < 20; ++k)
      out << json{{"id", "commit-" + std::to_string(commit) + "-" + std::to_string(k)},
                  {"title", "Commitword report " + std::to_string(k)},
                  {"body", "A commitword article written for the concurrency test."},
                  {"published", "2025-04-0" + std::to_string(1 + commit % 9) + "T10:00:00Z"},
                  {"source", "Test Wire"},
                  {"lang", "en"}}
                 .dump()
          << "\n";
    out.close();
    index_into(db, quote(file));
  }
  done = true;
  for (std::thread& t : clients) t.join();
  CHECK(bad == 0);
  CHECK(ok > 0);
  // Each commit repeats the same twenty articles under new ids: copies of
  // twenty stories, so count them uncollapsed.
  CHECK(search(s.port(), "q=commitword&collapse=0")["total"] == 160);
}

TEST_CASE("many clients at once are all served by the pool", "[server]") {
  ServerOptions o = options_for(sample_db());
  o.threads = 4;
  Running s(o);
  const std::vector<std::string> queries = {"nvidia",    enc("輝達"), "chip%20export",
                                            enc("银行"), "c*",        enc("\"export rules\"")};
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", s.port());
      client.set_keep_alive(true);
      for (int i = 0; i < 25; ++i) {
        auto r = client.Get("/api/search?q=" + queries[static_cast<std::size_t>(c + i) % queries.size()]);
        (r && r->status == 200 ? ok : bad)++;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  CHECK(ok == 200);
  CHECK(bad == 0);
}

TEST_CASE("CORS: no origin is allowed by default, allowed origins are a setting", "[server]") {
  Running closed(options_for(sample_db()));
  Reply r = get(closed.port(), "/api/search?q=nvidia", {{"Origin", "https://news.example"}});
  CHECK(r.status == 200);
  CHECK(r.header("Access-Control-Allow-Origin").empty());

  ServerOptions o = options_for(sample_db());
  o.cors_origins = {"https://news.example"};
  Running open(o);
  Reply allowed = get(open.port(), "/api/search?q=nvidia", {{"Origin", "https://news.example"}});
  CHECK(allowed.header("Access-Control-Allow-Origin") == "https://news.example");
  CHECK(allowed.header("Vary") == "Origin");
  Reply other = get(open.port(), "/api/search?q=nvidia", {{"Origin", "https://evil.example"}});
  CHECK(other.status == 200);
  CHECK(other.header("Access-Control-Allow-Origin").empty());
  std::string preflight = raw(open.port(),
                              "OPTIONS /api/search HTTP/1.1\r\nHost: x\r\nOrigin: https://news.example\r\n"
                              "Access-Control-Request-Method: GET\r\nConnection: close\r\n\r\n");
  CHECK(raw_status(preflight) == 204);
  CHECK(preflight.find("Access-Control-Allow-Origin: https://news.example") != std::string::npos);
  CHECK(preflight.find("Access-Control-Allow-Methods: GET") != std::string::npos);
}

TEST_CASE("suggest completes English prefixes and Chinese", "[server]") {
  Running s(options_for(sample_db()));
  json en = get(s.port(), "/api/suggest?q=nvi").j();
  CHECK(en["query"] == "nvi");
  std::vector<std::string> words = en["suggestions"];
  CHECK(std::find(words.begin(), words.end(), "nvidia") != words.end());
  json two = get(s.port(), "/api/suggest?q=chip%20exp").j();
  for (const std::string w : two["suggestions"]) CHECK(w.rfind("chip exp", 0) == 0);
  json zh = get(s.port(), "/api/suggest?q=" + enc("金")).j();
  REQUIRE(!zh["suggestions"].empty());
  for (const std::string w : zh["suggestions"]) CHECK(w.rfind("金", 0) == 0);
  // Two-character words come from the bigrams that are dictionary words.
  std::vector<std::string> zh_words = zh["suggestions"];
  CHECK(std::find(zh_words.begin(), zh_words.end(), "金融") != zh_words.end());
  CHECK(get(s.port(), "/api/suggest?q=").j()["suggestions"].empty());
  CHECK(get(s.port(), "/api/suggest?q=nv&n=2").j()["suggestions"].size() <= 2);
  CHECK(get(s.port(), "/api/suggest?q=nv&n=0").status == 400);
  CHECK(get(s.port(), "/api/suggest?q=nv&n=11").status == 400);
}

TEST_CASE("xinwen-search serve: listens on 127.0.0.1, answers, stops on SIGTERM", "[server][cli]") {
  TempDir dir;
  const std::string out = dir / "out";
  std::string command = search_bin() + " serve --db " + quote(sample_db()) + " --listen :0 --threads 2 >" + quote(out) +
                        " 2>" + quote(dir / "err") + " & echo $!";
  auto [rc, pid_text] = run(command);
  REQUIRE(rc == 0);
  pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  int port = 0;
  std::string line;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    line = slurp(out);
    std::size_t at = line.find("listening on http://127.0.0.1:");
    if (at != std::string::npos && line.find('\n', at) != std::string::npos)
      port = std::stoi(line.substr(at + std::string("listening on http://127.0.0.1:").size()));
  }
  INFO(line << slurp(dir / "err"));
  REQUIRE(port > 0);
  CHECK(get(port, "/healthz").status == 200);
  CHECK(get(port, "/api/search?q=nvidia&expand=0").j()["total"] == 3);
  // The program loads the shipped entities: 英伟达 and 輝達 are found too.
  CHECK(get(port, "/api/search?q=nvidia").j()["total"] > 3);
  CHECK(get(port, "/").status == 200);  // found the page's folder by itself
  REQUIRE(kill(pid, SIGTERM) == 0);
  bool stopped = false;
  for (int i = 0; i < 100 && !stopped; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stopped = slurp(dir / "err").find("stopped") != std::string::npos;
  }
  CHECK(stopped);

  SECTION("bad settings are usage errors") {
    CHECK(run(search_bin() + " serve --db " + quote(sample_db()) + " --listen nonsense").first == 2);
    CHECK(run(search_bin() + " serve --db " + quote(sample_db()) + " --threads 0").first == 2);
    CHECK(run(search_bin() + " serve --db " + quote(sample_db()) + " --static " + quote(dir / "none")).first == 2);
    CHECK(run(search_bin() + " serve").first == 2);
  }
}

TEST_CASE("the answer cache keeps recency_halflife and now apart", "[server]") {
  Running s(options_for(sample_db()));
  // The default answer is cached first; a request that turns freshness off,
  // or moves its reference, must not get it back.
  json fresh = search(s.port(), "q=nvidia&facets=0");
  json plain = search(s.port(), "q=nvidia&facets=0&recency_halflife=0");
  json later = search(s.port(), "q=nvidia&facets=0&now=2030-01-01");
  auto [rc, out] =
      run(search_bin() + " --db " + quote(sample_db()) + " --json --no-expand --recency-halflife 0 nvidia");
  REQUIRE(rc == 0);
  CHECK(plain == json::parse(out));
  CHECK(plain != fresh);
  CHECK(later != fresh);
}

// In this program for its helpers: the batch command's input is as untrusted
// as the API's.
TEST_CASE("batch refuses a limit or offset that is not a whole number in range, per line", "[cli]") {
  TempDir dir;
  const std::string input = dir / "queries.jsonl";
  std::ofstream(input) << "{\"q\": \"nvidia\", \"limit\": 1e30}\n"
                       << "{\"q\": \"nvidia\", \"limit\": -1}\n"
                       << "{\"q\": \"nvidia\", \"limit\": 2.5}\n"
                       << "{\"q\": \"nvidia\", \"offset\": -1e300}\n"
                       << "{\"q\": \"nvidia\", \"limit\": 2}\n";
  auto [rc, out] = run(search_bin() + " batch --db " + quote(sample_db()) + " --no-expand <" + quote(input));
  REQUIRE(rc == 0);
  std::istringstream lines(out);
  std::vector<json> answers;
  for (std::string line; std::getline(lines, line);) answers.push_back(json::parse(line));
  REQUIRE(answers.size() == 5);
  for (int i = 0; i < 3; ++i) {
    INFO(answers[static_cast<std::size_t>(i)].dump());
    CHECK(answers[static_cast<std::size_t>(i)].value("error", "").find("limit must be a whole number") !=
          std::string::npos);
  }
  CHECK(answers[3].value("error", "").find("offset must be a whole number") != std::string::npos);
  CHECK(!answers[4].contains("error"));
  CHECK(answers[4]["ids"].size() == 2);
}
