// The sources file: which feeds the nightly job reads, under which source
// name, in which language, and whether each item's own page is fetched.
// Format (documented in indexer/FETCH.md):
//
//   # comment
//   [Reuters]                 one section per source; the name is shown in results
//   url = https://example.com/world.rss    one or more feeds
//   lang = en                 optional: the articles' language
//   content = page            optional: "page" fetches each new item's page,
//                             "feed" (the default) indexes the feed's own text
//   source-from-page = yes    optional: name the source as each page does
//   timezone = Asia/Shanghai  optional: the zone of dates written without one
//
// Parsing is pure: reading the file is the program's job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xinwen {

enum class ContentMode { kFeed, kPage };

struct FeedSource {
  std::string url;
  std::string name;  // source name, e.g. "36氪"
  std::string lang;  // canonical_language of the lang line; "" = what the feed or page says
  ContentMode content = ContentMode::kFeed;
  bool source_from_page = false;  // prefer og:site_name / JSON-LD publisher
  std::string origin;             // "FILE:LINE" of the url line, for messages
  std::string timezone;           // IANA name for feed dates without a zone; "" = UTC
};

// Parses a sources file's text; file_name is used in messages. Throws
// UsageError naming the line on anything malformed (an unknown key, a url
// outside a section, a URL that is not http(s), a repeated URL, a time zone
// ICU does not know).
std::vector<FeedSource> parse_sources(std::string_view text, const std::string& file_name);

}  // namespace xinwen
