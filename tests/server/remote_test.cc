// Remote shards: three databases of the sample articles served by
// xapian-tcpsrv on 127.0.0.1 and searched through a stub, with one server
// killed, one "server" that accepts connections and never answers, /healthz
// naming the shard that is down, and scripts/serve-shards writing a stub the
// searcher opens. Skips when xapian-tcpsrv is not installed.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include <xinwen/db.h>
#include <xinwen/errors.h>
#include <xinwen/http/server.h>
#include <xinwen/search.h>

#include "test_util.h"

using nlohmann::json;
using namespace xinwen;
using namespace xinwen::test;

namespace {

std::string tcpsrv() {
  for (const char* p : {"/usr/bin/xapian-tcpsrv", "/usr/local/bin/xapian-tcpsrv"})
    if (::access(p, X_OK) == 0) return p;
  return {};
}

// A port the kernel says is free now.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// xapian-tcpsrv serving one database on a free port; killed when the object dies.
class ShardServer {
 public:
  explicit ShardServer(const std::string& db, int port = 0) : port_(port ? port : free_port()) {
    const std::string bin = tcpsrv();
    const std::string port_text = std::to_string(port_);
    std::fflush(nullptr);  // else the child writes out this process's buffered output too
    pid_ = ::fork();
    if (pid_ == 0) {
      // A group of its own: xapian-tcpsrv serves each connection in a child,
      // and a shard that goes down takes those with it.
      ::setpgid(0, 0);
      ::freopen("/dev/null", "w", stdout);
      ::freopen("/dev/null", "w", stderr);
      ::execl(bin.c_str(), bin.c_str(), "--quiet", "--interface", "127.0.0.1", "--port", port_text.c_str(), db.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    for (int i = 0; i < 200 && !accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(accepts(port_));
  }
  ~ShardServer() { kill(); }
  ShardServer(const ShardServer&) = delete;
  ShardServer& operator=(const ShardServer&) = delete;
  void kill() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int port() const { return port_; }
  std::string name() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  pid_t pid_ = -1;
};

// A socket that listens (so connections are accepted by the kernel) and is
// never read: a shard that hangs.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  std::string name() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The samples cut into three databases; each article is in one of them.
struct ThreeShards {
  TempDir dir;
  std::vector<std::string> dbs;
  ThreeShards() {
    std::ifstream in(samples_dir() + "/news.jsonl");
    std::string line;
    std::vector<std::string> parts(3);
    for (int n = 0; std::getline(in, line); ++n) parts[n % 3] += line + "\n";
    for (int i = 0; i < 3; ++i) {
      const std::string input = dir / ("part" + std::to_string(i) + ".jsonl");
      spit(input, parts[i]);
      dbs.push_back(dir / ("shard" + std::to_string(i)));
      RunResult r = run(index_bin() + " add --db " + sh_quote(dbs.back()) + " " + sh_quote(input));
      REQUIRE(r.status == 0);
    }
  }
};

void require_tcpsrv() {
  if (tcpsrv().empty()) skip_test("xapian-tcpsrv is not installed (Debian: xapian-tools)");
}

SearchRequest request(const std::string& q) {
  SearchRequest r;
  r.query = q;
  r.limit = 50;
  r.expand = false;
  return r;
}

SearcherOptions short_timeout(bool allow_partial = false) {
  SearcherOptions o;
  o.open.remote_timeout = 1;
  o.open.allow_partial = allow_partial;
  return o;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ShardUnavailable& e) {
    return e.what();
  }
  return "(no ShardUnavailable)";
}

// The matches of a query on each local database, for comparison.
Xapian::doccount local_total(const std::vector<std::string>& dbs, const std::string& q) {
  Xapian::doccount n = 0;
  for (const std::string& db : dbs) n += Searcher(db).search(request(q)).total;
  return n;
}

}  // namespace

TEST_CASE("a stub mixing remote and local shards searches every shard", "[remote]") {
  require_tcpsrv();
  ThreeShards s;
  ShardServer a(s.dbs[0]), b(s.dbs[1]);
  const std::string stub = s.dir / "stub";
  spit(stub, "# two remote shards and a local one\nremote " + a.name() + "\n\ntcp 127.0.0.1 " +
                 std::to_string(b.port()) + "\nauto shard2\n");
  Searcher searcher(stub, short_timeout());
  REQUIRE(searcher.shards().size() == 3);
  CHECK(searcher.shards()[0].name == a.name());
  CHECK(searcher.shards()[0].remote);
  CHECK(searcher.shards()[2].name == "shard2");
  CHECK_FALSE(searcher.shards()[2].remote);
  const Xapian::doccount want = local_total(s.dbs, "the");
  REQUIRE(want > 0);
  SearchResponse r = searcher.search(request("the"));
  CHECK(r.total == want);
  CHECK_FALSE(r.partial);
  CHECK(json::parse(to_json(r).dump()).count("missing_shards") == 0);
}

TEST_CASE("a killed shard server is named, or left out when partial answers are allowed", "[remote]") {
  require_tcpsrv();
  ThreeShards s;
  ShardServer a(s.dbs[0]), b(s.dbs[1]), c(s.dbs[2]);
  const std::string stub = s.dir / "stub";
  spit(stub, "remote " + a.name() + "\nremote " + b.name() + "\nremote " + c.name() + "\n");
  Searcher strict(stub, short_timeout());
  Searcher lenient(stub, short_timeout(true));
  REQUIRE(strict.search(request("the")).total == local_total(s.dbs, "the"));
  b.kill();

  // Open before the kill: the search finds out.
  CHECK(message_of([&] { strict.search(request("the")); }).find("shard " + b.name() + ": ") != std::string::npos);
  SearchResponse r = lenient.search(request("the"));
  CHECK(r.partial);
  CHECK(r.missing_shards == std::vector<std::string>{b.name()});
  CHECK(r.total == local_total({s.dbs[0], s.dbs[2]}, "the"));
  json j = to_json(r);
  CHECK(j["partial"] == true);
  CHECK(j["missing_shards"] == json::array({b.name()}));

  // A request may ask for a partial answer of a searcher that does not give one by default.
  SearchRequest ask = request("the");
  ask.allow_partial = true;
  CHECK(strict.search(ask).missing_shards == std::vector<std::string>{b.name()});

  // Opening while it is down.
  CHECK(message_of([&] { Searcher(stub, short_timeout()); }) == "shard " + b.name() + ": connection refused");
  Searcher late(stub, short_timeout(true));
  CHECK(late.search(request("the")).missing_shards == std::vector<std::string>{b.name()});
}

TEST_CASE("a shard that comes back is searched again, once the retry interval has passed", "[remote]") {
  require_tcpsrv();
  ThreeShards s;
  ShardServer a(s.dbs[0]);
  auto b = std::make_unique<ShardServer>(s.dbs[1]);
  const int b_port = b->port();
  const std::string b_name = b->name();
  const std::string stub = s.dir / "stub";
  spit(stub, "remote " + a.name() + "\nremote " + b_name + "\n");
  SearcherOptions soon = short_timeout(true), late = short_timeout(true);
  soon.shard_retry_seconds = 0;
  late.shard_retry_seconds = 3600;
  b.reset();
  Searcher retries(stub, soon), waits(stub, late);
  REQUIRE(retries.search(request("the")).missing_shards == std::vector<std::string>{b_name});
  REQUIRE(waits.search(request("the")).missing_shards == std::vector<std::string>{b_name});
  b = std::make_unique<ShardServer>(s.dbs[1], b_port);
  SearchResponse back = retries.search(request("the"));
  CHECK(back.missing_shards.empty());
  CHECK_FALSE(back.partial);
  CHECK(back.total == local_total({s.dbs[0], s.dbs[1]}, "the"));
  // Not before its interval: a dead shard costs no connection attempt per search.
  CHECK(waits.search(request("the")).missing_shards == std::vector<std::string>{b_name});
}

TEST_CASE("a shard that accepts connections and never answers times out instead of hanging", "[remote]") {
  require_tcpsrv();
  ThreeShards s;
  ShardServer a(s.dbs[0]);
  SilentListener silent;
  const std::string stub = s.dir / "stub";
  spit(stub, "remote " + a.name() + "\nremote " + silent.name() + "\n");
  auto strict = std::async(std::launch::async, [&] { return message_of([&] { Searcher(stub, short_timeout()); }); });
  REQUIRE(strict.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(strict.get() == "shard " + silent.name() + ": timed out after 1 s");
  auto partial = std::async(std::launch::async, [&] {
    Searcher searcher(stub, short_timeout(true));
    return searcher.search(request("the"));
  });
  REQUIRE(partial.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  SearchResponse r = partial.get();
  CHECK(r.missing_shards == std::vector<std::string>{silent.name()});
  CHECK(r.total == local_total({s.dbs[0]}, "the"));
}

TEST_CASE("the command line names a shard that is down and exits 3", "[remote]") {
  require_tcpsrv();
  ThreeShards s;
  ShardServer a(s.dbs[0]), b(s.dbs[1]);
  const std::string stub = s.dir / "stub";
  spit(stub, "remote " + a.name() + "\nremote " + b.name() + "\n");
  b.kill();
  const std::string cmd = search_bin() + " --db " + sh_quote(stub) + " --remote-timeout 1 ";
  RunResult strict = run(cmd + "the");
  CHECK(strict.status == kExitUnavailable);
  CHECK(strict.err == "xinwen-search: shard " + b.name() + ": connection refused\n");
  RunResult partial = run(cmd + "--allow-partial --json the");
  REQUIRE(partial.status == 0);
  json j = json::parse(partial.out);
  CHECK(j["partial"] == true);
  CHECK(j["missing_shards"] == json::array({b.name()}));
}

TEST_CASE("healthz names the shard that is down, and searches say which shard failed", "[remote]") {
  require_tcpsrv();
  ThreeShards s;
  ShardServer a(s.dbs[0]), b(s.dbs[1]);
  const std::string stub = s.dir / "stub";
  spit(stub, "remote " + a.name() + "\nremote " + b.name() + "\nauto shard2\n");
  for (bool allow_partial : {false, true}) {
    ServerOptions o;
    o.db = stub;
    o.port = 0;
    o.threads = 1;
    o.remote_timeout = 1;
    // The time limit stops a match with a MatchDecider, which the remote
    // backend does not take.
    o.search_time_limit = 0;
    o.allow_partial = allow_partial;
    HttpServer server(o);
    const int port = server.bind();
    std::thread t([&] { server.run(); });
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    auto health = client.Get("/healthz");
    REQUIRE(health);
    if (!allow_partial) {
      CHECK(health->status == 200);
      json h = json::parse(health->body);
      CHECK(h["status"] == "ok");
      REQUIRE(h["shards"].size() == 3);
      CHECK(h["shards"][1]["name"] == b.name());
      CHECK(h["shards"][1]["status"] == "ok");
      b.kill();
      health = client.Get("/healthz");
      REQUIRE(health);
    }
    INFO(health->body);
    json h = json::parse(health->body);
    CHECK(health->status == (allow_partial ? 200 : 503));
    CHECK(h["status"] == (allow_partial ? "degraded" : "unavailable"));
    CHECK(h["shards"][1]["name"] == b.name());
    CHECK(h["shards"][1]["status"] == "down");
    CHECK(h["shards"][1]["error"] == "connection refused");
    CHECK(h["shards"][0]["status"] == "ok");
    CHECK(h["shards"][2]["status"] == "ok");

    auto strict = client.Get("/api/search?q=the&partial=0");
    REQUIRE(strict);
    CHECK(strict->status == 503);
    CHECK(json::parse(strict->body)["error"] == "shard " + b.name() + ": connection refused");
    auto partial = client.Get("/api/search?q=the&partial=1");
    REQUIRE(partial);
    CHECK(partial->status == 200);
    CHECK(json::parse(partial->body)["missing_shards"] == json::array({b.name()}));
    auto by_default = client.Get("/api/search?q=the");
    REQUIRE(by_default);
    CHECK(by_default->status == (allow_partial ? 200 : 503));
    server.stop();
    t.join();
  }
}

TEST_CASE("serve-shards serves each shard of an index and writes a stub the searcher opens", "[remote]") {
  require_tcpsrv();
  ThreeShards s;
  const std::string index = s.dir / "index";
  std::filesystem::create_directory(index);
  for (int i = 0; i < 3; ++i) std::filesystem::rename(s.dbs[i], index + "/shard" + std::to_string(i));
  spit(index + "/XAPIANDB", "auto shard0\nauto shard1\nauto shard2\n");
  const std::string stub = s.dir / "remote-stub";
  const std::string script = std::string(XINWEN_SOURCE_DIR) + "/scripts/serve-shards";
  // Three consecutive free ports: a few tries at most.
  RunResult started;
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int first = free_port();
    if (first > 65000) continue;
    started = run(script + " --port " + std::to_string(first) + " --stub " + sh_quote(stub) + " " + sh_quote(index));
    if (started.status == 0) break;
  }
  REQUIRE(started.status == 0);
  struct Stop {
    std::string cmd;
    ~Stop() { run(cmd); }
  } stop{script + " --stop --pid-file " + sh_quote(stub + ".pids")};
  const std::string text = slurp(stub);
  CHECK(text.find("remote 127.0.0.1:") != std::string::npos);
  Searcher searcher(stub, short_timeout());
  REQUIRE(searcher.shards().size() == 3);
  for (const ShardStatus& st : searcher.shards()) CHECK(st.remote);
  CHECK(searcher.search(request("the")).total == Searcher(index).search(request("the")).total);
}

TEST_CASE("stub lines are read as Xapian reads them, nested stubs too, and a missing local shard is named",
          "[remote]") {
  ThreeShards s;
  const std::string nested = s.dir / "nested";
  std::filesystem::create_directory(nested);
  std::filesystem::rename(s.dbs[2], nested + "/shard2");
  spit(nested + "/XAPIANDB", "auto shard2\n");
  const std::string stub = s.dir / "stub";
  spit(stub, "# comment\n\nauto shard0\r\nglass " + s.dbs[1] + "\nauto nested\n");
  OpenedDatabase opened = open_shards(stub);
  REQUIRE(opened.shards.size() == 3);
  CHECK(opened.shards[0].name == "shard0");
  CHECK(opened.shards[2].name == "nested/shard2");
  CHECK(opened.db.get_doccount() ==
        opened.shards[0].documents + opened.shards[1].documents + opened.shards[2].documents);

  spit(stub, "auto shard0\nauto gone\n");
  CHECK(message_of([&] { open_shards(stub); }) == "shard gone: no database there");
  OpenOptions partial;
  partial.allow_partial = true;
  opened = open_shards(stub, partial);
  CHECK_FALSE(opened.shards[1].ok);
  CHECK(opened.shard_dbs.size() == 1);

  spit(stub, "auto shard0\nremote nowhere\n");
  try {
    open_shards(stub);
    FAIL("a bad line was accepted");
  } catch (const EnvironmentError& e) {
    CHECK(std::string(e.what()).find("bad line 2 in stub database") != std::string::npos);
  }
}
