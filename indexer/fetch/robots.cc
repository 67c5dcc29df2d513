#include <xinwen/fetch/robots.h>

#include <xinwen/ascii.h>

namespace xinwen {
namespace {

// True if pattern ("*" any run, "$" at the end anchors) matches the start of
// path (or all of it, with "$"). Iterative, with one backtrack point per
// "*": linear enough for the few rules a site has.
bool matches(std::string_view pattern, std::string_view path) {
  const bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  std::size_t p = 0, s = 0;
  std::size_t star = std::string_view::npos, star_s = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
    } else if (pattern[p] == '*') {
      star = p++;
      star_s = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    if (star == std::string_view::npos || star_s >= path.size()) return false;
    p = star + 1;
    s = ++star_s;
  }
}

// The path and query of an absolute URL ("/" if it has no path).
std::string_view path_of(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    std::size_t slash = url.find_first_of("/?#", scheme + 3);
    if (slash == std::string_view::npos) return "/";
    url.remove_prefix(slash);
  }
  if (std::size_t hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  return url.empty() || url[0] != '/' ? std::string_view("/") : url;
}

}  // namespace

RobotsRules RobotsRules::disallow_all() {
  RobotsRules r;
  r.rules_.push_back(Rule{"/", false});
  return r;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view user_agent) {
  const std::string token = lower_ascii(trim_ascii(user_agent.substr(0, user_agent.find('/'))));
  std::vector<Rule> mine, any;
  bool found_mine = false;
  // The group being read: which agents it names, and whether its rules have
  // begun (a user-agent line after rules starts a new group).
  bool group_mine = false, group_any = false, in_rules = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = lower_ascii(trim_ascii(line.substr(0, colon)));
    const std::string_view value = trim_ascii(line.substr(colon + 1));
    if (key == "user-agent") {
      if (in_rules) group_mine = group_any = in_rules = false;
      const std::string agent = lower_ascii(value);
      if (agent == "*")
        group_any = true;
      else if (!token.empty() && agent == token)
        group_mine = found_mine = true;
    } else if (key == "allow" || key == "disallow") {
      in_rules = true;
      if (value.empty()) continue;  // "Disallow:" with nothing: no rule
      const Rule rule{std::string(value), key == "allow"};
      if (group_mine) mine.push_back(rule);
      if (group_any) any.push_back(rule);
    }
  }
  RobotsRules r;
  r.rules_ = found_mine ? std::move(mine) : std::move(any);
  return r;
}

bool RobotsRules::allowed(std::string_view url) const {
  const std::string_view path = path_of(url);
  std::size_t best = 0;
  bool allow = true;
  for (const Rule& rule : rules_) {
    if (!matches(rule.pattern, path)) continue;
    const std::size_t len = rule.pattern.size();
    if (len > best || (len == best && rule.allow)) {
      best = len;
      allow = rule.allow;
    }
  }
  return allow;
}

}  // namespace xinwen
