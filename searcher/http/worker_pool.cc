#include "worker_pool.h"

#include <exception>

#include "log.h"

namespace xinwen {
namespace {

thread_local Worker* tl_worker = nullptr;  // the worker running this thread
thread_local bool tl_refusing = false;     // this connection is to be refused

void run_guarded(std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    server_log(std::string("connection failed: ") + e.what());
  } catch (...) {
    server_log("connection failed");
  }
}

void run_refusing(std::function<void()>& fn) {
  tl_refusing = true;
  run_guarded(fn);
  tl_refusing = false;
}

}  // namespace

Worker* current_worker() { return tl_worker; }

bool refusing_connection() { return tl_refusing; }

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue, std::function<void(Worker&)> warm_up)
    : outstanding_(threads),
      max_outstanding_(threads + queue),
      warm_up_(std::move(warm_up)),
      jobs_(threads + queue),
      rejects_(kRejectBacklog) {
  for (std::size_t i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
  for (auto& w : workers_) threads_.emplace_back([this, p = w.get()] { work(*p); });
  reject_thread_ = std::thread([this] { reject_loop(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) {
  std::size_t n = outstanding_.load();
  while (n < max_outstanding_ && !outstanding_.compare_exchange_weak(n, n + 1)) {
  }
  if (n < max_outstanding_) {
    // The count leaves room in the queue; it refuses only once shut down.
    if (jobs_.try_push(fn)) return;
    --outstanding_;
  }
  refuse(std::move(fn));
}

void WorkerPool::refuse(std::function<void()> fn) {
  if (!rejects_.try_push(fn)) run_refusing(fn);
}

void WorkerPool::shutdown() {
  if (stopped_.exchange(true)) return;
  // Both queues are drained before their threads end.
  jobs_.close();
  rejects_.close();
  for (std::thread& t : threads_) t.join();
  reject_thread_.join();
}

void WorkerPool::work(Worker& w) {
  tl_worker = &w;
  if (warm_up_) warm_up_(w);
  --outstanding_;
  while (std::optional<std::function<void()>> fn = jobs_.pop()) {
    run_guarded(*fn);
    --outstanding_;
  }
  w.searcher.reset();
  tl_worker = nullptr;
}

void WorkerPool::reject_loop() {
  while (std::optional<std::function<void()>> fn = rejects_.pop()) run_refusing(*fn);
}

}  // namespace xinwen
