// SIGKILL at random moments during `add` and during `add --jobs 2` first
// loads: the database stays whole (xapian-check, where installed), every
// article committed before the kill is still there, and a rerun completes it
// without duplicates or leftovers. Bounded: a few kills on a small generated
// corpus. The seed is printed so that a failure can be replayed
// (XINWEN_CRASH_SEED).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include <xinwen/article.h>
#include "test_util.h"

using namespace xinwen;
using namespace xinwen::test;
namespace fs = std::filesystem;

namespace {

constexpr int kArticles = 4000;

std::string corpus() {
  std::string out;
  for (int i = 0; i < kArticles; ++i) {
    nlohmann::json j = {{"id", "crash-" + std::to_string(i)},
                        {"title", "Crash report " + std::to_string(i) + " 市場"},
                        {"body", std::string(400, 'z') + " ledger " + std::to_string(i % 89) + " 報告"}};
    out += j.dump() + "\n";
  }
  return out;
}

std::mt19937 seeded_rng() {
  unsigned seed = std::random_device{}();
  if (const char* s = std::getenv("XINWEN_CRASH_SEED")) seed = static_cast<unsigned>(std::strtoul(s, nullptr, 10));
  std::cout << "XINWEN_CRASH_SEED=" << seed << std::endl;
  return std::mt19937(seed);
}

// The documents a database holds now; 0 while it does not exist or cannot
// be opened yet.
Xapian::doccount committed(const std::string& db) {
  try {
    return fs::exists(db) ? Xapian::Database(db).get_doccount() : 0;
  } catch (const Xapian::Error&) {
    return 0;
  }
}

// Runs `xinwen-index add` with extra, kills it with SIGKILL after delay (or
// lets it finish first), watching the committed count meanwhile; returns the
// highest count seen before the kill.
Xapian::doccount add_and_kill(const std::string& db, const std::string& input, const std::string& extra,
                              std::chrono::milliseconds delay) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    dup2(null, 1);
    dup2(null, 2);
    std::string line = "exec " + index_bin() + " add " + extra + " --batch-size 200 --db " + db + " " + input;
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  Xapian::doccount seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < deadline) {
    seen = std::max(seen, committed(db));
    if (waitpid(pid, nullptr, WNOHANG) == pid) return seen;  // finished first
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return seen;
}

void check_whole(const std::string& db) {
  if (!fs::exists(db)) return;
  if (run("command -v xapian-check").status != 0) return;
  RunResult check = run("xapian-check " + db);
  INFO(check.out << check.err);
  CHECK(check.status == 0);
}

// The rerun: the whole corpus, each article once, nothing left beside the database.
void check_complete(const std::string& db, const std::string& input) {
  RunResult rerun = run(index_bin() + " add --db " + db + " " + input);
  INFO(rerun.err);
  REQUIRE(rerun.status == 0);
  Xapian::Database d(db);
  CHECK(d.get_doccount() == static_cast<Xapian::doccount>(kArticles));
  int duplicated = 0;
  for (int i = 0; i < kArticles; ++i)
    if (d.get_termfreq(id_term("crash-" + std::to_string(i))) != 1) ++duplicated;
  CHECK(duplicated == 0);
  for (const char* suffix : {".shard1", ".merge", ".merge-old"}) CHECK_FALSE(fs::exists(db + suffix));
  check_whole(db);
}

}  // namespace

TEST_CASE("SIGKILL at random moments during add loses no committed article", "[crash]") {
  TempDir t;
  spit(t / "in.jsonl", corpus());
  std::mt19937 rng = seeded_rng();
  std::uniform_int_distribution<int> delay_ms(0, 1200);
  const std::string db = t / "db";
  for (int kill_no = 0; kill_no < 4; ++kill_no) {
    const auto delay = std::chrono::milliseconds(delay_ms(rng));
    INFO("kill " << kill_no << " after " << delay.count() << " ms");
    const Xapian::doccount seen = add_and_kill(db, t / "in.jsonl", "", delay);
    check_whole(db);
    CHECK(committed(db) >= seen);
  }
  check_complete(db, t / "in.jsonl");
}

TEST_CASE("SIGKILL at random moments during add --jobs 2 first loads loses no committed article", "[crash]") {
  TempDir t;
  spit(t / "in.jsonl", corpus());
  std::mt19937 rng = seeded_rng();
  std::uniform_int_distribution<int> delay_ms(0, 1500);
  for (int kill_no = 0; kill_no < 3; ++kill_no) {
    const std::string db = t / ("db" + std::to_string(kill_no));
    const auto delay = std::chrono::milliseconds(delay_ms(rng));
    INFO("kill " << kill_no << " after " << delay.count() << " ms");
    const Xapian::doccount seen = add_and_kill(db, t / "in.jsonl", "--jobs 2", delay);
    check_whole(db);
    CHECK(committed(db) >= seen);
    check_complete(db, t / "in.jsonl");
  }
}
