// The local HTTP server of the fetcher's tests: fixture_server.py, started on
// 127.0.0.1 on a free port when a test needs it, and killed when the test
// ends (it also exits by itself after a few minutes, or when its parent dies).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include <xinwen/fetch/http_client.h>
#include "test_util.h"

namespace xinwen::test {

inline std::string fixtures_dir() { return XINWEN_FETCH_FIXTURES; }

// A fixture file with {{BASE}} replaced, as the server would send it.
inline std::string fixture(const std::string& name, const std::string& base = "http://fixtures.test") {
  std::string text = slurp(fixtures_dir() + "/" + name);
  if (text.empty()) throw std::runtime_error("missing fixture " + name);
  for (std::size_t p = text.find("{{BASE}}"); p != std::string::npos; p = text.find("{{BASE}}", p))
    text.replace(p, 8, base);
  return text;
}

class FixtureServer {
 public:
  explicit FixtureServer(const std::string& extra_args = "") {
    const std::string python = XINWEN_PYTHON;
    if (python.empty() || access(python.c_str(), X_OK) != 0) {
      why_ = python.empty() ? "python3 was not found when the tests were configured"
                            : python + " (found when the tests were configured) is not there";
      missing_python_ = true;
      return;
    }
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::string cmd =
          "exec " + sh_quote(python) + " " + sh_quote(XINWEN_FIXTURE_SERVER) + " --lifetime 600 " + extra_args;
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    // Wait (bounded) for "port N".
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[64];
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    close(out[0]);
    if (line.rfind("port ", 0) == 0) port_ = std::stoi(line.substr(5));
    if (port_ <= 0) {
      why_ = "the fixture server did not start";
      stop();
    }
  }
  ~FixtureServer() { stop(); }
  FixtureServer(const FixtureServer&) = delete;
  FixtureServer& operator=(const FixtureServer&) = delete;

  // False (with a reason) when the server is not running.
  bool available() const { return port_ > 0; }
  // True when that is because there is no python3 to run it: the test skips.
  bool missing_python() const { return missing_python_; }
  const std::string& why_not() const { return why_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string url(const std::string& path) const { return base() + path; }

 private:
  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
  pid_t pid_ = -1;
  int port_ = 0;
  bool missing_python_ = false;
  std::string why_;
};

// Makes sure the server runs before a test uses it. Without python3 the test
// is skipped (shown as such by CTest, never as passed); a server that python3
// could not start fails the test, since something is broken.
inline void require_server(const FixtureServer& server) {
  if (server.available()) return;
  if (server.missing_python()) skip_test(server.why_not());
  FAIL(server.why_not());
}

// GETs a JSON document from the server (its /_stats or /_requests).
inline nlohmann::json server_json(const FixtureServer& server, const std::string& path) {
  HttpClient client(HttpOptions{});
  nlohmann::json out;
  client.get(HttpRequest{server.url(path), "", "", ""}, [&](HttpResponse&& r) {
    if (r.ok()) out = nlohmann::json::parse(r.body, nullptr, false);
  });
  client.run();
  return out;
}

// The form the tests use; see require_server.
#define XINWEN_REQUIRE_SERVER(server) ::xinwen::test::require_server(server)

}  // namespace xinwen::test
