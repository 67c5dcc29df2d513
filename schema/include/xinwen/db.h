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
#include <vector>

namespace xinwen {

// Opens a database read-only (a directory or a stub file), with the schema
// check. Throws EnvironmentError if it is missing, unreadable or of another
// schema version.
Xapian::Database open_readable(const std::string& path);

// How a database whose stub names remote shards is opened (open_shards).
struct OpenOptions {
  // Seconds a remote shard may take to accept the connection, and then to
  // answer each request; past it the call fails instead of waiting.
  double remote_timeout = 10;
  // A shard that cannot be opened is left out (and named) instead of failing
  // the whole opening.
  bool allow_partial = false;
};

// One shard of a stub database, as open_shards found it.
struct ShardStatus {
  std::string name;  // as the stub writes it: "2025-06", "127.0.0.1:7001"
  bool remote = false;
  bool ok = false;
  std::string error;  // one line, when !ok
  Xapian::doccount documents = 0;
};

struct OpenedDatabase {
  Xapian::Database db;                      // every shard that opened, added in the stub's order
  std::vector<ShardStatus> shards;          // every shard, opened or not
  std::vector<Xapian::Database> shard_dbs;  // one per shard that opened (ok), in order
};

// Opens path read-only as open_readable does, but reads a stub database
// (a stub file, or a directory holding a XAPIANDB stub; nested stubs too)
// line by line as Xapian 1.4 does ("auto|glass|chert PATH" relative to the
// stub's folder, "remote HOST:PORT", "remote :PROGRAM ARGS", "tcp HOST PORT",
// "inmemory"; blank lines and lines starting with # are skipped), opening
// remote shards with options.remote_timeout so that no call on them waits
// longer. Each shard is checked against the schema. A plain database
// directory is one local shard. Throws ShardUnavailable naming the first
// shard that failed ("shard 127.0.0.1:7001: connection refused"), unless
// options.allow_partial: then failed shards are only reported, and the
// result may have no shard open at all (shard_dbs empty). Throws
// EnvironmentError for a missing path or a malformed stub.
OpenedDatabase open_shards(const std::string& path, const OpenOptions& options = {});

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
