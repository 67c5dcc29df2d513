#include <xinwen/fetch/fetcher.h>

#include <signal.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <xinwen/article.h>
#include <xinwen/ascii.h>
#include <xinwen/bounded_queue.h>
#include <xinwen/canonical.h>
#include <xinwen/db.h>
#include <xinwen/errors.h>
#include <xinwen/fetch/charset.h>
#include <xinwen/fetch/feed_parser.h>
#include <xinwen/fetch/html_extract.h>
#include <xinwen/fetch/robots.h>
#include <xinwen/fetch/url.h>
#include <xinwen/schema.h>
#include <xinwen/shards.h>

namespace xinwen {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view kValidatorsPrefix = "xinwen.fetch.http:";
// Per page (page mode): its validators and a hash of the feed entry it was
// fetched for, to re-fetch it (conditionally) when the entry changes.
constexpr std::string_view kPagePrefix = "xinwen.fetch.page:";
// Per feed: how many runs in a row it has failed.
constexpr std::string_view kFailuresPrefix = "xinwen.fetch.failures:";
constexpr const char* kFeedAccept =
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";
constexpr const char* kPageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";
constexpr const char* kRobotsAccept = "text/plain, */*;q=0.5";
// Articles waiting for the indexer thread; when full, the network side waits.
constexpr std::size_t kQueueLimit = 256;

struct Validators {
  std::string etag, last_modified;
  bool empty() const { return etag.empty() && last_modified.empty(); }
  bool operator==(const Validators&) const = default;
};

Validators decode_validators(const std::string& value, const std::string& url) {
  Validators v;
  if (value.empty()) return v;
  nlohmann::json j = nlohmann::json::parse(value, nullptr, false);
  // The key is a hash: a value written for another URL is not ours.
  if (!j.is_object() || j.value("url", "") != url) return v;
  v.etag = j.value("etag", "");
  v.last_modified = j.value("last_modified", "");
  return v;
}

struct PageRecord {
  Validators validators;
  std::string entry;  // entry_hash of the feed item; "" if there is no record
};

PageRecord decode_page_record(const std::string& value, const std::string& id) {
  PageRecord p;
  if (value.empty()) return p;
  nlohmann::json j = nlohmann::json::parse(value, nullptr, false);
  if (!j.is_object() || j.value("url", "") != id) return p;
  p.validators.etag = j.value("etag", "");
  p.validators.last_modified = j.value("last_modified", "");
  p.entry = j.value("entry", "");
  return p;
}

std::string encode_page_record(const std::string& id, const PageRecord& p) {
  return nlohmann::json{
      {"url", id}, {"etag", p.validators.etag}, {"last_modified", p.validators.last_modified}, {"entry", p.entry}}
      .dump();
}

std::size_t decode_failures(const std::string& value, const std::string& url) {
  if (value.empty()) return 0;
  nlohmann::json j = nlohmann::json::parse(value, nullptr, false);
  if (!j.is_object() || j.value("url", "") != url) return 0;
  return j.value("runs", std::size_t{0});
}

std::string page_key(const std::string& id) { return std::string(kPagePrefix) + hash_hex(id); }

// What the feed says about an item: a new date or new text means the page
// was updated.
std::string entry_hash(const FeedItem& item) {
  return hash_hex(item.published + '\n' + item.updated + '\n' + item.title + '\n' + item.text);
}

std::string encode_validators(const std::string& url, const Validators& v) {
  if (v.empty()) return {};  // set_metadata with "" deletes the entry
  return nlohmann::json{{"url", url}, {"etag", v.etag}, {"last_modified", v.last_modified}}.dump();
}

// Where articles go, on the indexer thread: the database, or (dry run)
// nowhere, with what would have happened.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual AddResult add(const Article& article) = 0;
  virtual void set_metadata(const std::string& key, const std::string& value) = 0;
  virtual void commit() = 0;  // if anything changed
};

void store_metadata(Indexer& indexer, const std::string& key, const std::string& value) {
  indexer.database().set_metadata(key, value);
}
void store_metadata(ShardedIndexer& indexer, const std::string& key, const std::string& value) {
  indexer.set_metadata(key, value);
}

// Writer is Indexer, or ShardedIndexer for a sharded index (its fetch state
// is kept apart from the shards).
template <typename Writer>
class IndexSink final : public Sink {
 public:
  IndexSink(const std::string& path, const IndexerOptions& options) : indexer_(path, options) {}
  AddResult add(const Article& article) override {
    AddResult r = indexer_.add(article);
    if (r != AddResult::kUnchanged) dirty_ = true;
    return r;
  }
  void set_metadata(const std::string& key, const std::string& value) override {
    store_metadata(indexer_, key, value);
    dirty_ = true;
  }
  void commit() override {
    // Nothing changed (every feed answered 304, say): no new revision, and
    // readers have nothing to reopen.
    if (!dirty_) return;
    indexer_.commit();
    dirty_ = false;
  }

 private:
  Writer indexer_;
  bool dirty_ = false;
};

class DryRunSink final : public Sink {
 public:
  explicit DryRunSink(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) db_ = open_readable(path);
  }
  AddResult add(const Article& a) override {
    if (!seen_.insert(a.id).second) return AddResult::kReplaced;
    if (!db_) return AddResult::kAdded;
    const std::string term = id_term(a.id);
    return with_reopen_retry(*db_, [&](Xapian::Database& db) {
      Xapian::PostingIterator p = db.postlist_begin(term);
      if (p == db.postlist_end(term)) return AddResult::kAdded;
      return db.get_document(*p).get_value(kSlotContentHash) == content_hash(a) ? AddResult::kUnchanged
                                                                                : AddResult::kReplaced;
    });
  }
  void set_metadata(const std::string&, const std::string&) override {}
  void commit() override {}

 private:
  std::optional<Xapian::Database> db_;
  std::unordered_set<std::string> seen_;
};

// The indexer thread: analysis and writing overlap with the transfers and
// parsing on the network side. Tasks run in the order they were queued, so a
// feed's validators are written after its articles, and its report is
// complete when on_feed sees it.
class IndexThread {
 public:
  IndexThread(std::unique_ptr<Sink> sink, const std::function<void(const FeedReport&)>& on_feed)
      : sink_(std::move(sink)), on_feed_(on_feed), thread_([this] { loop(); }) {}
  ~IndexThread() { finish(); }
  IndexThread(const IndexThread&) = delete;
  IndexThread& operator=(const IndexThread&) = delete;

  // Adds an article for feed, then stores metadata (key, value) if given;
  // counts the outcome in its report at the end.
  void add(std::size_t feed, Article article, std::optional<std::pair<std::string, std::string>> metadata = {}) {
    push(Task{feed, std::move(article), std::move(metadata), {}, false});
  }

  // Stores metadata (key, value) alone.
  void set_metadata(std::size_t feed, std::string key, std::string value) {
    push(Task{feed, std::nullopt, std::make_pair(std::move(key), std::move(value)), {}, false});
  }

  // Ends a feed: stores validators (key, value) if given, then reports it.
  void end_feed(std::size_t feed, FeedReport report, std::optional<std::pair<std::string, std::string>> validators) {
    push(Task{feed, std::nullopt, std::move(validators), std::move(report), true});
  }

  // Waits for every task, commits, and returns the reports in the order the
  // feeds ended. Rethrows what the thread failed with.
  std::vector<FeedReport> finish() {
    if (finished_) return std::move(done_);
    finished_ = true;
    tasks_.close();
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    return std::move(done_);
  }

  // True once the thread has failed (the network side then stops).
  bool failed() const { return failed_.load(); }

 private:
  struct Task {
    std::size_t feed;
    std::optional<Article> article;
    std::optional<std::pair<std::string, std::string>> validators;  // or other metadata
    FeedReport report;                                              // for end_feed
    bool ends_feed = false;
  };
  struct Counts {
    std::size_t added = 0, replaced = 0, unchanged = 0;
  };

  // A false push means the thread failed; finish() reports it.
  void push(Task task) { tasks_.push(std::move(task)); }

  void loop() {
    try {
      while (std::optional<Task> task = tasks_.pop()) run(*task);
      sink_->commit();
    } catch (...) {
      error_ = std::current_exception();
      failed_ = true;
      tasks_.abort();
    }
  }

  void run(Task& task) {
    Counts& c = counts_[task.feed];
    if (task.article) {
      switch (sink_->add(*task.article)) {
        case AddResult::kAdded: ++c.added; break;
        case AddResult::kReplaced: ++c.replaced; break;
        case AddResult::kUnchanged: ++c.unchanged; break;
      }
    }
    if (task.validators) sink_->set_metadata(task.validators->first, task.validators->second);
    if (!task.ends_feed) return;
    FeedReport& r = task.report;
    r.added += c.added;
    r.replaced += c.replaced;
    r.unchanged += c.unchanged;
    counts_.erase(task.feed);
    if (on_feed_) on_feed_(r);
    done_.push_back(std::move(r));
  }

  std::unique_ptr<Sink> sink_;
  const std::function<void(const FeedReport&)>& on_feed_;
  BoundedQueue<Task> tasks_{kQueueLimit};
  bool finished_ = false;     // caller's thread only
  std::exception_ptr error_;  // written by the thread before it ends
  std::atomic<bool> failed_{false};
  std::unordered_map<std::size_t, Counts> counts_;  // indexer thread only
  std::vector<FeedReport> done_;                    // indexer thread until joined
  std::thread thread_;                              // last: starts once everything above exists
};

bool is_html_type(const std::string& content_type) {
  const std::string ct = lower_ascii(content_type);
  return ct.empty() || ct.find("html") != std::string::npos || ct.find("text/plain") != std::string::npos;
}

std::string failure_status(const HttpResponse& r) {
  if (r.error == HttpError::kStatus) return "http-" + std::to_string(r.status);
  return http_error_name(r.error);
}

std::string failure_message(const HttpResponse& r) {
  std::string m = r.message;
  if (r.attempts > 1) m += " (after " + std::to_string(r.attempts) + " attempts)";
  return m;
}

void add_tags(std::vector<std::string>& tags, const std::vector<std::string>& more) {
  for (const std::string& t : more)
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
}

// The network side: runs on the calling thread inside HttpClient::run.
// Parses feeds and pages, turns items into articles and hands them to the
// indexer thread.
class FetchRun {
 public:
  FetchRun(HttpClient& client, IndexThread& indexer, std::optional<Xapian::Database> snapshot,
           std::optional<Xapian::Database> state, bool sharded, const std::vector<FeedSource>& sources,
           const FetchOptions& options)
      : client_(client),
        indexer_(indexer),
        snapshot_(std::move(snapshot)),
        state_(std::move(state)),
        sharded_(sharded),
        allow_private_pages_(options.allow_private_pages),
        ignore_robots_(options.ignore_robots),
        user_agent_(options.http.user_agent) {
    feeds_.resize(sources.size());
    for (std::size_t i = 0; i < sources.size(); ++i) {
      FeedState& f = feeds_[i];
      f.source = &sources[i];
      f.report.url = sources[i].url;
      f.report.source = sources[i].name;
    }
  }

  void start() {
    for (std::size_t i = 0; i < feeds_.size(); ++i) {
      FeedState& f = feeds_[i];
      f.start = Clock::now();
      f.stored = decode_validators(metadata(validators_key(f.source->url)), f.source->url);
      f.failures = decode_failures(metadata(failures_key(f.source->url)), f.source->url);
      HttpRequest req{f.source->url, kFeedAccept, f.stored.etag, f.stored.last_modified};
      client_.get(std::move(req), [this, i](HttpResponse&& r) { on_feed_response(i, std::move(r)); });
    }
  }

  // Ends the feeds a stop left unfinished.
  void end_unfinished() {
    for (std::size_t i = 0; i < feeds_.size(); ++i) {
      if (feeds_[i].done) continue;
      feeds_[i].report.status = "interrupted";
      feeds_[i].report.error = "the run was stopped before this feed was complete";
      complete(i);
    }
  }

 private:
  // A host's robots.txt: read once per run, on the first page it is needed
  // for; pages wait for it meanwhile.
  // A page to fetch for a feed item.
  struct PageJob {
    FeedItem item;
    std::string id;     // canonical_url of the item's link
    std::string entry;  // entry_hash of the item
    Validators stored;  // from the page's last fetch, if it is fetched again
  };

  struct Robots {
    bool ready = false;
    RobotsRules rules;
    std::string failure;  // why robots.txt could not be read: its pages are not fetched
    std::vector<std::pair<std::size_t, PageJob>> waiting;
  };

  struct FeedState {
    const FeedSource* source = nullptr;
    FeedReport report;
    Clock::time_point start;
    Validators stored, fresh;
    std::size_t failures = 0;  // runs in a row it failed, before this one
    std::string feed_lang;
    std::size_t pending_pages = 0;
    bool done = false;
  };

  std::string metadata(const std::string& key) {
    std::optional<Xapian::Database>& db = sharded_ ? state_ : snapshot_;
    if (!db) return {};
    return with_reopen_retry(*db, [&](Xapian::Database& d) { return d.get_metadata(key); });
  }

  // Indexed before this run started.
  bool indexed(const std::string& id) {
    if (!snapshot_) return false;
    const std::string term = id_term(id);
    return with_reopen_retry(*snapshot_, [&](Xapian::Database& db) { return db.term_exists(term); });
  }

  void on_feed_response(std::size_t i, HttpResponse&& r) {
    FeedState& f = feeds_[i];
    f.report.bytes += r.bytes;
    if (r.not_modified()) {
      f.report.status = "304";
      complete(i);
      return;
    }
    if (!r.ok()) {
      f.report.status = failure_status(r);
      f.report.error = failure_message(r);
      complete(i);
      return;
    }
    f.report.status = std::to_string(r.status);
    std::string base = r.final_url.empty() ? r.url : r.final_url;
    // Relative links are relative to the document's own address, which a
    // Content-Location header states (RFC 9110 8.7) when it is not the URL
    // that was asked for.
    if (!r.content_location.empty()) {
      std::string located = resolve_url(base, r.content_location);
      if (is_web_url(located)) base = std::move(located);
    }
    Feed feed;
    try {
      DecodedText text = decode_to_utf8(r.body, r.content_type, MarkupKind::kXml);
      r.body = std::string();
      feed = parse_feed(text.text, base, FeedOptions{f.source->lang, f.source->timezone});
    } catch (const FeedError& e) {
      f.report.status = "parse-error";
      f.report.error = e.what();
      complete(i);
      return;
    }
    for (const std::string& w : feed.warnings) f.report.problems.push_back(f.source->url + ": " + w);
    f.fresh = Validators{r.etag, r.last_modified};
    f.feed_lang = feed.lang;
    f.report.items = feed.items.size();
    const bool pages = f.source->content == ContentMode::kPage;
    // Held while the items are handed out, so that a page that fails at once
    // cannot complete the feed before its other items are seen.
    ++f.pending_pages;
    for (FeedItem& item : feed.items) {
      if (pages && !item.link.empty()) {
        if (!is_web_url(item.link)) {
          fail_item(f, item.link, "link is not an http or https URL; not fetched");
          continue;
        }
        // On its way from another feed: not fetched again.
        PageJob job;
        job.id = canonical_url(item.link);
        if (!seen_.insert(job.id).second) {
          ++f.report.unchanged;
          continue;
        }
        job.entry = entry_hash(item);
        if (indexed(job.id)) {
          // Indexed before: fetched again (conditionally) only when its feed
          // entry changed. Pages indexed without a record are left alone.
          PageRecord stored = decode_page_record(metadata(page_key(job.id)), job.id);
          if (stored.entry.empty() || stored.entry == job.entry) {
            ++f.report.unchanged;
            continue;
          }
          job.stored = stored.validators;
        }
        job.item = std::move(item);
        ++f.pending_pages;
        request_page(i, std::move(job));
        continue;
      }
      Article a = article_from_item(f, item);
      index(f, i, std::move(a), item.link.empty() ? f.source->url : item.link);
    }
    page_done(i);
  }

  void page_done(std::size_t i) {
    if (--feeds_[i].pending_pages == 0) complete(i);
  }

  // Fetches the item's page once its host's robots.txt allows it.
  void request_page(std::size_t i, PageJob&& job) {
    if (ignore_robots_) {
      fetch_page(i, std::move(job));
      return;
    }
    const std::string robots_url = resolve_url(job.item.link, "/robots.txt");
    auto [it, fresh] = robots_.try_emplace(robots_url);
    Robots& robots = it->second;
    if (robots.ready) {
      release_page(i, std::move(job), robots);
      return;
    }
    robots.waiting.emplace_back(i, std::move(job));
    if (!fresh) return;
    HttpRequest req{robots_url, kRobotsAccept, {}, {}};
    req.public_only = !allow_private_pages_;
    client_.get(std::move(req),
                [this, robots_url, i](HttpResponse&& r) { on_robots_response(i, robots_url, std::move(r)); });
  }

  void on_robots_response(std::size_t i, const std::string& robots_url, HttpResponse&& r) {
    feeds_[i].report.bytes += r.bytes;
    Robots& robots = robots_[robots_url];
    robots.ready = true;
    if (r.ok()) {
      robots.rules = RobotsRules::parse(r.body, user_agent_);
    } else if (r.error == HttpError::kStatus && r.status >= 400 && r.status < 500) {
      robots.rules = RobotsRules();  // no robots.txt: everything is allowed
    } else if (r.error == HttpError::kPrivate) {
      robots.failure = r.message;
    } else {
      // RFC 9309: a robots.txt that cannot be reached means nothing may be
      // fetched. The next run tries again (the feed's validators wait).
      robots.failure = "robots.txt could not be read (" + failure_message(r) + "); not fetched";
    }
    std::vector<std::pair<std::size_t, PageJob>> waiting = std::move(robots.waiting);
    for (auto& [feed, job] : waiting) release_page(feed, std::move(job), robots);
  }

  void release_page(std::size_t i, PageJob&& job, const Robots& robots) {
    if (!robots.failure.empty()) {
      fail_item(feeds_[i], job.item.link, robots.failure);
      page_done(i);
    } else if (!robots.rules.allowed(job.item.link)) {
      fail_item(feeds_[i], job.item.link, "robots.txt disallows this page; not fetched");
      page_done(i);
    } else {
      fetch_page(i, std::move(job));
    }
  }

  void fetch_page(std::size_t i, PageJob&& job) {
    HttpRequest req{job.item.link, kPageAccept, job.stored.etag, job.stored.last_modified};
    req.public_only = !allow_private_pages_;
    client_.get(std::move(req), [this, i, job = std::move(job)](HttpResponse&& pr) mutable {
      on_page_response(i, std::move(job), std::move(pr));
    });
  }

  void on_page_response(std::size_t i, PageJob&& job, HttpResponse&& r) {
    FeedState& f = feeds_[i];
    f.report.bytes += r.bytes;
    const FeedItem& item = job.item;
    PageRecord record{Validators{r.etag, r.last_modified}, job.entry};
    if (r.not_modified()) {
      // The entry changed but the page did not: remember the entry.
      ++f.report.unchanged;
      if (record.validators.empty()) record.validators = job.stored;
      indexer_.set_metadata(i, page_key(job.id), encode_page_record(job.id, record));
    } else if (!r.ok()) {
      fail_item(f, item.link, failure_message(r));
    } else if (!is_html_type(r.content_type)) {
      fail_item(f, item.link, "not an HTML page (" + r.content_type + ")");
    } else {
      const std::string page_url = is_web_url(r.final_url) ? r.final_url : item.link;
      DecodedText text = decode_to_utf8(r.body, r.content_type, MarkupKind::kHtml);
      r.body = std::string();
      PageInfo page = extract_page(text.text, page_url);
      Article a = article_from_item(f, item);
      // The feed names the item (its link is the id); the page says what it is.
      a.id = canonical_url(item.link);
      a.url = !page.canonical_url.empty() ? page.canonical_url : page_url;
      if (!page.title.empty()) a.title = page.title;
      if (!page.body.empty()) a.body = page.body;
      if (!page.published.empty()) a.published = page.published;
      if (f.source->source_from_page && !page.site_name.empty()) a.source = page.site_name;
      if (f.source->lang.empty() && !page.lang.empty()) a.lang = page.lang;
      if (!page.author.empty()) a.author = page.author;
      add_tags(a.tags, page.tags);
      index(f, i, std::move(a), item.link, std::make_pair(page_key(job.id), encode_page_record(job.id, record)));
    }
    page_done(i);
  }

  Article article_from_item(FeedState& f, const FeedItem& item) {
    Article a;
    if (is_web_url(item.link)) {
      a.url = item.link;
    } else if (!item.link.empty()) {
      f.report.problems.push_back(item.link + ": link is not an http or https URL; indexed without it");
    }
    a.id = a.url.empty() ? item.id : canonical_url(a.url);
    a.title = item.title;
    a.body = item.text;
    a.published = item.published;
    a.source = f.source->name;
    a.lang = f.source->lang;
    if (a.lang.empty()) a.lang = item.lang.empty() ? f.feed_lang : item.lang;
    a.author = item.author;
    a.tags = item.tags;
    return a;
  }

  void fail_item(FeedState& f, const std::string& what, const std::string& why) {
    ++f.report.failed;
    f.report.problems.push_back(what + ": " + why);
  }

  // Checks the article here, as `xinwen-index add` does, and queues it.
  void index(FeedState& f, std::size_t i, Article a, const std::string& origin,
             std::optional<std::pair<std::string, std::string>> metadata = {}) {
    std::vector<std::string> warnings;
    std::string error = normalize_article(a, &warnings);
    if (!error.empty()) {
      fail_item(f, origin, "rejected: " + error);
      return;
    }
    indexer_.add(i, std::move(a), std::move(metadata));
  }

  void complete(std::size_t i) {
    FeedState& f = feeds_[i];
    f.done = true;
    f.report.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - f.start);
    // The validators go in only with everything the feed gave: after a
    // failure the next run downloads the feed again and retries what failed.
    std::optional<std::pair<std::string, std::string>> validators;
    const bool fetched = !f.report.status.empty() && f.report.status[0] == '2';
    if (fetched && f.report.ok() && f.fresh != f.stored)
      validators.emplace(validators_key(f.source->url), encode_validators(f.source->url, f.fresh));
    // A stopped run says nothing about the feed.
    if (f.report.status != "interrupted") {
      const std::string key = failures_key(f.source->url);
      if (!f.report.error.empty()) {
        f.report.failing_runs = f.failures + 1;
        indexer_.set_metadata(i, key, nlohmann::json{{"url", f.source->url}, {"runs", f.report.failing_runs}}.dump());
      } else if (f.failures > 0) {
        indexer_.set_metadata(i, key, "");  // deletes it
      }
    }
    indexer_.end_feed(i, std::move(f.report), std::move(validators));
  }

  HttpClient& client_;
  IndexThread& indexer_;
  std::optional<Xapian::Database> snapshot_;  // the database as this run found it
  std::optional<Xapian::Database> state_;     // a sharded index's fetch state, if any yet
  const bool sharded_;                        // metadata comes from state_, not snapshot_
  const bool allow_private_pages_;
  const bool ignore_robots_;
  const std::string user_agent_;
  std::vector<FeedState> feeds_;
  std::unordered_map<std::string, Robots> robots_;  // by robots.txt URL
  std::unordered_set<std::string> seen_;            // page ids handled in this run
};

}  // namespace

std::string validators_key(const std::string& url) { return std::string(kValidatorsPrefix) + hash_hex(url); }

std::string failures_key(const std::string& url) { return std::string(kFailuresPrefix) + hash_hex(url); }

FetchSummary run_fetch(const std::string& db_path, const std::vector<FeedSource>& sources, const FetchOptions& options,
                       const std::function<void(const FeedReport&)>& on_feed) {
  const Clock::time_point started = Clock::now();
  // A sharded index (xinwen/shards.h): articles go to their shards, the fetch
  // state (validators, page records, failures) to its own database.
  const bool sharded = is_sharded(db_path);
  std::unique_ptr<Sink> sink;
  if (options.dry_run) {
    sink = std::make_unique<DryRunSink>(db_path);
  } else if (sharded) {
    sink = std::make_unique<IndexSink<ShardedIndexer>>(db_path, options.indexer);
  } else {
    sink = std::make_unique<IndexSink<Indexer>>(db_path, options.indexer);
  }
  std::optional<Xapian::Database> snapshot, state;
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec) && !(sharded && list_shards(db_path).empty()))
    snapshot = open_readable(db_path);
  const std::string state_path = (std::filesystem::path(db_path) / kFetchStateDb).string();
  if (sharded && std::filesystem::exists(state_path, ec)) state = Xapian::Database(state_path);

  HttpClient client(options.http);
  IndexThread indexer(std::move(sink), on_feed);
  FetchRun run(client, indexer, std::move(snapshot), std::move(state), sharded, sources, options);
  bool interrupted = false;
  run.start();
  client.run([&] {
    if (options.should_stop && options.should_stop()) interrupted = true;
    return interrupted || indexer.failed();
  });
  run.end_unfinished();

  FetchSummary s;
  s.feeds = indexer.finish();
  for (const FeedReport& r : s.feeds) {
    if (!r.error.empty()) ++s.feeds_failed;
    if (r.failing_runs > 0 && r.failing_runs >= options.failing_runs_alert) ++s.feeds_failing_long;
    s.added += r.added;
    s.replaced += r.replaced;
    s.unchanged += r.unchanged;
    s.failed += r.failed;
    s.bytes += r.bytes;
  }
  s.interrupted = interrupted;
  s.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return s;
}

}  // namespace xinwen
