#include <xinwen/fetch/html_extract.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <climits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include <xinwen/fetch/dates.h>
#include "libxml_util.h"
#include <xinwen/fetch/url.h>
#include <xinwen/article.h>
#include <xinwen/ascii.h>

namespace xinwen {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------
// Characters

UChar32 next_char(std::string_view s, std::size_t* i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  auto pos = static_cast<int32_t>(*i);
  const auto n = static_cast<int32_t>(std::min<std::size_t>(s.size(), INT32_MAX));
  UChar32 c;
  U8_NEXT(p, pos, n, c);
  *i = static_cast<std::size_t>(pos);
  return c;
}

UChar32 last_char(std::string_view s) {
  if (s.empty()) return -1;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  auto pos = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_PREV(p, 0, pos, c);
  return c;
}

bool is_space_char(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xA0 || c == 0x3000 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0xFEFF;
}

// Characters written without spaces between them: a line break in the HTML
// source between two of them is not a word break.
bool is_cjk(UChar32 c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

// Code points that are not white space.
std::size_t count_chars(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();)
    if (!is_space_char(next_char(s, &i))) ++n;
  return n;
}

// Commas and sentence ends, the readability signal of running prose.
std::size_t count_clauses(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    UChar32 c = next_char(s, &i);
    if (c == ',' || c == ';' || c == 0xFF0C || c == 0x3001 || c == 0x3002 || c == 0xFF1B) ++n;
  }
  return n;
}

std::string trim(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    std::size_t i = b;
    if (!is_space_char(next_char(s, &i))) break;
    b = i;
  }
  std::string_view rest = s.substr(b);
  while (!rest.empty()) {
    UChar32 c = last_char(rest);
    if (!is_space_char(c)) break;
    rest.remove_suffix(static_cast<std::size_t>(U8_LENGTH(c < 0 ? 0xFFFD : c)));
  }
  return std::string(rest);
}

// ---------------------------------------------------------------------------
// Text of a subtree, with white space as a browser would show it.

class TextBuilder {
 public:
  void text(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
      std::size_t start = i;
      UChar32 c = next_char(s, &i);
      if (is_space_char(c) || (c >= 0 && c < 0x20)) {
        space_ = true;
        continue;
      }
      if (space_ && !current_.empty() && !(is_cjk(last_char(current_)) && is_cjk(c))) current_ += ' ';
      space_ = false;
      if (c < 0) {
        current_ += "\xEF\xBF\xBD";
      } else {
        current_.append(s.data() + start, i - start);
      }
    }
  }
  // Ends the current paragraph (a block boundary or a <br>).
  void flush() {
    if (!current_.empty()) paragraphs_.push_back(std::move(current_));
    current_.clear();
    space_ = false;
  }
  std::vector<std::string> take() {
    flush();
    return std::move(paragraphs_);
  }

 private:
  std::vector<std::string> paragraphs_;
  std::string current_;
  bool space_ = false;
};

// Elements whose content is never text a reader sees.
bool is_invisible(std::string_view name) {
  static const std::array<std::string_view, 17> kNames = {
      "script", "style", "noscript", "template", "iframe", "object",   "embed", "svg", "canvas",
      "head",   "title", "button",   "select",   "option", "textarea", "input", "math"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

bool is_block(std::string_view name) {
  static const std::array<std::string_view, 40> kNames = {
      "p",       "div",     "section", "article", "main",     "header",     "footer",  "nav",    "aside", "h1",
      "h2",      "h3",      "h4",      "h5",      "h6",       "ul",         "ol",      "li",     "dl",    "dt",
      "dd",      "table",   "tr",      "td",      "th",       "blockquote", "pre",     "figure", "hr",    "address",
      "details", "summary", "center",  "form",    "fieldset", "figcaption", "caption", "tbody",  "thead", "body"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// Skip decides, for each element below the root, whether it is left out.
template <typename Skip>
void render(const xmlNode* n, TextBuilder& out, const Skip& skip) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) out.text(reinterpret_cast<const char*>(c->content));
      continue;
    }
    if (c->type != XML_ELEMENT_NODE) continue;
    std::string_view name = xml_name(c);
    if (is_invisible(name) || skip(c)) continue;
    if (name == "br") {
      out.flush();
      continue;
    }
    const bool block = is_block(name);
    if (block) out.flush();
    render(c, out, skip);
    if (block) out.flush();
  }
}

std::string join_paragraphs(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const std::string& p : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

std::string inline_text(const xmlNode* n) {
  TextBuilder b;
  render(n, b, [](const xmlNode*) { return false; });
  std::string out;
  for (const std::string& p : b.take()) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Boilerplate at the end of the text

struct Marker {
  std::string_view text;  // lower case
  std::size_t max_chars;  // the paragraph is a heading or a credit line: no longer than this
};

// Paragraphs that begin what follows an article: disclaimers, copyright and
// editor lines, "related" and "recommended" headings. Words that can begin an
// ordinary sentence only count in a short paragraph.
constexpr std::size_t kAny = SIZE_MAX;
constexpr std::array<Marker, 44> kEndMarkers = {{
    {"免責聲明", kAny},
    {"免责声明", kAny},
    {"免責声明", kAny},
    {"风险提示", kAny},
    {"風險提示", kAny},
    {"版权声明", kAny},
    {"版權聲明", kAny},
    {"声明：", kAny},
    {"聲明：", kAny},
    {"责任编辑", kAny},
    {"責任編輯", kAny},
    {"相关阅读", 40},
    {"相關閱讀", 40},
    {"相关新闻", 40},
    {"相關新聞", 40},
    {"相关文章", 40},
    {"相關文章", 40},
    {"延伸阅读", 40},
    {"延伸閱讀", 40},
    {"推荐阅读", 40},
    {"推薦閱讀", 40},
    {"热门文章", 40},
    {"熱門文章", 40},
    {"热门新闻", 40},
    {"熱門新聞", 40},
    {"猜你喜欢", 40},
    {"猜你喜歡", 40},
    {"更多新闻", 40},
    {"更多新聞", 40},
    {"disclaimer:", kAny},
    {"disclaimer", 40},
    {"related articles", 60},
    {"related stories", 60},
    {"related news", 60},
    {"related coverage", 60},
    {"related:", 200},
    {"read more", 60},
    {"more from", 60},
    {"recommended", 40},
    {"you may also like", 60},
    {"you might also like", 60},
    {"copyright", 200},
    {"©", 200},
    {"all rights reserved", 200},
}};

bool starts_boilerplate(const std::string& paragraph) {
  // Leading brackets and bullets: 【免责声明】, [Disclaimer], * Related
  std::size_t i = 0;
  while (i < paragraph.size()) {
    std::size_t j = i;
    UChar32 c = next_char(paragraph, &j);
    if (!(c == '[' || c == '(' || c == '*' || c == '-' || c == 0x3010 || c == 0xFF08 || c == 0x2022 || c == 0xB7 ||
          c == 0x2014 || is_space_char(c)))
      break;
    i = j;
  }
  const std::string head = lower_ascii(std::string_view(paragraph).substr(i, 64));
  const std::size_t chars = count_chars(paragraph);
  for (const Marker& m : kEndMarkers)
    if (head.compare(0, m.text.size(), m.text) == 0 && chars <= m.max_chars) return true;
  return false;
}

bool ends_sentence(const std::string& p) {
  UChar32 c = last_char(p);
  return c == '.' || c == '!' || c == '?' || c == '"' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x201D ||
         c == 0x300D;
}

// Cuts a disclaimer or "related" heading and everything after it, repeated
// paragraphs and a first paragraph that only repeats the title; on a whole
// page also the furniture at the end ("goTop", "分享").
std::vector<std::string> trim_paragraphs(std::vector<std::string> paragraphs, const std::string& title,
                                         bool whole_page) {
  for (std::size_t k = 0; k < paragraphs.size(); ++k) {
    if (!starts_boilerplate(paragraphs[k])) continue;
    if (k == 0) {
      paragraphs.erase(paragraphs.begin());
      --k;
      continue;
    }
    paragraphs.resize(k);
    break;
  }
  while (whole_page && paragraphs.size() > 1 && count_chars(paragraphs.back()) < 8 && !ends_sentence(paragraphs.back()))
    paragraphs.pop_back();
  std::vector<std::string> out;
  for (std::string& p : paragraphs) {
    if (!out.empty() && out.back() == p) continue;
    if (out.empty() && !title.empty() && p == title) continue;
    out.push_back(std::move(p));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Finding the article in the page

struct NodeStats {
  std::size_t chars = 0;       // visible non-space characters
  std::size_t link_chars = 0;  // of which inside <a>
};

class Stats {
 public:
  explicit Stats(const xmlNode* root) { compute(root, false); }
  NodeStats operator()(const xmlNode* n) const {
    auto it = map_.find(n);
    return it == map_.end() ? NodeStats{} : it->second;
  }
  double link_density(const xmlNode* n) const {
    NodeStats s = (*this)(n);
    return s.chars ? static_cast<double>(s.link_chars) / static_cast<double>(s.chars) : 0.0;
  }

 private:
  NodeStats compute(const xmlNode* n, bool in_link) {
    NodeStats s;
    for (const xmlNode* c = n->children; c; c = c->next) {
      if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
        std::size_t k = count_chars(reinterpret_cast<const char*>(c->content));
        s.chars += k;
        if (in_link) s.link_chars += k;
      } else if (c->type == XML_ELEMENT_NODE && !is_invisible(xml_name(c))) {
        NodeStats cs = compute(c, in_link || xml_name(c) == "a");
        s.chars += cs.chars;
        s.link_chars += cs.link_chars;
      }
    }
    map_[n] = s;
    return s;
  }
  std::unordered_map<const xmlNode*, NodeStats> map_;
};

// The words of an element's class and id, lower case.
std::vector<std::string> class_words(const xmlNode* n) {
  std::string s = lower_ascii(xml_attr(n, "class") + " " + xml_attr(n, "id"));
  std::vector<std::string> out;
  std::string word;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

bool has_word(const std::vector<std::string>& words, std::initializer_list<std::string_view> any) {
  for (const std::string& w : words)
    for (std::string_view a : any)
      if (w == a) return true;
  return false;
}

bool contains_any(const std::string& s, std::initializer_list<std::string_view> any) {
  for (std::string_view a : any)
    if (s.find(a) != std::string::npos) return true;
  return false;
}

// Class and id names of things that are not the article: navigation, link
// lists, sharing, comments, ads, disclaimers (with the pinyin some Chinese
// sites use: tuijian 推荐, xiangguan 相关, mianze 免责, remen 热门).
bool is_negative(const xmlNode* n) {
  std::vector<std::string> words = class_words(n);
  if (words.empty()) return false;
  if (has_word(words,
               {"nav",    "menu",      "ad",     "ads",    "share",   "tags",  "tag",      "foot",   "side",  "hot",
                "rank",   "more",      "banner", "header", "toolbar", "tools", "print",    "login",  "modal", "popup",
                "search", "statement", "xgxw",   "xgyd",   "remen",   "top10", "keywords", "qrcode", "ewm"}))
    return true;
  std::string all;
  for (const std::string& w : words) all += w + " ";
  if (all.find("comment") != std::string::npos && all.find("commentary") == std::string::npos) return true;
  return contains_any(
      all, {"related",    "relate ", "recommend",  "sidebar",   "footer",     "breadcrumb", "disclaimer", "copyright",
            "advert",     "sponsor", "newsletter", "subscribe", "popular",    "trending",   "cookie",     "taboola",
            "outbrain",   "social",  "sharing",    "navbar",    "navigation", "masthead",   "widget",     "promo",
            "pagination", "tuijian", "xiangguan",  "mianze",    "mostread",   "most read"});
}

bool is_positive(const xmlNode* n) {
  std::vector<std::string> words = class_words(n);
  return has_word(words, {"article", "content", "body", "story", "text", "entry", "main", "post", "detail", "zw",
                          "zhengwen", "artibody", "articlebody", "postcontent"}) ||
         contains_any(lower_ascii(xml_attr(n, "class") + " " + xml_attr(n, "id")),
                      {"article-body", "article-content", "articlebody", "story-body", "post-body", "entry-content"});
}

// Elements that are page furniture whatever their content.
bool is_furniture(const xmlNode* n) {
  std::string_view name = xml_name(n);
  static const std::array<std::string_view, 10> kTags = {"nav",  "aside",  "footer", "header", "form",
                                                         "menu", "dialog", "figure", "button", "select"};
  if (std::find(kTags.begin(), kTags.end(), name) != kTags.end()) return true;
  if (n->properties == nullptr) return false;
  std::string role = lower_ascii(xml_attr(n, "role"));
  if (role == "navigation" || role == "banner" || role == "contentinfo" || role == "complementary" ||
      role == "search" || role == "menu" || role == "menubar" || role == "dialog" || role == "alertdialog")
    return true;
  if (lower_ascii(xml_attr(n, "aria-hidden")) == "true") return true;
  for (const xmlAttr* a = n->properties; a; a = a->next)
    if (a->name && std::string_view(reinterpret_cast<const char*>(a->name)) == "hidden") return true;
  std::string style = lower_ascii(xml_attr(n, "style"));
  style.erase(std::remove(style.begin(), style.end(), ' '), style.end());
  if (style.find("display:none") != std::string::npos || style.find("visibility:hidden") != std::string::npos)
    return true;
  return is_negative(n);
}

// Removes furniture, except an element that holds more than half of the
// page's text (some sites wrap the whole page in an "ad-wrapper").
void prune(xmlNode* root) {
  Stats stats(root);
  const std::size_t page_chars = stats(root).chars;
  std::vector<xmlNode*> doomed;
  auto walk = [&](auto& self, xmlNode* n) -> void {
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_COMMENT_NODE) {
        doomed.push_back(c);
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      if (is_invisible(xml_name(c)) || (is_furniture(c) && stats(c).chars * 2 <= page_chars)) {
        doomed.push_back(c);
        continue;
      }
      self(self, c);
    }
  };
  walk(walk, root);
  for (xmlNode* n : doomed) {
    xmlUnlinkNode(n);
    XmlNode gone(n);
  }
}

bool is_paragraph_tag(std::string_view name) {
  return name == "p" || name == "pre" || name == "blockquote" || name == "li" || name == "td" || name == "dd";
}

double tag_weight(std::string_view name) {
  if (name == "article") return 10;
  if (name == "div" || name == "main") return 5;
  if (name == "section" || name == "td" || name == "blockquote") return 3;
  if (name == "pre") return 3;
  if (name == "ul" || name == "ol" || name == "dl" || name == "dd" || name == "dt" || name == "li") return -3;
  if (name == "form" || name == "address") return -3;
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return -5;
  if (name == "th") return -5;
  return 0;
}

// The text an element holds directly: its text nodes and inline children.
std::string own_text(const xmlNode* n) {
  TextBuilder b;
  for (const xmlNode* c = n->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      b.text(reinterpret_cast<const char*>(c->content));
    } else if (c->type == XML_ELEMENT_NODE && !is_block(xml_name(c)) && !is_invisible(xml_name(c))) {
      if (xml_name(c) == "br") {
        b.text(" ");
        continue;
      }
      b.text(" ");
      b.text(inline_text(c));
      b.text(" ");
    }
  }
  std::string out;
  for (const std::string& p : b.take()) out += p;
  return out;
}

// Readability's idea: every stretch of prose scores its container (and, less,
// the containers above); link-heavy containers are discounted; the best
// container is the article.
class Scorer {
 public:
  explicit Scorer(const xmlNode* root) : stats_(root) { walk(root); }

  // The best-scoring container; the first in document order on a tie.
  const xmlNode* best() const {
    const xmlNode* top = nullptr;
    double top_score = 0;
    for (const xmlNode* n : order_) {
      double f = final_score(n);
      if (!top || f > top_score) {
        top = n;
        top_score = f;
      }
    }
    return top;
  }

  double final_score(const xmlNode* n) const {
    auto it = scores_.find(n);
    if (it == scores_.end()) return 0;
    return it->second * (1.0 - stats_.link_density(n));
  }

  const Stats& stats() const { return stats_; }

 private:
  void walk(const xmlNode* n) {
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      std::string_view name = xml_name(c);
      if (is_paragraph_tag(name)) {
        score_prose(inline_text(c), c, c->parent);
        if (name == "li" || name == "td" || name == "dd" || name == "blockquote") walk(c);
        continue;
      }
      std::string own = own_text(c);
      if (count_chars(own) >= 25) score_prose(own, c, c);
      walk(c);
    }
  }

  void score_prose(const std::string& text, const xmlNode* holder, const xmlNode* first) {
    const std::size_t len = count_chars(text);
    if (len < 15) return;
    double s = 1.0 + static_cast<double>(std::min<std::size_t>(count_clauses(text), 30)) +
               std::min(static_cast<double>(len) / 100.0, 3.0);
    s *= 1.0 - stats_.link_density(holder);
    int level = 0;
    for (const xmlNode* a = first; a && a->type == XML_ELEMENT_NODE && level < 5; a = a->parent, ++level) {
      auto [it, fresh] = scores_.try_emplace(a, 0.0);
      if (fresh) {
        it->second = initial_score(a);
        order_.push_back(a);
      }
      const double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
      it->second += s / divider;
    }
  }

  static double initial_score(const xmlNode* n) {
    double s = tag_weight(xml_name(n));
    if (is_positive(n)) s += 25;
    if (is_negative(n)) s -= 25;
    return s;
  }

  Stats stats_;
  std::unordered_map<const xmlNode*, double> scores_;
  std::vector<const xmlNode*> order_;  // scored containers, first scored first
};

// The article's element, and the siblings that belong with it (a lead
// paragraph outside the body's <div>, a second column of text).
std::vector<const xmlNode*> article_nodes(const Scorer& scorer, const xmlNode* top) {
  std::vector<const xmlNode*> out;
  if (!top->parent || top->parent->type != XML_ELEMENT_NODE) return {top};
  const double top_score = scorer.final_score(top);
  const double threshold = std::max(10.0, top_score * 0.2);
  const std::string top_class = xml_attr(top, "class");
  for (const xmlNode* s = top->parent->children; s; s = s->next) {
    if (s == top) {
      out.push_back(s);
      continue;
    }
    if (s->type != XML_ELEMENT_NODE) continue;
    double bonus = (!top_class.empty() && xml_attr(s, "class") == top_class) ? top_score * 0.2 : 0;
    bool keep = scorer.final_score(s) + bonus >= threshold;
    if (!keep && xml_name(s) == "p") {
      std::string text = inline_text(s);
      std::size_t len = count_chars(text);
      double density = scorer.stats().link_density(s);
      keep = (len > 80 && density < 0.25) || (len > 0 && len <= 80 && density == 0 && ends_sentence(text));
    }
    if (keep) out.push_back(s);
  }
  return out;
}

std::vector<std::string> render_article(const std::vector<const xmlNode*>& nodes, const Stats& stats) {
  TextBuilder b;
  auto skip = [&](const xmlNode* n) {
    std::string_view name = xml_name(n);
    if (name == "h1") return true;                         // the title, which has its own field
    return is_block(name) && stats.link_density(n) > 0.5;  // a list of links
  };
  for (const xmlNode* n : nodes) {
    b.flush();
    render(n, b, skip);
    b.flush();
  }
  return b.take();
}

// ---------------------------------------------------------------------------
// Metadata

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
        std::string key = lower_ascii(trim(xml_attr(c, attr)));
        if (key.empty()) continue;
        if (key == "article:tag") {
          if (!trim(content).empty()) m.article_tags.push_back(trim(content));
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
      if (lower_ascii(trim(xml_attr(c, "type"))) == "application/ld+json" && m.ld.headline.empty() &&
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
    if (it != m.meta.end() && !trim(it->second).empty()) return trim(it->second);
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
  std::string head = trim(std::string_view(title).substr(0, title.size() - site.size()));
  for (std::string_view sep : {"-", "|", "_", "–", "—", "·", "｜", "::"}) {
    if (head.size() > sep.size() && head.compare(head.size() - sep.size(), sep.size(), sep) == 0) {
      std::string h = trim(std::string_view(head).substr(0, head.size() - sep.size()));
      if (!h.empty()) return h;
    }
  }
  return title;
}

XmlDoc parse_html(std::string_view html, const std::string& url) {
  init_libxml();
  HtmlParserCtxt ctxt(htmlNewParserCtxt());
  if (!ctxt) return nullptr;
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                      HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC;
  const auto size = static_cast<int>(std::min<std::size_t>(html.size(), INT_MAX));
  return XmlDoc(
      htmlCtxtReadMemory(ctxt.get(), html.data(), size, url.empty() ? nullptr : url.c_str(), "UTF-8", options));
}

xmlNode* body_of(xmlDoc* doc) {
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!root) return nullptr;
  for (xmlNode* c = root->children; c; c = c->next)
    if (xml_name(c) == "body") return c;
  return root;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos) {
    TextBuilder b;
    b.text(html);
    return join_paragraphs(b.take());
  }
  XmlDoc doc = parse_html(html, "");
  if (!doc) return {};
  const xmlNode* body = body_of(doc.get());
  if (!body) return {};
  TextBuilder b;
  render(body, b, [](const xmlNode*) { return false; });
  return join_paragraphs(trim_paragraphs(b.take(), "", false));
}

PageInfo extract_page(std::string_view html, const std::string& url) {
  PageInfo info;
  XmlDoc doc = parse_html(html, url);
  if (!doc) return info;
  PageMeta m;
  collect_meta(xmlDocGetRootElement(doc.get()), m);

  info.site_name = first_meta(m, {"og:site_name", "application-name"});
  if (info.site_name.empty()) info.site_name = trim(m.ld.publisher);
  std::string title = first_meta(m, {"og:title", "twitter:title"});
  if (title.empty()) title = trim(m.ld.headline);
  if (title.empty()) title = trim(m.first_h1);
  if (title.empty()) title = trim(m.title);
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
  if (info.author.empty()) info.author = trim(m.ld.author);
  info.lang = trim(m.html_lang);
  if (info.lang.empty()) info.lang = first_meta(m, {"content-language", "og:locale", "language"});
  if (info.lang.empty()) info.lang = trim(m.ld.lang);
  info.description = first_meta(m, {"og:description", "description", "twitter:description"});
  info.tags = m.article_tags;

  xmlNode* body = body_of(doc.get());
  if (body) {
    prune(body);
    Scorer scorer(body);
    const xmlNode* top = scorer.best();
    if (!top) top = body;
    std::vector<std::string> paragraphs = render_article(article_nodes(scorer, top), scorer.stats());
    info.body = join_paragraphs(trim_paragraphs(std::move(paragraphs), info.title, true));
  }
  // A page that states its text in JSON-LD: trust that when the markup gave
  // much less (a script-rendered page, or a body split into odd pieces).
  std::string ld_body = m.ld.body.empty() ? std::string() : html_to_text(m.ld.body);
  if (count_chars(ld_body) > 2 * count_chars(info.body)) info.body = ld_body;
  return info;
}

}  // namespace xinwen
