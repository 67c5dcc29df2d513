// "Did you mean" and "more like this": two ways the searcher proposes or
// builds a query from the database's own data. Used by Searcher::search (and
// by tests). Both only read the database passed in; not thread-safe beyond
// what a Xapian::Database is (one per thread).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace xinwen {

// The query with each English word that no article uses replaced by the
// spelling data's closest word (Xapian's edit distance: 1 for words of up
// to four letters, else 2). Empty when no word changed. Words that carry
// query syntax (title:, quotes, operators) are left as they are.
std::string spelling_correction(const Xapian::Database& db, std::string_view query);

// A query for the articles like the one with this id: the best terms of
// Xapian's expand (relevance set = that article) from the default search
// space, words and Han n-grams (folded to Simplified, so a Traditional copy
// of a Simplified story matches), each weighted by its expand weight, OR-ed;
// the article itself is excluded. Throws UsageError if no article has the id.
Xapian::Query like_query(const Xapian::Database& db, std::string_view id, Xapian::termcount terms = 40);

}  // namespace xinwen
