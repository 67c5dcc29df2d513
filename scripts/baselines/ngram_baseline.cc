// xinwen-baseline-ngram: the standard Xapian 1.4 way to search Chinese, as a
// reference point for scripts/bench. Documents are indexed by TermGenerator and
// queries parsed by QueryParser, both with FLAG_CJK_NGRAM (Han unigrams with
// positions plus bigrams), the English stemmer and STEM_SOME.
//
// A document as stored:
//   terms   S-prefixed title words, then title and body unprefixed (as Omega
//           does), Q<id>, XSRC<lowercased source>;
//   values  0 = published (ISO 8601 string, sorts as text), 1 = id (lets batch
//           mode list result ids without parsing the stored JSON);
//   data    the article's JSON line as read.
#include "baseline_common.h"

#include <xapian.h>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

using xinwen_bench::Answer;
using xinwen_bench::Article;
using xinwen_bench::Query;

constexpr Xapian::valueno kSlotPublished = 0;
constexpr Xapian::valueno kSlotId = 1;
constexpr unsigned kParseFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;

int add(const xinwen_bench::CommandLine& cl) {
  auto start = std::chrono::steady_clock::now();
  Xapian::WritableDatabase db(cl.db, Xapian::DB_CREATE_OR_OPEN);
  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem("english"));
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);

  xinwen_bench::IndexCounts counts;
  std::size_t pending = 0;
  auto index_one = [&](const Article& article) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(article.title, 1, "S");
    generator.increase_termpos();
    generator.index_text(article.title);
    generator.increase_termpos();
    generator.index_text(article.body);

    const std::string id_term = "Q" + article.id;
    doc.add_boolean_term(id_term);
    if (!article.source.empty()) {
      doc.add_boolean_term("XSRC" + Xapian::Unicode::tolower(article.source));
    }
    doc.add_value(kSlotPublished, article.published);
    doc.add_value(kSlotId, article.id);
    doc.set_data(std::string(article.line));

    if (db.term_exists(id_term)) {
      ++counts.replaced;
    } else {
      ++counts.added;
    }
    db.replace_document(id_term, doc);
    if (++pending == cl.commit_every) {
      db.commit();
      pending = 0;
    }
  };
  xinwen_bench::read_articles(cl.files, index_one, counts);
  db.commit();
  db.close();
  xinwen_bench::print_index_summary(counts,
                                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return counts.rejected == 0 ? 0 : 1;
}

bool is_han(unsigned ch) {
  return (ch >= 0x3400 && ch <= 0x9FFF) || (ch >= 0xF900 && ch <= 0xFAFF) || (ch >= 0x20000 && ch <= 0x3FFFF);
}

// Wraps every run of Han characters in double quotes. Xapian 1.4.22's
// QueryParser fails on queries shaped like "x 我 y" when FLAG_CJK_NGRAM is on
// (fixed upstream in 1.4.25); quoting the Han runs is the usual workaround.
// The caller's own quotes are dropped, as they would pair up with ours.
std::string quote_han_runs(const std::string& text) {
  std::string out;
  bool in_run = false;
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    unsigned ch = *it;
    if (ch == '"') continue;
    if (is_han(ch) != in_run) {
      out += '"';
      in_run = !in_run;
    }
    Xapian::Unicode::append_utf8(out, ch);
  }
  if (in_run) out += '"';
  return out;
}

int batch(const xinwen_bench::CommandLine& cl) {
  Xapian::Database db(cl.db);
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_OR);
  parser.add_prefix("title", "S");

  std::size_t retried = 0;
  std::size_t queries = 0;
  auto search = [&](const Query& query) {
    ++queries;
    Xapian::Query parsed;
    try {
      parsed = parser.parse_query(query.text, kParseFlags);
    } catch (const Xapian::QueryParserError&) {
      ++retried;
      parsed = parser.parse_query(quote_han_runs(query.text), kParseFlags);
    }
    if (!query.source.empty()) {
      parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed,
                             Xapian::Query("XSRC" + Xapian::Unicode::tolower(query.source)));
    }
    if (!query.from.empty() || !query.to.empty()) {
      Xapian::Query range = query.to.empty()     ? Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotPublished, query.from)
                            : query.from.empty() ? Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotPublished,
                                                                 xinwen_bench::end_of_day(query.to))
                                                 : Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotPublished,
                                                                 query.from, xinwen_bench::end_of_day(query.to));
      parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed, range);
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(parsed);
    if (query.by_date) enquire.set_sort_by_value_then_relevance(kSlotPublished, true);
    Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(query.limit));
    Answer answer;
    answer.total = matches.get_matches_estimated();
    answer.ids.reserve(matches.size());
    for (auto it = matches.begin(); it != matches.end(); ++it) {
      answer.ids.push_back(it.get_document().get_value(kSlotId));
    }
    return answer;
  };
  auto wrapped = [&](const Query& query) {
    try {
      return search(query);
    } catch (const Xapian::Error& e) {
      throw std::runtime_error(e.get_description());
    }
  };
  std::size_t failures = xinwen_bench::serve_batch(std::cin, std::cout, cl.limit, wrapped);
  std::cerr << "batch: " << queries << " queries, " << retried << " re-parsed with quoted Han text, " << failures
            << " failed\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::string error;
  auto cl = xinwen_bench::parse_command_line(argc, argv, error);
  if (!cl || cl->command == "compact") {
    if (cl) error = "compact: use xapian-compact";
    std::cerr << "xinwen-baseline-ngram: " << error << "\n"
              << "usage: xinwen-baseline-ngram add --db DIR [--commit-every N] FILE...\n"
              << "       xinwen-baseline-ngram batch --db DIR [--limit N] < queries.jsonl\n";
    return 2;
  }
  try {
    return cl->command == "add" ? add(*cl) : batch(*cl);
  } catch (const Xapian::Error& e) {
    std::cerr << "xinwen-baseline-ngram: " << e.get_description() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "xinwen-baseline-ngram: " << e.what() << "\n";
  }
  return 2;
}
