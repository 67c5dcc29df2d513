#include "connection_gate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "log.h"
#include "responses.h"

namespace xinwen {
namespace {

using Clock = std::chrono::steady_clock;

bool wait_for(int fd, short events, int seconds) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = ::poll(&p, 1, seconds * 1000);
  } while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

void address_of(const sockaddr_storage& ss, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
  }
  ip = text;
}

// True once the buffer holds a request's whole head (an empty line).
bool head_complete(const Connection& c) {
  std::string_view rest(c.buffer);
  rest.remove_prefix(c.consumed);
  return rest.find("\r\n\r\n") != std::string_view::npos || rest.find("\n\n") != std::string_view::npos;
}

// Answers a connection that is to be closed before it reaches a worker. The
// answer is small: it fits the socket's buffer, so the send does not block.
void answer_and_close(Connection& c, int status, const std::string& message) {
  std::string bytes = raw_error_response(status, message);
  [[maybe_unused]] ssize_t n = ::send(c.fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(c.fd, SHUT_WR);
}

}  // namespace

Connection::Connection(int f, ConnectionGate* g, std::string a, int p, bool c)
    : fd(f), gate(g), address(std::move(a)), port(p), counted(c) {}

Connection::~Connection() {
  ::close(fd);
  gate->forget(*this);
}

bool ConnectionStream::is_readable() const {
  return c_.consumed < c_.buffer.size() || wait_for(c_.fd, POLLIN, read_timeout_);
}

bool ConnectionStream::is_writable() const { return wait_for(c_.fd, POLLOUT, write_timeout_); }

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (c_.consumed < c_.buffer.size()) {
    std::size_t n = std::min(size, c_.buffer.size() - c_.consumed);
    std::memcpy(ptr, c_.buffer.data() + c_.consumed, n);
    c_.consumed += n;
    return static_cast<ssize_t>(n);
  }
  if (!wait_for(c_.fd, POLLIN, read_timeout_)) return -1;
  return ::recv(c_.fd, ptr, size, MSG_DONTWAIT);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!wait_for(c_.fd, POLLOUT, write_timeout_)) return -1;
  return ::send(c_.fd, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = c_.address;
  port = c_.port;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  port = 0;
  ip.clear();
  if (::getsockname(c_.fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) address_of(ss, ip, port);
}

ConnectionGate::ConnectionGate(GateLimits limits, Dispatch ready, Dispatch refuse)
    : limits_(limits), ready_(std::move(ready)), refuse_(std::move(refuse)) {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  thread_ = std::thread([this] { loop(); });
}

ConnectionGate::~ConnectionGate() {
  stop();
  ::close(wake_fd_);
}

void ConnectionGate::wake() {
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void ConnectionGate::admit(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  std::string ip;
  int port = 0;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) address_of(ss, ip, port);
  std::shared_ptr<Connection> c;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool over =
        open_ >= limits_.max_connections || (limits_.max_per_client > 0 && per_client_[ip] >= limits_.max_per_client);
    if (stopped_ || (over && refusing_ >= kMaxRefusing)) {
      ::close(fd);
      return;
    }
    if (over) {
      ++refusing_;
    } else {
      ++open_;
      ++per_client_[ip];
    }
    c = std::make_shared<Connection>(fd, this, ip, port, !over);
    c->refuse = over;
    c->deadline =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                           over ? std::min(kRefuseWaitSeconds, limits_.header_timeout) : limits_.header_timeout));
    inbox_.push_back(c);
  }
  wake();
}

void ConnectionGate::resume(std::shared_ptr<Connection> c) {
  c->buffer.erase(0, c->consumed);
  c->consumed = 0;
  c->idle = c->buffer.empty();
  c->deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                   c->idle ? limits_.keep_alive_timeout : limits_.header_timeout));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;  // c closes here
    inbox_.push_back(std::move(c));
  }
  wake();
}

void ConnectionGate::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  wake();
  thread_.join();
  std::vector<std::shared_ptr<Connection>> left;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    left.swap(inbox_);
  }
}

void ConnectionGate::forget(const Connection& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!c.counted) {
    --refusing_;
    return;
  }
  --open_;
  auto it = per_client_.find(c.address);
  if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
}

void ConnectionGate::loop() {
  std::vector<std::shared_ptr<Connection>> held;
  std::vector<pollfd> fds;
  std::vector<char> chunk(16384);
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) break;
      for (auto& c : inbox_) held.push_back(std::move(c));
      inbox_.clear();
    }
    std::uint64_t count;
    while (::read(wake_fd_, &count, sizeof count) > 0) {
    }

    // Reads what has come, then hands on, answers or drops each connection.
    const Clock::time_point now = Clock::now();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < held.size(); ++i) {
      std::shared_ptr<Connection>& c = held[i];
      const bool readable = i < fds.size() && fds[i].fd == c->fd && (fds[i].revents & (POLLIN | POLLHUP | POLLERR));
      bool closed = false;
      if (readable) {
        std::size_t room = limits_.max_head_bytes + 1 - std::min(limits_.max_head_bytes, c->buffer.size());
        ssize_t n = ::recv(c->fd, chunk.data(), std::min(room, chunk.size()), MSG_DONTWAIT);
        if (n > 0)
          c->buffer.append(chunk.data(), static_cast<std::size_t>(n));
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
          closed = true;
      }
      if (c->idle && c->buffer.size() > c->consumed) {
        c->idle = false;
        c->deadline =
            now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limits_.header_timeout));
      }
      if (closed) continue;  // dropped: the client went away
      if (head_complete(*c)) {
        (c->refuse ? refuse_ : ready_)(std::move(c));
        continue;
      }
      if (c->buffer.size() - c->consumed > limits_.max_head_bytes) {
        answer_and_close(*c, 431, "request headers are too large");
        continue;
      }
      if (now >= c->deadline) {
        if (c->refuse)
          answer_and_close(*c, 503, "the server is busy; try again shortly");
        else if (!c->idle)
          answer_and_close(*c, 408, "the request did not arrive in time");
        continue;
      }
      if (kept != i) held[kept] = std::move(c);
      ++kept;
    }
    held.resize(kept);

    fds.clear();
    Clock::time_point next = now + std::chrono::seconds(1);
    for (const auto& c : held) {
      fds.push_back(pollfd{c->fd, POLLIN, 0});
      next = std::min(next, c->deadline);
    }
    fds.push_back(pollfd{wake_fd_, POLLIN, 0});
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count() + 1;
    int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait, 0, 1000)));
    if (n < 0 && errno != EINTR) server_log(std::string("poll failed: ") + std::strerror(errno));
  }
  held.clear();
}

}  // namespace xinwen
