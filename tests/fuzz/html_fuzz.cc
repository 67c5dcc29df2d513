// Fuzzes the HTML extractor: the article text and the metadata of any page.
#include <xinwen/fetch/html_extract.h>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto html = xinwen::fuzz::as_text(data, size);
  xinwen::extract_page(html, "https://example.com/news/2025/06/01/story.html");
  xinwen::html_to_text(html);
  return 0;
}
