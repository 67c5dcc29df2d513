// Helpers shared by the test programs: temporary folders, running the real
// programs with their output captured, and skipping a test that cannot run
// here.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace xinwen::test {

// The exit status CTest reports as "skipped" (every test is registered with
// SKIP_RETURN_CODE 77, as the browser test is). Catch2 v2 has no skip.
inline constexpr int kSkipStatus = 77;

// Ends the test program with kSkipStatus, saying why: for a test whose
// prerequisites (python3, the shared corpora, a Debian tool) are missing, so
// that it shows as skipped rather than as passed. CTest runs each test case in
// a process of its own, so this skips that one case; a test program run by
// hand with several cases stops here. Call it before making anything that
// needs cleaning up: nothing is destroyed on the way out.
[[noreturn]] inline void skip_test(const std::string& reason) {
  std::cout << "SKIPPED: " << reason << std::endl;
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(kSkipStatus);
}

// A temporary folder removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "xinwen-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int status = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Single-quotes a word for /bin/sh.
inline std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// Runs a shell command line, capturing stdout and stderr.
inline RunResult run(const std::string& command) {
  TempDir tmp;
  std::string line = command + " >" + tmp / "out" + " 2>" + tmp / "err";
  int rc = std::system(line.c_str());
  RunResult r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(tmp / "out");
  r.err = slurp(tmp / "err");
  return r;
}

inline std::string index_bin() { return std::string(XINWEN_BINARY_DIR) + "/indexer/xinwen-index"; }
inline std::string search_bin() { return std::string(XINWEN_BINARY_DIR) + "/searcher/xinwen-search"; }
inline std::string samples_dir() { return std::string(XINWEN_SOURCE_DIR) + "/tests/samples"; }

}  // namespace xinwen::test
