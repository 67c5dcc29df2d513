// xinwen-search segment: ICU's word segmentation of each line of standard
// input, before any folding, segments separated by single spaces; for
// scoring segmentation (scripts/segeval).
#include <iostream>

#include <xinwen/analyzer.h>

#include "commands.h"

namespace xinwen {
namespace {

int run_segment() {
  Analyzer analyzer;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string out;
    for (std::string_view seg : analyzer.segment(line)) {
      if (!out.empty()) out += ' ';
      out += seg;
    }
    std::cout << out << '\n';
  }
  return kExitOk;
}

}  // namespace

Mode add_segment_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("segment", "Raw ICU word segmentation of each line of stdin");
  return {sub, [] { return run_segment(); }};
}

}  // namespace xinwen
