// The nightly job's command: `xinwen-index fetch --db DIR --sources FILE`.
#pragma once

namespace xinwen {

// Parses the fetch command's arguments (argv[0] is "fetch") and runs it.
// Returns the process exit status.
int run_fetch_command(int argc, char** argv);

}  // namespace xinwen
