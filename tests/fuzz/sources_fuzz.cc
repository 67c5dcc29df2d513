// Fuzzes the sources-file parser (indexer/FETCH.md): any text must parse or
// be refused with UsageError.
#include <xinwen/errors.h>
#include <xinwen/fetch/sources.h>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    xinwen::parse_sources(xinwen::fuzz::as_text(data, size), "fuzz.sources");
  } catch (const xinwen::UsageError&) {
  }
  return 0;
}
