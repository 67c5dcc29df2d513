// Reading news feeds: RSS 2.0 (with content:encoded, dc:date and dc:creator;
// RSS 0.9x and 1.0 too), Atom 1.0 and JSON Feed 1.1 (and 1.0). The fetcher
// gives it a feed as UTF-8 (see charset.h) and turns each item into an
// article. XML is parsed with libxml2 without loading DTDs, substituting
// entities or touching the network, so a feed cannot read local files (XXE)
// and an entity bomb costs nothing. Stateless; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xinwen/errors.h>

namespace xinwen {

enum class FeedFormat { kRss, kAtom, kJsonFeed };

struct FeedItem {
  std::string id;         // guid, atom:id or the JSON Feed id, as written
  std::string link;       // the item's page, absolute (resolved against the feed); any scheme
  std::string title;      // plain text
  std::string text;       // plain text of the fullest content the feed gives
  std::string published;  // "YYYY-MM-DDTHH:MM:SSZ", or "" if absent or unreadable
  std::string updated;    // the same for Atom updated, JSON Feed date_modified, dcterms:modified
  std::string author;
  std::string lang;  // the item's own language, if the feed gives one
  std::vector<std::string> tags;
};

struct Feed {
  FeedFormat format = FeedFormat::kRss;
  std::string title;
  std::string lang;  // the channel's language, as written
  std::vector<FeedItem> items;
  std::vector<std::string> warnings;  // e.g. dates that could not be read
};

// A document that is not a feed this parser reads: malformed XML or JSON, an
// HTML page, an entity declaration loop.
class FeedError : public EnvironmentError {
 public:
  using EnvironmentError::EnvironmentError;
};

// What the sources file says about a feed, for reading its dates.
struct FeedOptions {
  std::string lang;      // the source's language; "" = what the feed says
  std::string timezone;  // IANA name for dates without a zone; "" = UTC
};

// Parses a feed. base_url is where it was fetched from, for relative links.
// Throws FeedError.
Feed parse_feed(std::string_view utf8, const std::string& base_url, const FeedOptions& options);

// The same with default options.
Feed parse_feed(std::string_view utf8, const std::string& base_url);

const char* feed_format_name(FeedFormat format);

}  // namespace xinwen
