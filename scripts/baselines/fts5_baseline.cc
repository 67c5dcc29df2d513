// xinwen-baseline-fts5: SQLite FTS5 with the trigram tokenizer, as a reference
// point for scripts/bench. Trigrams index any substring of three or more
// characters in any script, but cannot match anything shorter (most Chinese
// words have two characters).
//
// Schema:
//   article(rowid, id UNIQUE, source, published)   ordinary table
//   article_text(title, body)                       FTS5, content stored, same rowid
// Queries: text in double quotes is one phrase; every other whitespace-separated
// token becomes its own quoted string (a Han run is thus one substring), all
// ANDed. Ranked by bm25() or by published, newest first. "total" is a separate
// COUNT(*) over the same match, and its time is part of "ms".
#include "baseline_common.h"

#include <sqlite3.h>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>

namespace {

using xinwen_bench::Answer;
using xinwen_bench::Article;
using xinwen_bench::Query;

struct CloseDb {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw std::runtime_error(what + ": " + sqlite3_errmsg(db));
}

DbHandle open_db(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) fail(raw, "cannot open " + path);
  return db;
}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

Statement prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
    fail(db, "cannot prepare " + sql);
  }
  return Statement(raw);
}

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// Runs a statement that returns no rows, then resets it for the next use.
void run(sqlite3* db, sqlite3_stmt* stmt) {
  if (sqlite3_step(stmt) != SQLITE_DONE) fail(db, "statement failed");
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

int add(const xinwen_bench::CommandLine& cl) {
  auto start = std::chrono::steady_clock::now();
  DbHandle handle = open_db(cl.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = handle.get();
  exec(db,
       "CREATE TABLE IF NOT EXISTS article("
       "  rowid INTEGER PRIMARY KEY,"
       "  id TEXT NOT NULL UNIQUE,"
       "  source TEXT NOT NULL COLLATE NOCASE,"
       "  published TEXT NOT NULL);"
       "CREATE VIRTUAL TABLE IF NOT EXISTS article_text"
       "  USING fts5(title, body, tokenize='trigram');");

  Statement find = prepare(db, "SELECT rowid FROM article WHERE id = ?1");
  Statement insert_article = prepare(db, "INSERT INTO article(id, source, published) VALUES(?1, ?2, ?3)");
  Statement update_article = prepare(db, "UPDATE article SET source = ?2, published = ?3 WHERE rowid = ?1");
  Statement delete_text = prepare(db, "DELETE FROM article_text WHERE rowid = ?1");
  Statement insert_text = prepare(db, "INSERT INTO article_text(rowid, title, body) VALUES(?1, ?2, ?3)");

  xinwen_bench::IndexCounts counts;
  std::size_t pending = 0;
  exec(db, "BEGIN");
  auto index_one = [&](const Article& article) {
    bind_text(find.get(), 1, article.id);
    sqlite3_int64 rowid = 0;
    bool exists = sqlite3_step(find.get()) == SQLITE_ROW;
    if (exists) rowid = sqlite3_column_int64(find.get(), 0);
    sqlite3_reset(find.get());

    if (exists) {
      sqlite3_bind_int64(delete_text.get(), 1, rowid);
      run(db, delete_text.get());
      sqlite3_bind_int64(update_article.get(), 1, rowid);
      bind_text(update_article.get(), 2, article.source);
      bind_text(update_article.get(), 3, article.published);
      run(db, update_article.get());
      ++counts.replaced;
    } else {
      bind_text(insert_article.get(), 1, article.id);
      bind_text(insert_article.get(), 2, article.source);
      bind_text(insert_article.get(), 3, article.published);
      run(db, insert_article.get());
      rowid = sqlite3_last_insert_rowid(db);
      ++counts.added;
    }
    sqlite3_bind_int64(insert_text.get(), 1, rowid);
    bind_text(insert_text.get(), 2, article.title);
    bind_text(insert_text.get(), 3, article.body);
    run(db, insert_text.get());

    if (++pending == cl.commit_every) {
      exec(db, "COMMIT; BEGIN");
      pending = 0;
    }
  };
  xinwen_bench::read_articles(cl.files, index_one, counts);
  exec(db, "COMMIT");
  xinwen_bench::print_index_summary(counts,
                                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return counts.rejected == 0 ? 0 : 1;
}

// Merges the FTS5 segments into one and rewrites the file without free pages.
int compact(const xinwen_bench::CommandLine& cl) {
  DbHandle handle = open_db(cl.db, SQLITE_OPEN_READWRITE);
  exec(handle.get(), "INSERT INTO article_text(article_text) VALUES('optimize')");
  exec(handle.get(), "VACUUM");
  return 0;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    out += c;
    if (c == '"') out += '"';
  }
  out += '"';
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Turns the user's text into an FTS5 expression, as described at the top.
std::string to_match_expression(const std::string& text) {
  std::string expr;
  auto append = [&](std::string_view token) {
    if (token.empty()) return;
    if (!expr.empty()) expr += ' ';
    expr += quoted(token);
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
    } else if (text[i] == '"') {
      std::size_t close = text.find('"', i + 1);
      if (close == std::string::npos) close = text.size();
      append(std::string_view(text).substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      std::size_t end = i;
      while (end < text.size() && !is_space(text[end]) && text[end] != '"') ++end;
      append(std::string_view(text).substr(i, end - i));
      i = end;
    }
  }
  if (expr.empty()) throw std::runtime_error("empty query");
  return expr;
}

// Prepared statements for one shape of query (which filters, which order).
struct Shape {
  Statement select;
  Statement count;
};

class Searcher {
 public:
  explicit Searcher(const std::string& path) : db_(open_db(path, SQLITE_OPEN_READONLY)) {}

  Answer search(const Query& query) {
    Shape& shape = shape_for(query);
    std::string expr = to_match_expression(query.text);
    Answer answer;
    for (sqlite3_stmt* stmt : {shape.select.get(), shape.count.get()}) {
      bind_text(stmt, 1, expr);
      if (!query.source.empty()) bind_text(stmt, 2, query.source);
      if (!query.from.empty()) bind_text(stmt, 3, query.from);
      if (!query.to.empty()) bind_text(stmt, 4, xinwen_bench::end_of_day(query.to));
    }
    sqlite3_stmt* select = shape.select.get();
    sqlite3_bind_int64(select, 5, static_cast<sqlite3_int64>(query.limit));
    int rc;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
      answer.ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(select, 0)));
    }
    sqlite3_reset(select);
    if (rc != SQLITE_DONE) fail(db_.get(), "search failed");
    sqlite3_stmt* count = shape.count.get();
    if (sqlite3_step(count) == SQLITE_ROW) {
      answer.total = static_cast<std::uint64_t>(sqlite3_column_int64(count, 0));
    }
    rc = sqlite3_reset(count);
    if (rc != SQLITE_OK) fail(db_.get(), "count failed");
    return answer;
  }

 private:
  Shape& shape_for(const Query& query) {
    auto key = std::make_tuple(!query.source.empty(), !query.from.empty(), !query.to.empty(), query.by_date);
    auto it = shapes_.find(key);
    if (it != shapes_.end()) return it->second;

    std::string where =
        " FROM article_text JOIN article a ON a.rowid = article_text.rowid"
        " WHERE article_text MATCH ?1";
    if (!query.source.empty()) where += " AND a.source = ?2";
    if (!query.from.empty()) where += " AND a.published >= ?3";
    if (!query.to.empty()) where += " AND a.published <= ?4";
    std::string order =
        query.by_date ? " ORDER BY a.published DESC, bm25(article_text)" : " ORDER BY bm25(article_text)";
    Shape shape{prepare(db_.get(), "SELECT a.id" + where + order + " LIMIT ?5"),
                prepare(db_.get(), "SELECT count(*)" + where)};
    return shapes_.emplace(key, std::move(shape)).first->second;
  }

  DbHandle db_;
  std::map<std::tuple<bool, bool, bool, bool>, Shape> shapes_;
};

int batch(const xinwen_bench::CommandLine& cl) {
  Searcher searcher(cl.db);
  std::size_t failures = xinwen_bench::serve_batch(std::cin, std::cout, cl.limit,
                                                   [&](const Query& query) { return searcher.search(query); });
  std::cerr << "batch: " << failures << " failed\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::string error;
  auto cl = xinwen_bench::parse_command_line(argc, argv, error);
  if (!cl) {
    std::cerr << "xinwen-baseline-fts5: " << error << "\n"
              << "usage: xinwen-baseline-fts5 add --db FILE [--commit-every N] JSONL...\n"
              << "       xinwen-baseline-fts5 compact --db FILE\n"
              << "       xinwen-baseline-fts5 batch --db FILE [--limit N] < queries.jsonl\n";
    return 2;
  }
  try {
    if (cl->command == "add") return add(*cl);
    if (cl->command == "compact") return compact(*cl);
    return batch(*cl);
  } catch (const std::exception& e) {
    std::cerr << "xinwen-baseline-fts5: " << e.what() << "\n";
  }
  return 2;
}
