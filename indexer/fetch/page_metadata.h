// What a page says about itself: <meta> tags (Open Graph, Dublin Core and the
// usual names), <link rel=canonical>, <html lang>, <time> elements and a
// JSON-LD NewsArticle. Private to indexer/fetch; works on one thread's
// document.
#pragma once

#include <string>

#include <xinwen/fetch/html_extract.h>
#include "libxml_util.h"

namespace xinwen::extract {

struct PageMetadata {
  PageInfo info;             // every field but body
  std::string json_ld_body;  // JSON-LD articleBody as written (HTML or text), or ""
};

// Reads the metadata of the document whose root element is root. url is
// where the page came from (relative canonical links are resolved against
// it). Read before main_text(), which removes parts of the document.
PageMetadata read_page_metadata(const xmlNode* root, const std::string& url);

}  // namespace xinwen::extract
