// What a news page says about itself, and its main text. The fetcher uses it
// for the page behind each feed item; the feed parsers use html_to_text for
// HTML inside feeds. Pages are parsed with libxml2's HTML parser (the one
// lxml and most scrapers use), never reach the network, and are given as
// UTF-8 (see charset.h). Stateless; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xinwen {

struct PageInfo {
  // From og:title, JSON-LD headline, the first <h1>, else <title> (with a
  // trailing " - Site" removed when the site's name is known).
  std::string title;
  // From article:published_time, JSON-LD datePublished, <time datetime> and
  // the usual <meta> names; "YYYY-MM-DDTHH:MM:SSZ" or "".
  std::string published;
  // <link rel=canonical>, og:url or JSON-LD url: absolute http(s), or "".
  std::string canonical_url;
  std::string site_name;          // og:site_name or JSON-LD publisher
  std::string author;             // <meta name=author> or JSON-LD author
  std::string lang;               // <html lang>, og:locale or JSON-LD inLanguage, as written
  std::string description;        // og:description or <meta name=description>
  std::vector<std::string> tags;  // article:tag
  // The main text: paragraphs separated by blank lines, without navigation,
  // scripts, footers, link lists ("related articles"), disclaimers and
  // the headlines that often follow them.
  std::string body;
};

// Extracts from a whole page. url is where it was fetched from (for relative
// links). Never throws on bad HTML: what cannot be found is left empty.
PageInfo extract_page(std::string_view html, const std::string& url);

// The text of an HTML fragment (a feed's description or content): block
// elements become paragraphs separated by blank lines; scripts and styles are
// dropped, and so is a trailing disclaimer or "related" list.
std::string html_to_text(std::string_view html);

}  // namespace xinwen
