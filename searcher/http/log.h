// The server's log for its operator: one stamped line at a time on standard
// error, never shown to clients. Used by every part of xinwen::http; safe to
// call from any thread (lines never interleave).
#pragma once

#include <string>

namespace xinwen {

// Writes "TIME xinwen-search: MESSAGE", TIME in UTC (YYYY-MM-DDTHH:MM:SSZ).
void server_log(const std::string& message);

}  // namespace xinwen
