// Fuzzes the query parser: any text must parse or be refused with UsageError,
// and a parsed query must describe itself. Runs with the lexicon the tests
// use when it is present, so expansion is fuzzed too.
#include <xinwen/errors.h>
#include <xinwen/query.h>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xinwen::QueryBuilder builder;
  try {
    auto parsed = builder.parse(xinwen::fuzz::as_text(data, size));
    parsed.query.get_description();
  } catch (const xinwen::UsageError&) {
  }
  return 0;
}
