// The HTTP server behind a website's search box: `xinwen-search serve`.
#pragma once

namespace xinwen {

// Parses the serve command's arguments (argv[0] is "serve") and runs the
// server until it is stopped. Returns the process exit status.
int run_server_command(int argc, char** argv);

}  // namespace xinwen
