#include <xinwen/search.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include <xinwen/article.h>
#include <xinwen/ascii.h>
#include <xinwen/canonical.h>
#include <xinwen/db.h>
#include <xinwen/errors.h>
#include <xinwen/fold.h>
#include <xinwen/like.h>
#include <xinwen/recency.h>
#include <xinwen/schema.h>

#include "code_points.h"

namespace xinwen {
namespace {

Xapian::Query filter_terms(const Field& field, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const std::string& v : values)
    if (!v.empty()) terms.emplace_back(boolean_term(field, v));
  if (terms.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

constexpr std::array kFacetSpecs = {
    FacetSpec{.name = "source", .slot = kSlotSource, .max = 50, .newest_first = false},
    FacetSpec{.name = "month", .slot = kSlotMonth, .max = 1000, .newest_first = true},
    // Languages have no value slot (adding one would change every document);
    // a database holds a handful of them, each counted by its own filter.
    FacetSpec{.name = "lang", .slot = Xapian::BAD_VALUENO, .max = 50, .newest_first = false, .term_prefix = "L"},
};

// Seconds since the epoch that article ages are measured from (SearchRequest::now).
// An archive's newest article stands for "now", so that recency still orders
// its matches; the clock caps it, so that a misdated future article does not
// age everything else.
std::int64_t recency_reference(const std::string& now, const std::string& newest) {
  if (!now.empty()) {
    std::optional<std::int64_t> t = parse_published(now);
    if (!t) throw UsageError("now must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, not \"" + now + "\"");
    return *t;
  }
  const std::int64_t clock =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::optional<std::int64_t> last = parse_published(newest);
  return last ? std::min(*last, clock) : clock;
}

// The matches of query counted by each boolean term of prefix, as facet
// values (a language tag and its primary subtag both: zh counts zh-Hans too,
// as the filter lang:zh finds it).
std::vector<FacetCount> term_facet_counts(const Xapian::Database& db, const Xapian::Query& query,
                                          std::string_view prefix, std::size_t max, Xapian::doccount sample) {
  std::vector<FacetCount> out;
  const std::string p(prefix);
  for (auto it = db.allterms_begin(p); it != db.allterms_end(p); ++it) {
    if (out.size() >= max) break;
    Xapian::Enquire e(db);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(*it)));
    const Xapian::doccount n = e.get_mset(0, 0, sample).get_matches_estimated();
    if (n > 0) out.push_back({canonical_language((*it).substr(p.size())), n});
  }
  std::stable_sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  return out;
}

std::vector<FacetCount> facet_counts(const Xapian::ValueCountMatchSpy& spy, std::size_t max) {
  std::vector<FacetCount> out;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    if ((*it).empty()) continue;
    out.push_back({*it, it.get_termfreq()});
  }
  std::stable_sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  if (out.size() > max) out.resize(max);
  return out;
}

}  // namespace

std::span<const FacetSpec> facet_specs() { return kFacetSpecs; }

Searcher::Searcher(const std::string& path, SearcherOptions options)
    : path_(path), options_(options), builder_(options.limits) {
  open_all(options_.open.allow_partial);
  builder_.set_lexicon(options_.lexicon);
}

void Searcher::open_all(bool allow_partial) {
  OpenOptions o = options_.open;
  o.allow_partial = allow_partial;
  OpenedDatabase opened = open_shards(path_, o);
  if (opened.shard_dbs.empty()) {
    std::string why;
    for (const ShardStatus& st : opened.shards)
      if (!st.ok) why += (why.empty() ? "" : "; ") + ("shard " + st.name + ": " + st.error);
    throw ShardUnavailable("no shard could be opened: " + why);
  }
  const bool missing = std::any_of(opened.shards.begin(), opened.shards.end(), [](auto& st) { return !st.ok; });
  if (missing) last_shard_retry_ = std::chrono::steady_clock::now();
  db_ = std::move(opened.db);
  shards_ = std::move(opened.shards);
  // Xapian's remote backend refuses a match decider and returns no collapse
  // counts: search_once works around both when a shard is remote.
  remote_ = std::any_of(shards_.begin(), shards_.end(), [](const ShardStatus& st) { return st.ok && st.remote; });
  ++generation_;
}

void Searcher::retry_missing_shards() {
  if (std::all_of(shards_.begin(), shards_.end(), [](auto& st) { return st.ok; })) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_shard_retry_ < std::chrono::duration<double>(options_.shard_retry_seconds)) return;
  last_shard_retry_ = now;
  try {
    open_all(true);
  } catch (const ShardUnavailable&) {
    // None answered now: go on with what was open.
  }
}

void Searcher::require_all_shards() const {
  std::string why;
  for (const ShardStatus& st : shards_)
    if (!st.ok) why += (why.empty() ? "" : "; ") + ("shard " + st.name + ": " + st.error);
  if (!why.empty()) throw ShardUnavailable(why);
}

const std::vector<ShardStatus>& Searcher::check_shards() {
  try {
    open_all(true);
  } catch (const ShardUnavailable&) {
    // Reported through shards_ below, which still lists the last opening.
    OpenOptions o = options_.open;
    o.allow_partial = true;
    shards_ = open_shards(path_, o).shards;
  }
  return shards_;
}

bool Searcher::reopen() {
  try {
    return db_.reopen();
  } catch (const Xapian::Error&) {
    // The files were swapped (compaction), or a remote shard went away: open afresh.
    open_all(options_.open.allow_partial);
    return true;
  }
}

SearchResponse Searcher::search(const SearchRequest& request) {
  const bool partial_ok = request.allow_partial.value_or(options_.open.allow_partial);
  retry_missing_shards();
  if (!partial_ok) require_all_shards();
  for (int attempt = 0;; ++attempt) {
    try {
      SearchResponse r = search_retrying(request);
      for (const ShardStatus& st : shards_)
        if (!st.ok) r.missing_shards.push_back(st.name);
      if (!r.missing_shards.empty()) r.partial = true;
      return r;
    } catch (const Xapian::NetworkError& e) {
      // Xapian does not say which shard failed: every shard is opened
      // afresh (each within the remote timeout), and those that fail now
      // are the ones named and left out.
      const std::string what = describe_xapian_error(e);
      open_all(true);
      if (!partial_ok) require_all_shards();
      if (attempt > 0) throw ShardUnavailable("a remote shard failed: " + what);
    }
  }
}

SearchResponse Searcher::search_retrying(const SearchRequest& request) {
  // A database error may be a swap (compaction) under the reader: reopening
  // opens the new files. Twice more, then the error is the world's.
  try {
    return with_reopen_retry<Xapian::DatabaseError>(
        *this, [&](Searcher& s) { return s.search_once(request); }, 2);
  } catch (const Xapian::DatabaseModifiedError&) {
    throw EnvironmentError("database keeps changing under the search; try again");
  } catch (const Xapian::DatabaseError& e) {
    throw EnvironmentError("database error: " + e.get_msg());
  }
}

namespace {

// The spelling correction of query when it finds more than total articles
// under the same filters (filtered wraps a query in them); else empty.
template <typename Filter>
std::string did_you_mean(const Xapian::Database& db, QueryBuilder& builder, const std::string& query,
                         Xapian::doccount total, const Filter& filtered) {
  std::string fixed = spelling_correction(db, query);
  if (fixed.empty()) return {};
  ParsedQuery fq;
  try {
    fq = builder.parse(fixed);
  } catch (const UsageError&) {
    return {};
  }
  Xapian::Enquire e(db);
  e.set_weighting_scheme(Xapian::BoolWeight());
  e.set_query(filtered(fq.query));
  // Counting one past the original's total is enough to know it has more.
  Xapian::MSet m = e.get_mset(0, 0, total + 1);
  return m.get_matches_lower_bound() > total ? fixed : std::string();
}

// Stops a match at a deadline: Enquire::set_time_limit only shortens the
// check_at_least phase, so the matcher asks this decider, which looks at the
// clock at the first document and every 64th and throws SearchTimeout once it has passed.
class DeadlineDecider final : public Xapian::MatchDecider {
 public:
  explicit DeadlineDecider(std::chrono::steady_clock::time_point deadline) : deadline_(deadline) {}
  bool operator()(const Xapian::Document&) const override {
    if (calls_++ % 64 == 0 && std::chrono::steady_clock::now() >= deadline_)
      throw SearchTimeout("the search took longer than its time limit");
    return true;
  }

 private:
  std::chrono::steady_clock::time_point deadline_;
  mutable unsigned calls_ = 0;
};

// The matches of query that are copies of story, or at least `seen`: Xapian's
// remote backend does not carry collapse counts back, so over remote shards
// the copies are counted with a match of their own (API.md, Shards).
Xapian::doccount story_copies(const Xapian::Database& db, const Xapian::Query& query, const std::string& story,
                              Xapian::doccount seen) {
  if (story.empty()) return seen;
  Xapian::Enquire e(db);
  e.set_weighting_scheme(Xapian::BoolWeight());
  e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotStory, story, story)));
  return std::max(seen, e.get_mset(0, 0, db.get_doccount()).get_matches_lower_bound());
}

// Items [offset, offset + limit) of enquire's match, in its order, except
// that a run of items with equal weights (and sort keys, if by_key) is put in
// the order of the article ids. Xapian breaks such ties by docid, and docids
// differ between one database, its shards and a compacted copy; and once
// its page is full, the matcher may pass over a document that only ties
// with the page's last item, so a tie at a page's edge can leave out one
// copy or another. The window asked of Xapian grows until no run crosses
// either edge of the page, so a page holds the same articles however the
// index is split. mset keeps the items the iterators point into.
std::vector<Xapian::MSetIterator> page_in_id_order(Xapian::Enquire& enquire, Xapian::doccount offset,
                                                   Xapian::doccount limit, const Xapian::MatchDecider* decider,
                                                   bool by_key, Xapian::MSet& mset) {
  const auto same_place = [by_key](const Xapian::MSetIterator& a, const Xapian::MSetIterator& b) {
    return a.get_weight() == b.get_weight() && (!by_key || a.get_sort_key() == b.get_sort_key());
  };
  Xapian::doccount before = offset > 0 ? 1 : 0, after = 1;
  for (;;) {
    const Xapian::doccount first = offset - before;
    mset = enquire.get_mset(first, before + limit + after, offset + limit + after, nullptr, decider);
    // MSet::operator[] counts from the window's first item.
    const Xapian::doccount n = mset.size();
    if (n <= before || limit == 0) break;
    const Xapian::MSetIterator page_first = mset[before], page_last = mset[std::min(before + limit, n) - 1];
    const bool open_before = first > 0 && same_place(mset[0], page_first);
    const bool open_after = n == before + limit + after && same_place(mset[n - 1], page_last);
    // Runs longer than this are ordered by docid past it.
    constexpr Xapian::doccount kMaxRun = 10000;
    if (!open_before && !open_after) break;
    if (before >= kMaxRun || after >= kMaxRun) break;
    if (open_before) before = std::min(offset, before * 2);
    if (open_after) after *= 2;
  }
  std::vector<Xapian::MSetIterator> items;
  for (auto it = mset.begin(); it != mset.end(); ++it) items.push_back(it);
  std::vector<std::string> ids(items.size());
  for (std::size_t i = 0; i < items.size();) {
    std::size_t j = i + 1;
    while (j < items.size() && same_place(items[i], items[j])) ++j;
    if (j - i > 1) {
      for (std::size_t k = i; k < j; ++k) ids[k] = items[k].get_document().get_value(kSlotId);
      std::vector<std::size_t> order(j - i);
      for (std::size_t k = 0; k < order.size(); ++k) order[k] = i + k;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
      std::vector<Xapian::MSetIterator> run;
      for (std::size_t k : order) run.push_back(items[k]);
      std::copy(run.begin(), run.end(), items.begin() + static_cast<std::ptrdiff_t>(i));
    }
    i = j;
  }
  const std::size_t skip = std::min<std::size_t>(before, items.size());
  items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(skip));
  if (items.size() > limit) items.resize(limit);
  return items;
}

}  // namespace

SearchResponse Searcher::search_once(const SearchRequest& req) {
  const auto started = std::chrono::steady_clock::now();
  if (req.limit > options_.max_limit)
    throw UsageError("limit " + std::to_string(req.limit) + " is over the maximum of " +
                     std::to_string(options_.max_limit));
  if (req.offset > 1000000) throw UsageError("offset is too large");
  // Date ranges need terms only for the days articles were published in.
  const PublishedSpan span{db_.get_value_lower_bound(kSlotPublished), db_.get_value_upper_bound(kSlotPublished)};
  builder_.set_published_span(span);
  builder_.set_expand(req.expand);
  // A like-search may come without a query; with one, the query must match too.
  const bool like_only = !req.like.empty() && trim_ascii(req.query).empty();
  ParsedQuery pq = like_only ? ParsedQuery{} : builder_.parse(req.query);
  if (!req.like.empty()) {
    Xapian::Query like = like_query(db_, req.like);
    pq.query = like_only ? like : Xapian::Query(Xapian::Query::OP_FILTER, like, pq.query);
    pq.all_words.reset();  // ranked by likeness alone
  }

  std::vector<Xapian::Query> filters;
  if (!req.from.empty() || !req.to.empty()) filters.push_back(QueryBuilder::date_range(req.from, req.to, span));
  if (Xapian::Query f = filter_terms(*field_by_name("source"), req.sources); !f.empty()) filters.push_back(f);
  if (Xapian::Query f = filter_terms(*field_by_name("lang"), req.langs); !f.empty()) filters.push_back(f);
  auto filtered = [&](const Xapian::Query& q) {
    if (filters.empty()) return q;
    return Xapian::Query(Xapian::Query::OP_FILTER, q,
                         Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  };

  Xapian::Enquire enquire(db_);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  // Equal scores go by article id, not by docid, which depends on how the
  // index is split into shards (RANKING.md, Ties). A value sort is one the
  // remote backend carries; a KeyMaker (date, then id) it would refuse.
  if (req.sort == SortOrder::kDate)
    enquire.set_sort_by_value_then_relevance(kSlotPublished, true);
  else
    enquire.set_sort_by_relevance_then_value(kSlotId, false);

  SearchResponse out;
  out.query = req.query;
  out.offset = req.offset;
  out.limit = req.limit;
  out.like = req.like;
  out.expansions = pq.expansions;

  // A list of words ranks the articles that have every word first: they get
  // a constant bonus larger than any BM25 sum, so one pass of the matcher
  // orders both tiers (and prunes the some-words branch once the page is
  // full of every-word articles). The bonus is taken off the reported score.
  const Xapian::Query full = filtered(pq.query);
  Xapian::Query ranked = full;
  if (pq.all_words) {
    Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kTierBonus))->release());
    ranked = filtered(
        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_AND, *pq.all_words, bonus), pq.query));
  }
  // Freshness only adds weight to what matches (AND_MAYBE), and stays far
  // below kTierBonus, so an every-word article keeps ranking first.
  if (!std::isfinite(req.recency_halflife) || req.recency_halflife < 0)
    throw UsageError("recency_halflife must be a number of days, 0 or more");
  if (req.sort == SortOrder::kRelevance && req.recency_halflife > 0) {
    const std::int64_t reference = recency_reference(req.now, span.last);
    Xapian::Query fresh = recency_query(span.first, span.last, reference, req.recency_halflife, kRecencyMaxBoost);
    if (!fresh.empty()) ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, ranked, fresh);
  }
  enquire.set_query(ranked);
  if (req.collapse) enquire.set_collapse_key(kSlotStory);
  const bool timed = options_.time_limit > 0;
  const auto deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(options_.time_limit));
  const DeadlineDecider decider(deadline);
  if (timed) enquire.set_time_limit(options_.time_limit);
  // Xapian's remote backend refuses a match decider: over remote shards the
  // time limit is Enquire's and the remote timeout's (API.md, Shards).
  const Xapian::MatchDecider* const deadline_decider = timed && !remote_ ? &decider : nullptr;
  const auto first = static_cast<Xapian::doccount>(req.offset);
  const auto count = static_cast<Xapian::doccount>(req.limit);
  Xapian::MSet mset;
  const std::vector<Xapian::MSetIterator> page =
      page_in_id_order(enquire, first, count, deadline_decider, req.sort == SortOrder::kDate, mset);
  out.total = mset.get_matches_estimated();
  for (const Xapian::MSetIterator& it : page) {
    Xapian::Document doc = it.get_document();
    Hit h;
    h.docid = *it;
    h.score = it.get_weight();
    h.all_words = !pq.all_words || h.score >= kTierBonus;
    if (req.collapse) h.copies = 1 + it.get_collapse_count();
    if (req.collapse && remote_) h.copies = story_copies(db_, full, doc.get_value(kSlotStory), h.copies);
    // The every-word branch and the some-words branch both weigh the
    // same terms: halve their sum to report the article's BM25 weight.
    if (pq.all_words && h.all_words) h.score = (h.score - kTierBonus) / 2;
    if (!req.stored_fields) {
      h.article.id = doc.get_value(kSlotId);
      out.hits.push_back(std::move(h));
      continue;
    }
    if (!h.all_words && !pq.words.empty()) {
      // The terms of the query this article has tell which words it lacks.
      const std::set<std::string> present(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it));
      for (const QueryWord& w : pq.words)
        if (!matches_terms(w.query, present)) h.missing.push_back(w.text);
    }
    h.article = article_from_document(doc);
    const Article& a = h.article;
    if (req.snippets) h.snippet = make_snippet(a.body.empty() ? a.title : a.body, pq.highlights, req.snippet_chars);
    out.hits.push_back(std::move(h));
  }

  const auto out_of_time = [&] { return timed && std::chrono::steady_clock::now() >= deadline; };
  if (req.spelling && req.like.empty()) {
    if (out_of_time())
      out.partial = true;
    else
      out.did_you_mean = did_you_mean(db_, builder_, req.query, out.total, filtered);
  }

  if (req.facets && out_of_time()) {
    out.partial = true;
  } else if (req.facets)
    try {
      Xapian::Enquire fe(db_);
      fe.set_query(full);
      fe.set_weighting_scheme(Xapian::BoolWeight());
      std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
      for (const FacetSpec& spec : facet_specs()) {
        if (!spec.term_prefix.empty()) {
          spies.push_back(nullptr);
          continue;
        }
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(spec.slot));
        fe.add_matchspy(spies.back().get());
      }
      if (timed) fe.set_time_limit(std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count());
      fe.get_mset(0, 0, options_.facet_sample, nullptr, deadline_decider);
      for (std::size_t i = 0; i < spies.size(); ++i) {
        const FacetSpec& spec = facet_specs()[i];
        Facet facet{spec.name, spies[i]
                                   ? facet_counts(*spies[i], spec.max)
                                   : term_facet_counts(db_, full, spec.term_prefix, spec.max, options_.facet_sample)};
        if (spec.newest_first)
          std::sort(facet.counts.begin(), facet.counts.end(),
                    [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
        out.facets.push_back(std::move(facet));
      }
    } catch (const SearchTimeout&) {
      out.facets.clear();
      out.partial = true;
    }
  return out;
}

Snippet Searcher::make_snippet(const std::string& text, const Highlights& hl, std::size_t chars) {
  return xinwen::make_snippet(builder_.analyzer(), text, hl, chars);
}

std::vector<std::string> Searcher::suggest(std::string_view prefix, std::size_t count) {
  std::string text = clean_text(prefix);
  std::size_t cut = text.find_last_of(" \t");
  std::string head = cut == std::string::npos ? std::string() : text.substr(0, cut + 1);
  std::string last = fold_term(cut == std::string::npos ? text : text.substr(cut + 1));
  if (last.empty() || count == 0) return {};
  // Terms begin with a lower-case letter, a digit or a non-ASCII character;
  // anything else would walk into a prefixed term space.
  unsigned char c0 = static_cast<unsigned char>(last[0]);
  if (c0 < 0x80 && !std::islower(c0) && !std::isdigit(c0)) return {};
  const bool one_han_char = code_point_offsets(last).size() == 2 && !Analyzer::han_runs(last).empty();
  constexpr std::size_t kScan = 5000;
  // Candidates with their document frequency. Words of three or more Han
  // characters (and all other words) are terms of their own; two-character
  // Han words live among the body's bigrams, where only those that ICU's
  // dictionary takes for a word are offered.
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  // The n-gram space holds only n-grams: past the typed character alone,
  // each term there is a bigram.
  auto scan = [&](const std::string& space, bool dictionary_bigrams) {
    const std::string from = space + last;
    std::vector<std::pair<Xapian::doccount, std::string>> grams;
    std::size_t scanned = 0;
    for (auto it = db_.allterms_begin(from); it != db_.allterms_end(from) && scanned < kScan; ++it, ++scanned) {
      std::string term = (*it).substr(space.size());
      if (term == last) continue;
      (dictionary_bigrams ? grams : found).emplace_back(it.get_termfreq(), std::move(term));
    }
    std::stable_sort(grams.begin(), grams.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::size_t kept = 0;
    for (auto& g : grams) {
      if (kept >= count) break;
      std::vector<Token> toks = builder_.analyzer().tokenize(g.second);
      if (toks.size() != 1 || toks[0].term != g.second) continue;
      found.push_back(std::move(g));
      ++kept;
    }
  };
  try {
    with_reopen_retry(
        *this,
        [&](Searcher&) {
          found.clear();
          scan(std::string(), false);
          if (one_han_char) scan(std::string(kDefaultNgramPrefix), true);
        },
        2);
  } catch (const Xapian::DatabaseModifiedError&) {
    throw EnvironmentError("database keeps changing; try again");
  } catch (const Xapian::NetworkError& e) {
    // Completions are not worth a partial answer: name the shard and go on
    // with the others next time.
    const std::string what = describe_xapian_error(e);
    open_all(true);
    require_all_shards();
    throw ShardUnavailable("a remote shard failed: " + what);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < found.size() && out.size() < count; ++i) out.push_back(head + found[i].second);
  return out;
}

nlohmann::json expansions_json(const std::vector<Expansion>& expansions) {
  nlohmann::json out = nlohmann::json::array();
  for (const Expansion& e : expansions)
    out.push_back({{"words", e.words}, {"kind", expansion_kind_name(e.kind)}, {"to", e.to}});
  return out;
}

nlohmann::json to_json(const SearchResponse& r) {
  using nlohmann::json;
  json results = json::array();
  for (const Hit& h : r.hits) {
    json hit = {{"score", h.score}, {"matched", h.all_words ? "all" : "some"}, {"snippet", h.snippet.html()}};
    for (const Field& f : fields()) {
      if (!f.in_results) continue;
      if (f.list)
        hit[std::string(f.name)] = h.article.*f.list;
      else
        hit[std::string(f.name)] = h.article.*f.text;
    }
    if (h.copies > 1) hit["copies"] = h.copies;
    if (!h.missing.empty()) hit["missing"] = h.missing;
    results.push_back(std::move(hit));
  }
  json out = {{"version", kJsonVersion}, {"query", r.query}, {"total", r.total},
              {"offset", r.offset},      {"limit", r.limit}, {"results", results}};
  if (!r.did_you_mean.empty()) out["did_you_mean"] = r.did_you_mean;
  if (!r.like.empty()) out["like"] = r.like;
  if (!r.expansions.empty()) out["expansions"] = expansions_json(r.expansions);
  if (r.partial) out["partial"] = true;
  if (!r.missing_shards.empty()) out["missing_shards"] = r.missing_shards;
  if (!r.facets.empty()) {
    json facets = json::object();
    for (const Facet& f : r.facets) {
      json counts = json::array();
      for (const FacetCount& c : f.counts) counts.push_back({{"value", c.value}, {"count", c.count}});
      facets[std::string(f.name)] = std::move(counts);
    }
    out["facets"] = std::move(facets);
  }
  return out;
}

}  // namespace xinwen
