// Opening xinwen databases and reading their statistics: the one place that
// knows how a database directory or stub file is opened for reading or
// writing, checked against the schema version, and made durable. Used by the
// indexer, the fetcher, the searcher and the HTTP server alike.
//
// Every function here is safe to call from any thread; the handles it returns
// follow Xapian's rules (one writer per database, a reader per thread).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>

namespace xinwen {

// Opens a database read-only (a directory or a stub file), with the schema
// check. Throws EnvironmentError if it is missing, unreadable or of another
// schema version.
Xapian::Database open_readable(const std::string& path);

// Opens a database for writing, creating it if missing (made beside path and
// renamed into place, so path is never half a database), and checks its
// schema. flags may add Xapian::DB_NO_SYNC. Throws EnvironmentError.
Xapian::WritableDatabase open_writable(const std::string& path, int flags = 0);

// A Xapian error as one line: its message, and the system's reason when it
// carries one ("Error writing block 90 (No space left on device)").
std::string describe_xapian_error(const Xapian::Error& e);
// What is at path now: the device, inode, size and modification time of the
// directory or stub file. A reader compares it with what it saw when it
// opened: another database moved or copied in (mv db db.old; cp -r other db),
// or a stub file replaced by rename, changes it, and Database::reopen() would
// not see that. Empty if path is missing.
std::string database_location(const std::string& path);

// fsyncs every file of a database folder, and the folder.
void sync_database_files(const std::string& path);

// Statistics of a database, as `xinwen-index stats` reports them.
struct DatabaseStats {
  Xapian::doccount documents = 0;
  std::uint64_t terms = 0;  // distinct terms
  std::uint64_t bytes = 0;  // on disk, every shard of a stub counted
  std::string last_update, schema_version;
};
// Throws EnvironmentError as open_readable does.
DatabaseStats database_stats(const std::string& path);

// Calls f(db); when a writer's commits overtook the revision db was reading
// (Xapian::DatabaseModifiedError, or the Retry error type given), reopens db
// and calls f again, up to `retries` more times, then lets the error through.
template <typename Retry = Xapian::DatabaseModifiedError, typename Db, typename F>
auto with_reopen_retry(Db& db, F&& f, int retries = 3) {
  for (int attempt = 0;; ++attempt) {
    try {
      return f(db);
    } catch (const Retry&) {
      if (attempt >= retries) throw;
      db.reopen();
    }
  }
}

}  // namespace xinwen
