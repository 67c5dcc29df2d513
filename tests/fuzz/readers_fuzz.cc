// Fuzzes the readers: the same bytes as a JSON Lines stream, a Markdown file
// with front matter and a plain-text file. Every record must come back as an
// article or a rejection; an accepted article must become a document.
#include <xinwen/analyzer.h>
#include <xinwen/article.h>
#include <xinwen/readers.h>
#include <cstdlib>
#include <sstream>
#include <string>

#include "fuzz_util.h"

namespace {

void check(const xinwen::ArticleOutcome& outcome, xinwen::Analyzer& analyzer) {
  if (outcome.article.has_value() == !outcome.error.empty()) std::abort();
  if (outcome.article) {
    xinwen::make_document(*outcome.article, analyzer);
    xinwen::make_document_hash(*outcome.article);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xinwen::Analyzer analyzer;
  const auto text = xinwen::fuzz::as_text(data, size);
  std::istringstream in{std::string(text)};
  xinwen::read_json_lines(in, "fuzz.jsonl", [](xinwen::Record&& record) { check(record.outcome, analyzer); });
  check(xinwen::article_from_markdown(text, "fuzz.md"), analyzer);
  check(xinwen::article_from_plain_text(text, "fuzz.txt"), analyzer);
  xinwen::strip_markdown(text);
  return 0;
}
