// Fuzzes the feed parser (RSS, Atom, JSON Feed): any bytes must parse or be
// refused with FeedError.
#include <xinwen/fetch/feed_parser.h>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    xinwen::parse_feed(xinwen::fuzz::as_text(data, size), "https://example.com/feed/");
  } catch (const xinwen::FeedError&) {
  }
  return 0;
}
