// Fuzzes the HTTP server with raw request bytes. cpp-httplib reads requests
// only from a socket, so the target starts a real HttpServer on 127.0.0.1 over
// a small database made at start-up, and sends each input down a fresh
// loopback connection, closes its sending side and reads the answer to the
// end. The server's screening, parameter checks, routes and the searches
// behind them all run on the input. State: one server for the whole run.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <xinwen/article.h>
#include <xinwen/http/server.h>
#include <xinwen/writer.h>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "fuzz_util.h"

namespace {

int start_server() {
  char dir_template[] = "/tmp/xinwen-http-fuzz-XXXXXX";
  if (!mkdtemp(dir_template)) std::abort();
  const std::string db = std::string(dir_template) + "/db";
  {
    xinwen::Indexer indexer(db);
    const char* titles[] = {"Chip export rules tighten", "輝達發布新晶片", "央行宣布降息"};
    for (int i = 0; i < 3; ++i) {
      xinwen::Article article;
      article.url = "https://example.com/" + std::to_string(i);
      article.title = titles[i];
      article.body = std::string(titles[i]) + " banks markets semiconductors 银行 市场";
      article.published = "2025-06-0" + std::to_string(i + 1) + "T08:00:00Z";
      article.source = i ? "Xinhua" : "Reuters";
      article.lang = i ? "zh" : "en";
      article.tags = {"markets"};
      indexer.add(article);
    }
    indexer.finish();
  }
  xinwen::ServerOptions options;
  options.db = db;
  options.port = 0;
  options.threads = 2;
  options.queue = 8;
  options.static_dir = xinwen::default_static_dir();
  options.cache_entries = 0;  // every request reaches its route
  options.reopen_interval = 0;
  options.cors_origins = {"https://news.example.com"};
  // Never destroyed: the server runs until the process ends.
  auto* server = new xinwen::HttpServer(options);
  const int port = server->bind();
  std::thread([server] { server->run(); }).detach();
  return port;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int port = start_server();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // The server may still be starting: retry for a bounded while.
  for (int attempt = 0; connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0; ++attempt) {
    if (attempt == 100) std::abort();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (std::size_t sent = 0; sent < size;) {
    const auto n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading it all
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  char buffer[4096];
  while (recv(fd, buffer, sizeof buffer, 0) > 0) {
  }
  close(fd);
  return 0;
}
