// The shape both programs share: CLI11 parses the command line, then one
// ladder turns what the run threw into a one-line message and a documented
// exit status (xinwen/errors.h). Programs only; the library never parses a
// command line.
#pragma once

#include <xapian.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include <xinwen/ascii.h>
#include <xinwen/db.h>
#include <xinwen/errors.h>

namespace xinwen {

// Parses argv into app, then calls run() and returns its status. --help
// prints and exits 0; a parse error prints CLI11's message and exits
// kExitUsage, as does any Error (but ShardUnavailable: kExitUnavailable), Xapian::Error or other exception that run()
// lets through, each reported as "PROGRAM: message" on stderr with the
// control characters of the message escaped (they may come from input).
template <typename Run>
int run_main(CLI::App& app, int argc, char** argv, Run&& run) {
  const std::string program = app.get_name();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  try {
    return run();
  } catch (const ShardUnavailable& e) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), escape_controls(e.what()).c_str());
    return kExitUnavailable;
  } catch (const Error& e) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), escape_controls(e.what()).c_str());
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "%s: database error: %s\n", program.c_str(),
                 escape_controls(describe_xapian_error(e)).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), escape_controls(e.what()).c_str());
  }
  return kExitUsage;
}

}  // namespace xinwen
