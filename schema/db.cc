#include <xinwen/db.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

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
