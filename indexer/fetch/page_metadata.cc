#include "page_metadata.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/ascii.h>
#include <xinwen/fetch/dates.h>
#include <xinwen/fetch/url.h>
#include "html_text.h"
#include "text_chars.h"

namespace xinwen::extract {
namespace {

using nlohmann::json;

bool is_article_type(const json& type) {
  static const std::array<std::string_view, 7> kTypes = {
      "NewsArticle",        "Article",     "ReportageNewsArticle", "AnalysisNewsArticle",
      "OpinionNewsArticle", "BlogPosting", "LiveBlogPosting"};
  auto one = [](const json& t) {
    return t.is_string() && std::find(kTypes.begin(), kTypes.end(), t.get<std::string>()) != kTypes.end();
  };
  if (one(type)) return true;
  if (type.is_array())
    for (const json& t : type)
      if (one(t)) return true;
  return false;
}

const json* find_article_object(const json& j, int depth) {
  if (depth > 8) return nullptr;
  if (j.is_object()) {
    auto t = j.find("@type");
    if (t != j.end() && is_article_type(*t)) return &j;
    auto g = j.find("@graph");
    if (g != j.end())
      if (const json* found = find_article_object(*g, depth + 1)) return found;
  } else if (j.is_array()) {
    for (const json& e : j)
      if (const json* found = find_article_object(e, depth + 1)) return found;
  }
  return nullptr;
}

std::string json_string(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  return {};
}

// A person or organization: "Name", {"name": "Name"} or a list of them.
std::string json_name(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object()) return json_string(v, "name");
  if (v.is_array()) {
    std::string out;
    for (const json& e : v) {
      std::string n = json_name(e);
      if (n.empty()) continue;
      if (!out.empty()) out += ", ";
      out += n;
    }
    return out;
  }
  return {};
}

struct JsonLdArticle {
  std::string headline, published, url, author, publisher, body, lang;
};

JsonLdArticle read_json_ld(const std::string& text) {
  JsonLdArticle out;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return out;
  const json* a = find_article_object(j, 0);
  if (!a) return out;
  out.headline = json_string(*a, "headline");
  if (out.headline.empty()) out.headline = json_string(*a, "name");
  out.published = json_string(*a, "datePublished");
  out.url = json_string(*a, "url");
  if (out.url.empty()) {
    auto m = a->find("mainEntityOfPage");
    if (m != a->end()) out.url = m->is_string() ? m->get<std::string>() : m->is_object() ? json_string(*m, "@id") : "";
  }
  if (auto it = a->find("author"); it != a->end()) out.author = json_name(*it);
  if (auto it = a->find("publisher"); it != a->end()) out.publisher = json_name(*it);
  out.body = json_string(*a, "articleBody");
  out.lang = json_string(*a, "inLanguage");
  return out;
}

struct PageMeta {
  std::unordered_map<std::string, std::string> meta;  // first content per lower-case property/name/itemprop
  std::vector<std::string> article_tags;
  std::string canonical, html_lang, title, first_h1, time_published, time_first;
  JsonLdArticle ld;
};

void collect_meta(const xmlNode* n, PageMeta& m) {
  for (const xmlNode* c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    std::string_view name = xml_name(c);
    if (name == "meta") {
      std::string content = xml_attr(c, "content");
      for (const char* attr : {"property", "name", "itemprop", "http-equiv"}) {
        std::string key = lower_ascii(trim_unicode_space(xml_attr(c, attr)));
        if (key.empty()) continue;
        if (key == "article:tag") {
          if (!trim_unicode_space(content).empty()) m.article_tags.push_back(trim_unicode_space(content));
        } else {
          m.meta.try_emplace(key, content);
        }
      }
    } else if (name == "link") {
      std::string rel = " " + lower_ascii(xml_attr(c, "rel")) + " ";
      if (m.canonical.empty() && rel.find(" canonical ") != std::string::npos) m.canonical = xml_attr(c, "href");
    } else if (name == "html") {
      if (m.html_lang.empty()) m.html_lang = xml_attr(c, "lang");
      if (m.html_lang.empty()) m.html_lang = xml_attr(c, "xml:lang");
    } else if (name == "title") {
      if (m.title.empty()) m.title = inline_text(c);
    } else if (name == "h1") {
      if (m.first_h1.empty()) m.first_h1 = inline_text(c);
    } else if (name == "time") {
      std::string dt = xml_attr(c, "datetime");
      if (!dt.empty()) {
        bool published = lower_ascii(xml_attr(c, "itemprop")) == "datepublished";
        for (const xmlAttr* a = c->properties; a && !published; a = a->next)
          published = a->name && std::string_view(reinterpret_cast<const char*>(a->name)) == "pubdate";
        if (published && m.time_published.empty()) m.time_published = dt;
        if (m.time_first.empty()) m.time_first = dt;
      }
    } else if (name == "script") {
      if (lower_ascii(trim_unicode_space(xml_attr(c, "type"))) == "application/ld+json" && m.ld.headline.empty() &&
          m.ld.published.empty()) {
        m.ld = read_json_ld(xml_text(c));
      }
      continue;
    }
    collect_meta(c->children, m);
  }
}

std::string first_meta(const PageMeta& m, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    auto it = m.meta.find(k);
    if (it != m.meta.end() && !trim_unicode_space(it->second).empty()) return trim_unicode_space(it->second);
  }
  return {};
}

std::string first_date(std::initializer_list<std::string> candidates) {
  for (const std::string& c : candidates)
    if (auto t = parse_web_date(c)) return *t;
  return {};
}

// "Headline - Site", "Headline | Site", "Headline_Site" → "Headline".
std::string strip_site_suffix(const std::string& title, const std::string& site) {
  if (site.empty() || title.size() <= site.size()) return title;
  if (title.compare(title.size() - site.size(), site.size(), site) != 0) return title;
  std::string head = trim_unicode_space(std::string_view(title).substr(0, title.size() - site.size()));
  for (std::string_view sep : {"-", "|", "_", "–", "—", "·", "｜", "::"}) {
    if (head.size() > sep.size() && head.compare(head.size() - sep.size(), sep.size(), sep) == 0) {
      std::string h = trim_unicode_space(std::string_view(head).substr(0, head.size() - sep.size()));
      if (!h.empty()) return h;
    }
  }
  return title;
}

}  // namespace

PageMetadata read_page_metadata(const xmlNode* root, const std::string& url) {
  PageMeta m;
  collect_meta(root, m);
  PageMetadata out;
  PageInfo& info = out.info;
  info.site_name = first_meta(m, {"og:site_name", "application-name"});
  if (info.site_name.empty()) info.site_name = trim_unicode_space(m.ld.publisher);
  std::string title = first_meta(m, {"og:title", "twitter:title"});
  if (title.empty()) title = trim_unicode_space(m.ld.headline);
  if (title.empty()) title = trim_unicode_space(m.first_h1);
  if (title.empty()) title = trim_unicode_space(m.title);
  info.title = strip_site_suffix(clean_text(title), info.site_name);

  info.published =
      first_date({first_meta(m, {"article:published_time", "og:article:published_time"}), m.ld.published,
                  first_meta(m, {"datepublished"}), m.time_published,
                  first_meta(m, {"pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
                                 "article.published", "sailthru.date", "parsely-pub-date", "dc.date.issued", "dc.date",
                                 "dcterms.date", "date", "og:release_date"}),
                  m.time_first});

  for (const std::string& candidate : {m.canonical, first_meta(m, {"og:url"}), m.ld.url}) {
    std::string u = resolve_url(url, candidate);
    if (!candidate.empty() && is_web_url(u)) {
      info.canonical_url = u;
      break;
    }
  }

  info.author = first_meta(m, {"author", "article:author", "dc.creator", "byl"});
  if (info.author.rfind("http", 0) == 0) info.author.clear();  // article:author is often a profile URL
  if (info.author.empty()) info.author = trim_unicode_space(m.ld.author);
  info.lang = trim_unicode_space(m.html_lang);
  if (info.lang.empty()) info.lang = first_meta(m, {"content-language", "og:locale", "language"});
  if (info.lang.empty()) info.lang = trim_unicode_space(m.ld.lang);
  info.description = first_meta(m, {"og:description", "description", "twitter:description"});
  info.tags = m.article_tags;
  out.json_ld_body = std::move(m.ld.body);
  return out;
}

}  // namespace xinwen::extract
