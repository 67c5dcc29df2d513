// A reader that searches a database over and over on its own thread while a
// test writes to it: the tests of concurrent commits and compaction swaps use
// it to prove that every search in the meantime succeeds.
#pragma once

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <xinwen/search.h>

namespace xinwen::test {

class BackgroundSearches {
 public:
  // Searches query in db until stop(); when expected_total is set, a search
  // that finds another number of articles counts as a failure.
  BackgroundSearches(std::string db, std::string query, std::optional<Xapian::doccount> expected_total = {})
      : thread_([this, db = std::move(db), query = std::move(query), expected_total] {
          Searcher searcher(db);
          SearchRequest req;
          req.query = query;
          while (!done_) {
            try {
              searcher.reopen();
              SearchResponse r = searcher.search(req);
              if (expected_total && r.total != *expected_total)
                throw std::runtime_error("found " + std::to_string(r.total) + " articles for " + query);
              ++searches_;
            } catch (const std::exception& e) {
              if (failures_++ == 0) failure_ = e.what();
            }
          }
        }) {}
  ~BackgroundSearches() { stop(); }
  BackgroundSearches(const BackgroundSearches&) = delete;
  BackgroundSearches& operator=(const BackgroundSearches&) = delete;

  void stop() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int searches() const { return searches_; }
  int failures() const { return failures_; }
  // The first failure's message; read after stop().
  const std::string& first_failure() const { return failure_; }

 private:
  std::atomic<bool> done_{false};
  std::atomic<int> searches_{0}, failures_{0};
  std::string failure_;
  std::thread thread_;
};

}  // namespace xinwen::test
