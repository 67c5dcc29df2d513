// Errors thrown by the xinwen library.
//
// Two families, as in Xapian: UsageError is the caller's mistake (a bad query,
// a bad option); EnvironmentError is the world's (a missing database, a schema
// mismatch, an unreadable file). Programs catch both once, in main() or once
// per HTTP request, and turn them into a one-line message and an exit status.
// Expected per-record outcomes (a rejected article) are return values instead.
#pragma once

#include <stdexcept>
#include <string>

namespace xinwen {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The caller asked for something malformed: a query syntax error, a bad date.
class UsageError : public Error {
 public:
  using Error::Error;
};

// The environment is not as needed: no database, wrong schema version, I/O.
class EnvironmentError : public Error {
 public:
  using Error::Error;
};

// A shard of a stub database (usually a remote one) cannot be reached or did
// not answer within the remote timeout. The message names the shard(s) as
// the stub writes them, never a local path beyond that.
class ShardUnavailable : public EnvironmentError {
 public:
  using EnvironmentError::EnvironmentError;
};

// Documented exit statuses shared by both programs.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;     // xinwen-index: some records were rejected
inline constexpr int kExitUsage = 2;        // bad arguments, bad query, missing or wrong database
inline constexpr int kExitUnavailable = 3;  // xinwen-search: a shard is down or too slow (ShardUnavailable)
inline constexpr int kExitInterrupted = 130;

}  // namespace xinwen
