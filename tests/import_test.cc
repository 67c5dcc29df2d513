// Imports that must not abort or mislead: a bad number in one record,
// symlinks and special files in folders, over-long records, control
// characters in messages, signals while waiting for input, leftovers of a
// killed parallel load, the merge's swap, and the messages for a read-only
// or full file system.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/ascii.h>
#include <xinwen/db.h>
#include <xinwen/readers.h>
#include <xinwen/writer.h>
#include "test_util.h"

using namespace xinwen;
using namespace xinwen::test;
namespace fs = std::filesystem;

namespace {

Xapian::doccount count(const std::string& db) { return Xapian::Database(db).get_doccount(); }

std::string record(const std::string& id, const std::string& title, const std::string& extra = "") {
  return R"({"id":")" + id + R"(","title":")" + title + "\"" + extra + "}\n";
}

// Starts xinwen-index with args, its standard input from stdin_fd (or
// /dev/null when -1), its output thrown away.
pid_t spawn_index(const std::vector<std::string>& args, int stdin_fd = -1) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int null = ::open("/dev/null", O_RDWR);
  dup2(stdin_fd >= 0 ? stdin_fd : null, 0);
  dup2(null, 1);
  dup2(null, 2);
  std::vector<char*> argv;
  std::string program = index_bin();
  argv.push_back(program.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(program.c_str(), argv.data());
  _exit(127);
}

// The exit status of pid, waiting up to ten seconds; -1 if it did not end
// (it is then killed), -2 if a signal ended it.
int wait_bounded(pid_t pid) {
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

// Runs a shell command line in a user and mount namespace of its own, where
// it may mount a small tmpfs; skips the test where namespaces are not allowed.
RunResult run_in_mount_namespace(const std::string& script) {
  TempDir probe;
  if (run("unshare -rm sh -c " + sh_quote("mount -t tmpfs -o size=64k tmpfs " + probe.path())).status != 0)
    skip_test("cannot mount a tmpfs in a user namespace here (unshare -rm)");
  return run("unshare -rm sh -c " + sh_quote(script));
}

}  // namespace

TEST_CASE("a number out of range (1e400) rejects its record only, with file:line", "[import]") {
  // It used to escape the parser as out_of_range, end the run with status 2
  // and silently drop every later record.
  ArticleOutcome o = article_from_json(R"({"id":"x","title":"t","ignored":1e400})");
  CHECK_FALSE(o.article);
  CHECK(o.error.find("invalid JSON") != std::string::npos);

  TempDir t;
  spit(t / "in.jsonl", record("a", "First") + record("big", "Huge", R"(,"ignored":1e400)") + record("b", "Third") +
                           record("c", "Fourth", R"(,"published":-1e999)"));
  RunResult r = run(index_bin() + " add --db " + t / "db" + " " + t / "in.jsonl");
  CHECK(r.status == 1);
  CHECK(r.err.find("in.jsonl:2: rejected: invalid JSON") != std::string::npos);
  CHECK(r.err.find("in.jsonl:4: rejected: invalid JSON") != std::string::npos);
  CHECK(r.out.find("added 2, replaced 0, unchanged 0, rejected 2") != std::string::npos);
  CHECK(count(t / "db") == 2);
}

TEST_CASE("symlinks in folders: loops skipped with a warning, links out of the folder not followed", "[import]") {
  TempDir t;
  const std::string in = t / "in";
  fs::create_directories(in + "/sub");
  spit(in + "/a.jsonl", record("inside-a", "Inside article"));
  spit(in + "/b.txt", "Linked from inside\nplainword body\n");
  spit(t / "secret.txt", "Secret outside\nzanzibarword body\n");
  fs::create_symlink("loop2.jsonl", in + "/loop1.jsonl");
  fs::create_symlink("loop1.jsonl", in + "/loop2.jsonl");
  fs::create_symlink("../../secret.txt", in + "/sub/passwd.txt");
  fs::create_symlink("../b.txt", in + "/sub/inner.txt");
  REQUIRE(mkfifo((in + "/pipe.jsonl").c_str(), 0600) == 0);

  RunResult r = run(index_bin() + " add --db " + t / "db" + " " + in);
  CHECK(r.status == 1);  // the FIFO is an error for its path
  CHECK(r.err.find("loop1.jsonl: warning: symbolic link loop; skipped") != std::string::npos);
  CHECK(r.err.find("passwd.txt: warning: symbolic link to a file outside") != std::string::npos);
  CHECK(r.err.find("pipe.jsonl: rejected: not a regular file (a FIFO)") != std::string::npos);
  // a.jsonl, b.txt and its link inside the folder (its own id).
  CHECK(r.out.find("added 3,") != std::string::npos);
  CHECK(count(t / "db") == 3);

  RunResult follow = run(index_bin() + " add --follow-symlinks --db " + t / "db2" + " " + in);
  CHECK(follow.status == 1);
  CHECK(follow.err.find("outside") == std::string::npos);
  CHECK(follow.out.find("added 4,") != std::string::npos);
  CHECK(count(t / "db2") == 4);
}

TEST_CASE("a record longer than --max-record-bytes is rejected with file:line, the rest loaded", "[import]") {
  TempDir t;
  spit(t / "in.jsonl", record("short-1", "One") + record("long", std::string(5000, 'x')) + record("short-2", "Three"));
  RunResult r = run(index_bin() + " add --max-record-bytes 1000 --db " + t / "db" + " " + t / "in.jsonl");
  CHECK(r.status == 1);
  CHECK(r.err.find("in.jsonl:2: rejected: record of 5024 bytes is longer than --max-record-bytes (1000)") !=
        std::string::npos);
  CHECK(r.out.find("added 2,") != std::string::npos);

  // The default is documented in --help and lets ordinary records through.
  RunResult help = run(index_bin() + " add --help");
  CHECK(help.out.find("--max-record-bytes") != std::string::npos);
  CHECK(help.out.find(std::to_string(kDefaultMaxRecordBytes)) != std::string::npos);
  CHECK(run(index_bin() + " add --db " + t / "db2" + " " + t / "in.jsonl").status == 0);
}

TEST_CASE("read_json_lines drops an over-long line as it streams by", "[import]") {
  // A line of 64 MiB is never held: the reader keeps its length only.
  class Endless : public std::streambuf {
   public:
    explicit Endless(std::size_t n) : left_(n) {}

   protected:
    int_type underflow() override {
      if (left_ == 0) return traits_type::eof();
      std::size_t n = std::min(left_, sizeof chunk_);
      std::fill(chunk_, chunk_ + n, 'x');
      if (n == left_) chunk_[n - 1] = '\n';
      left_ -= n;
      setg(chunk_, chunk_, chunk_ + n);
      return traits_type::to_int_type(chunk_[0]);
    }

   private:
    std::size_t left_;
    char chunk_[4096];
  };
  Endless buf(std::size_t{64} << 20);
  std::istream in(&buf);
  std::vector<Record> records;
  read_json_lines(
      in, "big.jsonl", [&](Record&& r) { records.push_back(std::move(r)); }, 1024);
  REQUIRE(records.size() == 1);
  CHECK(records[0].origin == "big.jsonl:1");
  CHECK(records[0].outcome.error.find("longer than --max-record-bytes (1024)") != std::string::npos);
  CHECK(records[0].bytes == std::size_t{64} << 20);
}

TEST_CASE("escape_controls escapes C0, DEL and C1 controls and keeps text", "[import]") {
  CHECK(escape_controls("plain 中文 text") == "plain 中文 text");
  CHECK(escape_controls("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(escape_controls("\x1b[2J\x7f") == "\\x1b[2J\\x7f");
  CHECK(escape_controls("csi\xc2\x9b"
                        "31m") == "csi\\u009b31m");
  CHECK(escape_controls("\xc2\xa9") == "\xc2\xa9");  // U+00A9 is text
}

TEST_CASE("control characters from input reach stderr escaped", "[import]") {
  TempDir t;
  spit(t / "in.jsonl",
       "{\"title\":\"t\",\"evil\\u001b[2J\":1}\n{\"title\":\"t\",\"published\":\"\\u001b]0;x\\u0007\"}\n");
  spit(t / "bad\x1b[31mname.xyz", "x");
  RunResult r = run(index_bin() + " add --db " + t / "db" + " " + t / "in.jsonl" + " " +
                    sh_quote(t / "bad\x1b[31mname.xyz") + " " + sh_quote(t / "gone\x07.jsonl"));
  CHECK(r.status == 1);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\x07') == std::string::npos);
  CHECK(r.err.find("unknown field \"evil\\x1b[2J\"") != std::string::npos);
  CHECK(r.err.find("bad\\x1b[31mname.xyz: rejected") != std::string::npos);
  CHECK(r.err.find("gone\\x07.jsonl: rejected") != std::string::npos);

  RunResult del = run(index_bin() + " delete --db " + t / "db" + " " + sh_quote("id\x1b[2Jx"));
  CHECK(del.status == 1);
  CHECK(del.err.find("no article with id id\\x1b[2Jx") != std::string::npos);
  RunResult missing = run(index_bin() + " stats --db " + sh_quote(t / "no\x1b[2Jdb"));
  CHECK(missing.status == 2);
  CHECK(missing.err.find('\x1b') == std::string::npos);
}

TEST_CASE("SIGTERM ends add while it waits on a FIFO, committing what was read", "[import][signal]") {
  TempDir t;
  const std::string fifo = t / "feed.jsonl";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  pid_t pid = spawn_index({"add", "--db", t / "db", fifo});
  REQUIRE(pid > 0);
  int w = ::open(fifo.c_str(), O_WRONLY);  // waits for the reader to open it
  REQUIRE(w >= 0);
  const std::string lines = record("f1", "One") + record("f2", "Two") + record("f3", "Three");
  REQUIRE(::write(w, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()));
  // The writer stays open: the indexer waits for more.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(pid, SIGTERM);
  const int status = wait_bounded(pid);
  ::close(w);
  CHECK(status == 130);
  CHECK(count(t / "db") == 3);
}

TEST_CASE("SIGTERM ends add waiting for a FIFO nobody opened", "[import][signal]") {
  TempDir t;
  const std::string fifo = t / "feed.jsonl";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  pid_t pid = spawn_index({"add", "--db", t / "db", fifo});
  REQUIRE(pid > 0);
  // The database appears before reading starts.
  for (int i = 0; i < 500 && !fs::exists(t / "db"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(pid, SIGTERM);
  CHECK(wait_bounded(pid) == 130);
}

TEST_CASE("SIGINT ends add reading an idle standard input, committing what was read", "[import][signal]") {
  TempDir t;
  int p[2];
  REQUIRE(pipe(p) == 0);
  pid_t pid = spawn_index({"add", "--db", t / "db", "-"}, p[0]);
  REQUIRE(pid > 0);
  ::close(p[0]);
  const std::string lines = record("s1", "One") + record("s2", "Two");
  REQUIRE(::write(p[1], lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(pid, SIGINT);
  const int status = wait_bounded(pid);
  ::close(p[1]);
  CHECK(status == 130);
  CHECK(count(t / "db") == 2);
}

TEST_CASE("leftovers of a killed parallel load are removed by the next run", "[import]") {
  TempDir t;
  const std::string db = t / "db";
  spit(t / "in.jsonl", record("one", "One"));
  REQUIRE(run(index_bin() + " add --db " + db + " " + t / "in.jsonl").status == 0);
  // What a load killed during its merge leaves: shards, a merge in progress;
  // and a copy the user made, which is not ours to remove.
  for (const char* name : {"db.shard1", "db.shard3", "db.merge", "db.old"}) {
    fs::create_directories(t / name);
    spit(t / name + "/postlist.glass", "x");
  }
  RunResult r = run(index_bin() + " add --db " + db + " " + t / "in.jsonl");
  CHECK(r.status == 0);
  CHECK(r.err.find("left by an interrupted parallel load") != std::string::npos);
  CHECK_FALSE(fs::exists(t / "db.shard1"));
  CHECK_FALSE(fs::exists(t / "db.shard3"));
  CHECK_FALSE(fs::exists(t / "db.merge"));
  CHECK(fs::exists(t / "db.old"));
}

TEST_CASE("swap_in_database exchanges in one step: the path never goes missing", "[import]") {
  TempDir t;
  const std::string path = t / "db", fresh = t / "db.merge";
  fs::create_directories(path);
  fs::create_directories(fresh);
  spit(path + "/which", "old");
  spit(fresh + "/which", "new");
  std::atomic<bool> done{false};
  std::atomic<long> missing{0}, looks{0};
  std::thread watcher([&] {
    while (!done) {
      if (::access(path.c_str(), F_OK) != 0) ++missing;
      ++looks;
    }
  });
  for (int i = 0; i < 400; ++i) swap_in_database(fresh, path);
  swap_in_database(fresh, path);
  done = true;
  watcher.join();
  CHECK(looks > 0);
  CHECK(missing == 0);
  // An odd number of swaps: the new one is in place, the old one beside it.
  CHECK(slurp(path + "/which") == "new");
  CHECK(slurp(fresh + "/which") == "old");
}

TEST_CASE("a parallel load's result opens, checks and takes later adds", "[import]") {
  TempDir t;
  std::string lines;
  for (int i = 0; i < 300; ++i) lines += record("p" + std::to_string(i), "Parallel " + std::to_string(i));
  spit(t / "in.jsonl", lines);
  REQUIRE(run(index_bin() + " add --jobs 2 --db " + t / "db" + " " + t / "in.jsonl").status == 0);
  CHECK(open_readable(t / "db").get_doccount() == 300);
  CHECK_FALSE(fs::exists(t / "db.merge"));
  if (run("command -v xapian-check").status == 0) CHECK(run("xapian-check " + t / "db").status == 0);
  spit(t / "more.jsonl", record("extra", "Extra"));
  RunResult more = run(index_bin() + " add --db " + t / "db" + " " + t / "more.jsonl");
  CHECK(more.status == 0);
  CHECK(count(t / "db") == 301);
}

TEST_CASE("a Xapian error names the system's reason (a full disk says so)", "[import]") {
  CHECK(describe_xapian_error(Xapian::DatabaseError("Error writing block 90", ENOSPC)) ==
        "Error writing block 90 (No space left on device)");
  CHECK(describe_xapian_error(Xapian::DatabaseError("no errno")) == "no errno");
}

TEST_CASE("a full disk ends add with ENOSPC and the summary line", "[import][tmpfs]") {
  TempDir t;
  std::string lines;
  for (int i = 0; i < 3000; ++i)
    lines += record("d" + std::to_string(i), "Filler " + std::to_string(i) + " " + std::string(300, 'y'),
                    R"(,"body":"words )" + std::to_string(i * 7919) + " more text " + std::to_string(i) + "\"");
  spit(t / "in.jsonl", lines);
  fs::create_directories(t / "mnt");
  RunResult r = run_in_mount_namespace("mount -t tmpfs -o size=256k tmpfs " + t / "mnt" + " && exec " + index_bin() +
                                       " add --db " + t / "mnt/db" + " " + t / "in.jsonl");
  CHECK(r.status == 2);
  CHECK(r.err.find("No space left on device") != std::string::npos);
  CHECK(r.out.find("added ") != std::string::npos);
  CHECK(r.out.find(", rejected 0,") != std::string::npos);
}

TEST_CASE("a read-only file system is not reported as a lock held by another writer", "[import][tmpfs]") {
  TempDir t;
  spit(t / "in.jsonl", record("ro", "Read only"));
  fs::create_directories(t / "mnt");
  const std::string add = index_bin() + " add --db " + t / "mnt/db" + " " + t / "in.jsonl";
  RunResult r = run_in_mount_namespace("mount -t tmpfs -o size=4m tmpfs " + t / "mnt" + " && " + add +
                                       " >/dev/null && mount -o remount,ro " + t / "mnt" + " && exec " + add);
  CHECK(r.status == 2);
  CHECK(r.err.find("locked by another writer") == std::string::npos);
  CHECK(r.err.find("read-only file system") != std::string::npos);
}
