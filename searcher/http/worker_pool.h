// The server's worker threads. The connection gate hands every connection
// whose request has arrived to this TaskQueue, which runs them on a fixed set
// of threads, each of which owns a Worker (one Xapian reader per thread). When every worker is busy and
// `queue` connections already wait, a new connection is handed to a separate
// thread that answers it 503 instead of letting it wait. Used by server.cc;
// enqueue() and refuse() are called by the gate's thread, shutdown() once.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <xinwen/bounded_queue.h>
#include <xinwen/search.h>

namespace xinwen {

// What one worker thread keeps between requests.
struct Worker {
  std::unique_ptr<Searcher> searcher;
  std::chrono::steady_clock::time_point checked{};  // when the reader last looked for a new commit
  std::string identity;                             // what the reader sees (see database_identity)
  std::string location;                             // database_location() when the reader was opened
  std::string uuid;                                 // the database's UUID then
  unsigned shard_generation = 0;                    // Searcher::shard_generation() then
};

// The worker running the calling thread; null outside the pool.
Worker* current_worker();

// True while the calling thread runs a connection that is to be refused
// (answered 503 because the pool is full).
bool refusing_connection();

class WorkerPool final : public httplib::TaskQueue {
 public:
  // Connections refused while another refusal is running wait here; past
  // this, the accepting thread refuses them itself.
  static constexpr std::size_t kRejectBacklog = 256;

  // warm_up runs on each worker thread before it takes its first connection.
  WorkerPool(std::size_t threads, std::size_t queue, std::function<void(Worker&)> warm_up);
  ~WorkerPool() override;

  void enqueue(std::function<void()> fn) override;
  // Runs fn as a refused connection (refusing_connection() true), on the
  // refusal thread or, when its backlog is full, on the calling thread.
  void refuse(std::function<void()> fn);
  void shutdown() override;

 private:
  void work(Worker& w);
  void reject_loop();

  // Connections accepted but not yet done: waiting, running, plus workers
  // still warming up (they cannot take one yet). A connection is accepted
  // while this is under threads + queue, which is the same as "fewer wait
  // than there are idle workers plus `queue`".
  std::atomic<std::size_t> outstanding_;
  const std::size_t max_outstanding_;
  std::function<void(Worker&)> warm_up_;
  BoundedQueue<std::function<void()>> jobs_, rejects_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::thread reject_thread_;
  std::atomic<bool> stopped_{false};
};

}  // namespace xinwen
