// robots.txt (RFC 9309) as the fetcher reads it before it fetches an
// article page: the groups for its product token (else "*"), Allow and
// Disallow with "*" and "$", the longest match deciding and Allow winning a
// tie. Feeds are not checked: they were published to be read. Parsing is
// pure; a RobotsRules is immutable once made and safe to share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xinwen {

class RobotsRules {
 public:
  // Everything allowed (no robots.txt, or a 4xx for it).
  RobotsRules() = default;

  // Reads a robots.txt body for the crawler whose User-Agent is user_agent
  // (its product token, before the first "/", is what groups are matched
  // against, case-insensitively).
  static RobotsRules parse(std::string_view text, std::string_view user_agent);

  // Nothing allowed (robots.txt could not be reached: RFC 9309 2.3.1.4).
  static RobotsRules disallow_all();

  // True if the path and query of url (absolute, or a path) may be fetched.
  bool allowed(std::string_view url) const;

 private:
  struct Rule {
    std::string pattern;
    bool allow = false;
  };
  std::vector<Rule> rules_;
};

}  // namespace xinwen
