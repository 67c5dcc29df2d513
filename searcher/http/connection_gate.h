// Where every connection waits until its request has arrived. One thread
// polls all of them and reads what they send without blocking; a connection
// is handed on (to the worker pool, see server.cc) only once the whole head of
// a request is in its buffer, so a client that trickles its headers costs a
// file descriptor and a few bytes, never a search worker. The gate also sets
// the header deadline, the cap on open connections and the cap per client
// address. Used by server.cc: admit() from cpp-httplib's accepting thread,
// resume() from workers, stop() once; all are thread-safe.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace xinwen {

class ConnectionGate;

// One client connection. Owned by the gate while it waits and by a worker
// while it is answered; closed when the last owner lets go.
struct Connection {
  Connection(int fd, ConnectionGate* gate, std::string address, int port, bool counted);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const int fd;
  ConnectionGate* const gate;
  const std::string address;  // the client's IP address
  const int port;
  const bool counted;   // in the gate's counts (refused connections are not)
  bool refuse = false;  // answer 503 once the request has arrived
  std::string buffer;   // bytes received and not yet read by the request parser
  std::size_t consumed = 0;
  std::size_t requests = 0;  // answered on this connection
  bool idle = false;         // kept alive, waiting for the next request's first byte
  std::chrono::steady_clock::time_point deadline{};
};

struct GateLimits {
  double header_timeout = 10;     // seconds for a request's head to arrive
  double keep_alive_timeout = 2;  // seconds an idle kept-alive connection may wait
  std::size_t max_connections = 400;
  std::size_t max_per_client = 64;  // 0: no cap
  std::size_t max_head_bytes = 32768;
};

// A cpp-httplib stream over a gated connection: its buffer first, then the
// socket with the read and write timeouts.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(Connection& c, int read_timeout, int write_timeout)
      : c_(c), read_timeout_(read_timeout), write_timeout_(write_timeout) {}
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return c_.fd; }

 private:
  Connection& c_;
  int read_timeout_, write_timeout_;
};

class ConnectionGate {
 public:
  using Dispatch = std::function<void(std::shared_ptr<Connection>)>;

  // ready gets a connection whose request head has arrived; refuse gets one
  // over a cap, also once its head has arrived, to be answered 503.
  ConnectionGate(GateLimits limits, Dispatch ready, Dispatch refuse);
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Takes an accepted socket (and closes it in the end).
  void admit(int fd);
  // Takes back a connection after an answer, to wait for its next request.
  void resume(std::shared_ptr<Connection> c);
  // Closes every waiting connection; later ones are closed at once.
  void stop();

  // Connections refused while over a cap wait for their request at most this
  // long, and at most this many at once; past that they are closed unanswered.
  static constexpr double kRefuseWaitSeconds = 2;
  static constexpr std::size_t kMaxRefusing = 256;

 private:
  friend struct Connection;
  void forget(const Connection& c);
  void loop();
  void wake();

  const GateLimits limits_;
  const Dispatch ready_, refuse_;
  int wake_fd_ = -1;
  std::mutex mutex_;  // guards the members below
  std::vector<std::shared_ptr<Connection>> inbox_;
  std::unordered_map<std::string, std::size_t> per_client_;
  std::size_t open_ = 0, refusing_ = 0;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace xinwen
