#include <xinwen/db.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <xinwen/errors.h>
#include <xinwen/schema.h>

namespace xinwen {

Xapian::Database open_readable(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw EnvironmentError("no database at " + path + " (create it with: xinwen-index add --db " + path + " FILE...)");
  try {
    Xapian::Database db(path);
    check_schema_version(db);
    return db;
  } catch (const Xapian::Error& e) {
    throw EnvironmentError("cannot open database " + path + ": " + e.get_msg());
  }
}

namespace {

namespace fs = std::filesystem;

// A shard's failure as one line: a timeout says how long was waited, a
// refused or reset connection says so in the system's words.
std::string shard_error(const Xapian::Error& e, double timeout) {
  std::ostringstream seconds;
  seconds << timeout;
  const std::string type = e.get_type();
  if (type == "NetworkTimeoutError") return "timed out after " + seconds.str() + " s";
  const char* reason = e.get_error_string();
  if (type == "NetworkError" && reason && *reason) {
    std::string r = reason;
    if (r.find("timed out") != std::string::npos) return "timed out after " + seconds.str() + " s";
    if (!r.empty() && r[0] >= 'A' && r[0] <= 'Z' && !(r.size() > 1 && r[1] >= 'A' && r[1] <= 'Z'))
      r[0] = static_cast<char>(r[0] - 'A' + 'a');
    return r;
  }
  return describe_xapian_error(e);
}

// Is path a stub database: a directory holding XAPIANDB, or a text file.
// A directory that is a database itself, or a single-file database, is not.
bool is_stub(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return fs::is_regular_file(path / "XAPIANDB", ec);
  std::ifstream in(path, std::ios::binary);
  char buf[512];
  in.read(buf, sizeof buf);
  return std::string_view(buf, static_cast<std::size_t>(in.gcount())).find('\0') == std::string_view::npos;
}

struct StubReader {
  const OpenOptions& options;
  OpenedDatabase& out;
  int depth = 0;

  // Opens one shard with open(), recording how it went. A local shard's
  // error names it as the stub does, not by its full path (the HTTP server
  // shows these errors to clients).
  template <typename Open>
  void add(const std::string& name, bool remote, Open&& open, const std::string& full_path = {}) {
    ShardStatus st;
    st.name = name;
    st.remote = remote;
    try {
      Xapian::Database shard = open();
      check_schema_version(shard);
      st.documents = shard.get_doccount();
      st.ok = true;
      out.db.add_database(shard);
      out.shard_dbs.push_back(shard);
    } catch (const Xapian::Error& e) {
      st.error = shard_error(e, options.remote_timeout);
    } catch (const EnvironmentError& e) {
      st.error = e.what();
    }
    if (!full_path.empty())
      for (std::size_t at; (at = st.error.find(full_path)) != std::string::npos;)
        st.error.replace(at, full_path.size(), name);
    if (!st.ok && !options.allow_partial) throw ShardUnavailable("shard " + st.name + ": " + st.error);
    out.shards.push_back(std::move(st));
  }

  void read(const fs::path& stub_file, const std::string& name_prefix) {
    if (++depth > 10) throw EnvironmentError("stub database " + stub_file.string() + ": stubs nested too deep");
    std::ifstream in(stub_file);
    if (!in) throw EnvironmentError("cannot read stub database " + stub_file.string());
    const fs::path base = stub_file.parent_path();
    const unsigned timeout_ms = static_cast<unsigned>(std::lround(options.remote_timeout * 1000));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      const std::size_t space = line.find(' ');
      const std::string type = line.substr(0, space);
      const std::string rest = space == std::string::npos ? std::string() : line.substr(space + 1);
      auto bad = [&] {
        return EnvironmentError("bad line " + std::to_string(number) + " in stub database " + stub_file.string() +
                                ": " + line);
      };
      if ((type == "auto" || type == "glass" || type == "chert") && !rest.empty()) {
        fs::path shard = rest;
        if (shard.is_relative()) shard = base / shard;
        const std::string name = name_prefix + rest;
        std::error_code ec;
        if (type == "auto" && fs::exists(shard, ec) && is_stub(shard)) {
          read(fs::is_directory(shard, ec) ? shard / "XAPIANDB" : shard, name + "/");
          continue;
        }
        add(
            name, false,
            [&] {
              if (!fs::exists(shard, ec)) throw EnvironmentError("no database there");
              return Xapian::Database(shard.string());
            },
            shard.string());
      } else if (type == "remote" && !rest.empty() && rest[0] == ':') {
        // remote :PROGRAM ARGS: a program speaking the remote protocol on its stdin and stdout.
        const std::size_t gap = rest.find(' ');
        const std::string program = rest.substr(1, gap == std::string::npos ? std::string::npos : gap - 1);
        const std::string args = gap == std::string::npos ? std::string() : rest.substr(gap + 1);
        add(name_prefix + rest, true, [&] { return Xapian::Remote::open(program, args, timeout_ms); });
      } else if (type == "remote" || type == "tcp") {
        std::string host, port;
        if (type == "remote") {
          const std::size_t colon = rest.rfind(':');
          if (colon == std::string::npos) throw bad();
          host = rest.substr(0, colon);
          port = rest.substr(colon + 1);
        } else {
          const std::size_t gap = rest.find(' ');
          if (gap == std::string::npos) throw bad();
          host = rest.substr(0, gap);
          port = rest.substr(gap + 1);
        }
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
        if (host.empty() || port.empty() || port.size() > 5 ||
            port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535)
          throw bad();
        const std::string name = name_prefix + (type == "remote" ? rest : host + ":" + port);
        add(name, true,
            [&] { return Xapian::Remote::open(host, static_cast<unsigned>(std::stoi(port)), timeout_ms, timeout_ms); });
      } else if (type == "inmemory" && rest.empty()) {
        add(name_prefix + "inmemory", false,
            [] { return Xapian::Database(std::string(), Xapian::DB_BACKEND_INMEMORY); });
      } else {
        throw bad();
      }
    }
    --depth;
  }
};

// Makes the database at path if there is none. Xapian writes a new
// database's files one after another, and a directory left halfway (a run
// killed in its first second) is not a database, nor can Xapian create one
// in it: so the new database is made beside path and renamed into place,
// and path is either absent or a whole database.
void create_if_missing(std::string path) {
  namespace fs = std::filesystem;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::error_code ec;
  if (fs::exists(path, ec)) return;  // a database directory, or a stub file
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".new.";
  // Leftovers of creations that were killed (their process is gone).
  fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9) continue;
    if (kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) fs::remove_all(it->path(), ec);
  }
  const std::string fresh = path + ".new." + std::to_string(getpid());
  fs::remove_all(fresh, ec);
  try {
    Xapian::WritableDatabase db(fresh, Xapian::DB_CREATE_OR_OVERWRITE);
    db.set_metadata(std::string(kMetaSchemaVersion), std::string(kSchemaVersion));
    db.commit();
  } catch (const Xapian::Error& e) {
    fs::remove_all(fresh, ec);
    throw EnvironmentError("cannot create database " + path + ": " + describe_xapian_error(e));
  }
  fs::rename(fresh, path, ec);
  if (ec) fs::remove_all(fresh, ec);  // someone else made path meanwhile: theirs stands
}

}  // namespace

OpenedDatabase open_shards(const std::string& path, const OpenOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec) || !is_stub(path)) {
    // One database (or a single-file one): opened and reported as before.
    OpenedDatabase out;
    out.db = open_readable(path);
    out.shard_dbs.push_back(out.db);
    ShardStatus st;
    st.name = fs::path(path).filename().string();
    if (st.name.empty()) st.name = fs::path(path).parent_path().filename().string();
    st.ok = true;
    st.documents = out.db.get_doccount();
    out.shards.push_back(std::move(st));
    return out;
  }
  OpenedDatabase out;
  StubReader reader{options, out};
  reader.read(fs::is_directory(path, ec) ? fs::path(path) / "XAPIANDB" : fs::path(path), "");
  if (out.shard_dbs.empty()) {
    for (const ShardStatus& st : out.shards)
      if (!st.ok) return out;  // allow_partial, and every shard failed: the caller decides
    // An empty stub: as Xapian opens it, with the schema check it fails.
    try {
      check_schema_version(out.db);
    } catch (const EnvironmentError& e) {
      throw EnvironmentError("cannot open database " + path + ": " + e.what());
    }
  }
  return out;
}

Xapian::WritableDatabase open_writable(const std::string& path, int flags) {
  create_if_missing(path);
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN | flags);
    check_schema_version(db);
    return db;
  } catch (const Xapian::DatabaseLockError& e) {
    // Xapian reports every failure to take the lock this way; only "already
    // locked" means another writer.
    if (e.get_msg().find("already locked") != std::string::npos)
      throw EnvironmentError("database " + path + " is locked by another writer");
    if (::access(path.c_str(), W_OK) != 0 && errno == EROFS)
      throw EnvironmentError("database " + path + " is on a read-only file system; it can be searched, not written");
    throw EnvironmentError("cannot lock database " + path + " for writing: " + describe_xapian_error(e));
  } catch (const Xapian::Error& e) {
    throw EnvironmentError("cannot open database " + path + " for writing: " + describe_xapian_error(e));
  }
}

std::string describe_xapian_error(const Xapian::Error& e) {
  std::string out = e.get_msg();
  const char* reason = e.get_error_string();
  if (reason && *reason && out.find(reason) == std::string::npos) out += std::string(" (") + reason + ")";
  return out;
}

std::string database_location(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  // A directory's own times change with each commit's new files: its
  // identity is its inode; a stub file's is its inode and content.
  std::string id = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  if (S_ISREG(st.st_mode))
    id += ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
          std::to_string(st.st_mtim.tv_nsec);
  return id;
}

void sync_database_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ::fsync(fd);
    ::close(fd);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

DatabaseStats database_stats(const std::string& path) {
  Xapian::Database db = open_readable(path);
  DatabaseStats s;
  s.documents = db.get_doccount();
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) ++s.terms;
  namespace fs = std::filesystem;
  std::error_code ec;
  auto folder_bytes = [&](const fs::path& dir) {
    std::uint64_t n = 0;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->is_regular_file(ec)) n += it->file_size(ec);
    ec.clear();
    return n;
  };
  if (fs::is_directory(path, ec)) {
    s.bytes = folder_bytes(path);
  } else {
    // A stub database: "auto PATH" (or "glass PATH") lines, relative to the stub's folder.
    std::ifstream stub(path);
    std::string line;
    const fs::path base = fs::path(path).parent_path();
    while (std::getline(stub, line)) {
      auto space = line.find(' ');
      if (line.empty() || line[0] == '#' || space == std::string::npos) continue;
      fs::path shard = line.substr(space + 1);
      if (shard.is_relative()) shard = base / shard;
      if (fs::is_directory(shard, ec)) s.bytes += folder_bytes(shard);
    }
  }
  s.last_update = db.get_metadata(std::string(kMetaLastUpdate));
  s.schema_version = db.get_metadata(std::string(kMetaSchemaVersion));
  return s;
}

}  // namespace xinwen
