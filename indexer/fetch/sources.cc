#include <xinwen/fetch/sources.h>

#include <map>
#include <sstream>

#include <xinwen/article.h>
#include <xinwen/ascii.h>
#include <xinwen/canonical.h>
#include <xinwen/errors.h>
#include <xinwen/fetch/dates.h>
#include <xinwen/fetch/url.h>

namespace xinwen {
namespace {

struct Section {
  std::string name;
  std::string lang;
  ContentMode content = ContentMode::kFeed;
  bool source_from_page = false;
  std::string timezone;
  std::vector<std::pair<std::string, std::string>> urls;  // url, origin
  int line = 0;
};

}  // namespace

std::vector<FeedSource> parse_sources(std::string_view text, const std::string& file_name) {
  std::vector<FeedSource> out;
  std::map<std::string, std::string> seen;  // url -> origin
  std::vector<Section> sections;
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& why) -> void {
    throw UsageError(file_name + ":" + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    std::string s(trim_ascii(line));
    if (s.empty() || s[0] == '#' || s[0] == ';') continue;
    if (s[0] == '[') {
      if (s.back() != ']') fail("a section line is [Source name]");
      std::string name(trim_ascii(clean_text(s.substr(1, s.size() - 2))));
      if (name.empty()) fail("the source name between [ and ] is empty");
      sections.push_back(Section{name, {}, ContentMode::kFeed, false, {}, {}, number});
      continue;
    }
    std::size_t eq = s.find('=');
    if (eq == std::string::npos) fail("expected key = value, [Source name] or a # comment");
    std::string key = lower_ascii(trim_ascii(s.substr(0, eq)));
    std::string value(trim_ascii(s.substr(eq + 1)));
    if (sections.empty()) fail("\"" + key + "\" comes before any [Source name] section");
    Section& sec = sections.back();
    if (key == "url") {
      if (value.find_first_of(" \t") != std::string::npos) fail("url must not contain spaces (write %20)");
      if (!is_web_url(value)) fail("url must be an http:// or https:// URL: \"" + value + "\"");
      std::string origin = file_name + ":" + std::to_string(number);
      auto [it, fresh] = seen.emplace(value, origin);
      if (!fresh) fail("url " + value + " is already listed at " + it->second);
      sec.urls.emplace_back(value, origin);
    } else if (key == "lang") {
      sec.lang = canonical_language(value);
    } else if (key == "content") {
      std::string v = lower_ascii(value);
      if (v == "feed")
        sec.content = ContentMode::kFeed;
      else if (v == "page")
        sec.content = ContentMode::kPage;
      else
        fail("content must be feed or page, not \"" + value + "\"");
    } else if (key == "source-from-page") {
      std::string v = lower_ascii(value);
      if (v == "yes" || v == "true")
        sec.source_from_page = true;
      else if (v == "no" || v == "false")
        sec.source_from_page = false;
      else
        fail("source-from-page must be yes or no, not \"" + value + "\"");
    } else if (key == "timezone") {
      if (!is_known_timezone(value))
        fail("timezone must be an IANA time zone name such as Asia/Shanghai, not \"" + value + "\"");
      sec.timezone = value;
    } else {
      fail("unknown key \"" + key + "\" (known: url, lang, content, source-from-page, timezone)");
    }
  }
  for (const Section& sec : sections) {
    if (sec.urls.empty()) {
      number = sec.line;
      fail("[" + sec.name + "] has no url line");
    }
    for (const auto& [url, origin] : sec.urls)
      out.push_back(FeedSource{url, sec.name, sec.lang, sec.content, sec.source_from_page, origin, sec.timezone});
  }
  return out;
}

}  // namespace xinwen
