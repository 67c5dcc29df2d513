// Fuzzes the analyzer: any bytes must tokenize, segment and index without a
// crash, and every term must stay under kMaxTermBytes (analyzer.h).
#include <xapian.h>

#include <xinwen/analyzer.h>
#include <xinwen/schema.h>
#include <cstdlib>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xinwen::Analyzer analyzer;
  const auto text = xinwen::fuzz::as_text(data, size);
  for (const auto& token : analyzer.tokenize(text)) {
    if (token.term.size() > xinwen::kMaxTermBytes || token.begin > token.end || token.end > text.size()) std::abort();
    analyzer.stem(token.term);
  }
  analyzer.segment(text);
  for (const auto& run : xinwen::Analyzer::han_runs(text)) xinwen::han_ngrams(run.chars);
  Xapian::Document doc;
  Xapian::termpos position = 0;
  for (const auto& field : xinwen::fields()) {
    if (field.kind == xinwen::FieldKind::kText) analyzer.index_field(doc, field, text, &position);
  }
  return 0;
}
