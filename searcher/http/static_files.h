// The search page's files: which names may be asked for, their types, and
// sending one from the page's folder without ever leaving it. Used by
// server.cc; pure functions apart from reading the file.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace xinwen {

// A relative path inside the static folder that can name nothing else: plain
// names made of letters, digits, '.', '_' and '-', no empty, hidden, "." or
// ".." segment. Symbolic links are checked by send_static_file.
bool plain_relative_path(std::string_view rel);

// The Content-Type of a file the page may use; null for any other kind.
const char* mime_type(const std::filesystem::path& p);

// Answers with the file rel of the folder root (canonical; empty when the
// page is not installed), or 404.
void send_static_file(const std::filesystem::path& root, const std::string& rel, httplib::Response& res);

}  // namespace xinwen
