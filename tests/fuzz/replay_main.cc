// The main of each fuzz target in the ordinary build: runs every file named on
// the command line (or every file in a named folder) through the target once,
// as libFuzzer would, so that kept crash inputs and seeds are checked by CTest
// without libFuzzer. Exits 0 when all ran; a regression crashes or aborts.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_util.h"

namespace {

void run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "replay: cannot read " << path.string() << "\n";
    std::exit(1);
  }
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::cout << "replay: " << path.string() << " (" << bytes.size() << " bytes)" << std::endl;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path path = argv[i];
    if (std::filesystem::is_directory(path)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) run_file(file), ++count;
    } else if (std::filesystem::exists(path)) {
      run_file(path), ++count;
    }
  }
  std::cout << "replay: " << count << " inputs ran clean" << std::endl;
  // A target may keep threads running (the HTTP server does): end without
  // destroying the objects they still use.
  std::_Exit(0);
}
