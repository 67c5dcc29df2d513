#include "params.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include <xinwen/errors.h>

namespace xinwen {

std::size_t int_param(const httplib::Request& req, const char* name, std::size_t fallback) {
  if (!req.has_param(name)) return fallback;
  std::string v = req.get_param_value(name);
  if (v.empty()) return fallback;
  if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(std::string(name) + " must be a whole number");
  return static_cast<std::size_t>(std::stoul(v));
}

std::vector<std::string> list_param(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  std::size_t n = req.get_param_value_count(name);
  for (std::size_t i = 0; i < n; ++i) {
    std::string v = req.get_param_value(name, i);
    if (!v.empty()) out.push_back(std::move(v));
  }
  return out;
}

std::string query_param(const httplib::Request& req, const ServerOptions& opt) {
  std::string q = req.get_param_value("q");
  if (q.size() > opt.max_query_bytes)
    throw UsageError("q is too long: the limit is " + std::to_string(opt.max_query_bytes) + " bytes");
  return q;
}

SearchRequest search_params(const httplib::Request& req, const ServerOptions& opt) {
  SearchRequest sr;
  sr.query = query_param(req, opt);
  std::size_t size = int_param(req, "size", std::min(opt.default_page_size, opt.max_page_size));
  if (size < 1 || size > opt.max_page_size)
    throw UsageError("size must be from 1 to " + std::to_string(opt.max_page_size));
  std::size_t page = int_param(req, "page", 1);
  if (page < 1 || page > opt.max_page) throw UsageError("page must be from 1 to " + std::to_string(opt.max_page));
  sr.limit = size;
  sr.offset = (page - 1) * size;
  std::string sort = req.get_param_value("sort");
  if (sort.empty() || sort == "relevance")
    sr.sort = SortOrder::kRelevance;
  else if (sort == "date")
    sr.sort = SortOrder::kDate;
  else
    throw UsageError("sort must be relevance or date");
  sr.sources = list_param(req, "source");
  sr.langs = list_param(req, "lang");
  if (sr.sources.size() > 20 || sr.langs.size() > 20) throw UsageError("too many source or lang filters");
  for (const auto& v : {std::cref(sr.sources), std::cref(sr.langs)})
    for (const std::string& s : v.get())
      if (s.size() > 200) throw UsageError("a source or lang filter is too long");
  sr.from = req.get_param_value("from");
  sr.to = req.get_param_value("to");
  if (sr.from.size() > 10 || sr.to.size() > 10) throw UsageError("from and to are dates: YYYY-MM-DD");
  std::string facets = req.get_param_value("facets");
  sr.facets = !(facets == "0" || facets == "false");
  if (std::string h = req.get_param_value("recency_halflife"); !h.empty()) {
    // Days, whole or decimal; 0 turns freshness off.
    char* end = nullptr;
    double days = std::strtod(h.c_str(), &end);
    if (h.size() > 12 || *end != '\0' || !(days >= 0 && days <= 1e6))
      throw UsageError("recency_halflife must be a number of days from 0 to 1000000");
    sr.recency_halflife = days;
  }
  sr.now = req.get_param_value("now");
  if (sr.now.size() > 20) throw UsageError("now is a date: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  sr.like = req.get_param_value("like");
  if (sr.like.size() > 2000) throw UsageError("like is an article id; this one is too long");
  std::string spelling = req.get_param_value("spelling");
  sr.spelling = !(spelling == "0" || spelling == "false");
  std::string expand = req.get_param_value("expand");
  sr.expand = !(expand == "0" || expand == "false");
  std::string collapse = req.get_param_value("collapse");
  sr.collapse = !(collapse == "0" || collapse == "false");
  // partial=1 accepts an answer without the shards that are down, partial=0
  // refuses one; absent, the server's --allow-partial decides.
  std::string partial = req.get_param_value("partial");
  if (partial == "1" || partial == "true")
    sr.allow_partial = true;
  else if (partial == "0" || partial == "false")
    sr.allow_partial = false;
  else if (partial.empty())
    sr.allow_partial = opt.allow_partial;
  else
    throw UsageError("partial must be 1 or 0");
  return sr;
}

std::size_t suggest_count(const httplib::Request& req, const ServerOptions& opt) {
  std::size_t n = int_param(req, "n", 8);
  if (n < 1 || n > opt.max_suggestions) throw UsageError("n must be from 1 to " + std::to_string(opt.max_suggestions));
  return n;
}

}  // namespace xinwen
