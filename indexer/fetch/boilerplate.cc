#include "boilerplate.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include <xinwen/ascii.h>
#include "text_chars.h"

namespace xinwen::extract {
namespace {

struct Marker {
  std::string_view text;  // lower case
  std::size_t max_chars;  // the paragraph is a heading or a credit line: no longer than this
};

// Paragraphs that begin what follows an article: disclaimers, copyright and
// editor lines, "related" and "recommended" headings. Words that can begin an
// ordinary sentence only count in a short paragraph.
constexpr std::size_t kAny = SIZE_MAX;
constexpr std::array<Marker, 43> kEndMarkers = {{
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
    {"all rights reserved", 200},
}};

// Where a paragraph's words start, past leading brackets and bullets:
// 【免责声明】, [Disclaimer], * Related.
std::size_t text_start(const std::string& paragraph) {
  std::size_t i = 0;
  while (i < paragraph.size()) {
    std::size_t j = i;
    UChar32 c = next_char(paragraph, &j);
    if (!(c == '[' || c == '(' || c == '*' || c == '-' || c == 0x3010 || c == 0xFF08 || c == 0x2022 || c == 0xB7 ||
          c == 0x2014 || is_space_char(c)))
      break;
    i = j;
  }
  return i;
}

bool starts_boilerplate(const std::string& paragraph) {
  const std::string head = lower_ascii(std::string_view(paragraph).substr(text_start(paragraph), 64));
  const std::size_t chars = count_chars(paragraph);
  for (const Marker& m : kEndMarkers)
    if (head.compare(0, m.text.size(), m.text) == 0 && chars <= m.max_chars) return true;
  return false;
}

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

// A photo credit or caption line inside the article: "© Agency", "Photo:
// Name", 攝影：陳大文, 图片来源：网络. Dropped alone; the article goes on
// after it. A "©" line that names a year or rights is the page's copyright
// notice, which ends the article (copyright_notice).
bool is_credit(const std::string& paragraph) {
  const std::string head = lower_ascii(std::string_view(paragraph).substr(text_start(paragraph), 64));
  if (head.rfind("©", 0) == 0) return !copyright_notice(paragraph) || count_chars(paragraph) > 200;
  static constexpr std::string_view kCredits[] = {"photo:", "photos:", "photo credit", "image:",   "credit:",  "摄影：",
                                                  "攝影：", "摄影/",   "攝影/",        "图片来源", "圖片來源", "图片：",
                                                  "圖片：", "图：",    "圖：",         "图／",     "圖／",     "图/",
                                                  "圖/",    "图∕",     "圖∕"};  // Big5 A241 decodes as U+2215 in ICU
  if (count_chars(paragraph) > 80) return false;
  for (std::string_view c : kCredits)
    if (head.rfind(c, 0) == 0) return true;
  return false;
}

}  // namespace

bool copyright_notice(const std::string& paragraph) {
  const std::string lower = lower_ascii(paragraph);
  if (lower.find("rights") != std::string::npos || lower.find("版权") != std::string::npos ||
      lower.find("版權") != std::string::npos)
    return true;
  // The year of a notice comes first ("© 2025 Example"); a caption may end
  // with the date of its photo.
  const std::size_t end = std::min<std::size_t>(lower.size(), 40);
  for (std::size_t i = 0; i + 4 <= end; ++i)
    if ((lower.compare(i, 2, "19") == 0 || lower.compare(i, 2, "20") == 0) && is_ascii_digit(lower[i + 2]) &&
        is_ascii_digit(lower[i + 3]) && (i == 0 || !is_ascii_digit(lower[i - 1])) &&
        (i + 4 == lower.size() || !is_ascii_digit(lower[i + 4])))
      return true;
  return false;
}

bool ends_sentence(const std::string& p) {
  UChar32 c = last_char(p);
  return c == '.' || c == '!' || c == '?' || c == '"' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x201D ||
         c == 0x300D;
}

std::vector<std::string> trim_paragraphs(std::vector<std::string> paragraphs, const std::string& title,
                                         bool whole_page) {
  for (std::size_t k = 0; k < paragraphs.size(); ++k) {
    if (is_credit(paragraphs[k])) {
      paragraphs.erase(paragraphs.begin() + static_cast<std::ptrdiff_t>(k));
      --k;
      continue;
    }
    const bool notice = lower_ascii(paragraphs[k].substr(text_start(paragraphs[k]), 8)).rfind("©", 0) == 0;
    if (!notice && !starts_boilerplate(paragraphs[k])) continue;
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

namespace {

// The class and id tokens of an element, lower case, split at white space
// only: "content-with-sidebar-wrp" stays one token. CMS bookkeeping tokens
// (WordPress's tag-*, category-*, post-*, format-* on <article> and <body>)
// describe the article, never page furniture, and are left out.
std::vector<std::string> furniture_tokens(const xmlNode* n) {
  std::string s = lower_ascii(xml_attr(n, "class") + " " + xml_attr(n, "id"));
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f')) ++i;
    std::size_t j = i;
    while (j < s.size() && !(s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r' || s[j] == '\f')) ++j;
    if (j > i) out.emplace_back(s, i, j - i);
    i = j;
  }
  static const std::array<std::string_view, 6> kBookkeeping = {"tag-",    "category-", "post-",
                                                               "format-", "status-",   "type-"};
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const std::string& t) {
                             return std::any_of(kBookkeeping.begin(), kBookkeeping.end(),
                                                [&](std::string_view b) { return t.rfind(b, 0) == 0; });
                           }),
            out.end());
  return out;
}

bool is_separator(char c) { return c == '-' || c == '_'; }

// True if token is word itself, word with an "s", or word joined to other
// parts by - or _ at either end ("sidebar-left", "site-footer",
// "related_posts"); never word inside a longer name ("modal-enabled" is not
// "modal-", "content-with-sidebar-wrp" is not "sidebar").
bool token_names(std::string_view token, std::string_view word) {
  if (token.size() < word.size()) return false;
  if (token == word) return true;
  if (token.size() == word.size() + 1 && token.substr(0, word.size()) == word && token.back() == 's') return true;
  if (token.substr(0, word.size()) == word && is_separator(token[word.size()])) return true;
  const std::size_t tail = token.size() - word.size();
  return token.substr(tail) == word && is_separator(token[tail - 1]);
}

}  // namespace

// Class and id names of things that are not the article: navigation, link
// lists, sharing, comments, ads, disclaimers (with the pinyin some Chinese
// sites use: tuijian 推荐, xiangguan 相关, mianze 免责, remen 热门). Matched
// as whole tokens (token_names), so that a wrapper whose name merely
// contains one of these words ("content-with-sidebar-wrp", "modal-enabled",
// "pg-side-of-rail") is not taken for furniture.
bool is_negative(const xmlNode* n) {
  // Words that name furniture as a whole token or a part of one.
  static constexpr std::string_view kWords[] = {
      "nav",        "menu",     "ad",        "ads",        "advert",   "share",    "sharing",  "social", "tags",
      "tag",        "foot",     "footer",    "side",       "sidebar",  "hot",      "rank",     "more",   "banner",
      "header",     "masthead", "toolbar",   "tools",      "print",    "login",    "modal",    "popup",  "search",
      "statement",  "xgxw",     "xgyd",      "remen",      "top10",    "keywords", "qrcode",   "ewm",    "comment",
      "comments",   "related",  "recommend", "breadcrumb", "cookie",   "popular",  "trending", "widget", "promo",
      "pagination", "navbar",   "copyright", "disclaimer", "most-read"};
  // Words distinctive enough to name furniture also at the start of a token
  // run together ("relatedArticles", "sidebarBox", "taboola_feed").
  static constexpr std::string_view kPrefixes[] = {"related",    "recommend", "sidebar",   "breadcrumb", "disclaimer",
                                                   "copyright",  "advert",    "sponsor",   "newsletter", "subscribe",
                                                   "trending",   "taboola",   "outbrain",  "navbar",     "navigation",
                                                   "pagination", "tuijian",   "xiangguan", "mianze",     "mostread"};
  for (const std::string& t : furniture_tokens(n)) {
    for (std::string_view w : kWords)
      if (token_names(t, w)) return true;
    for (std::string_view w : kPrefixes)
      if (t.rfind(w, 0) == 0) return true;
    if (t.rfind("comment", 0) == 0 && t.rfind("commentary", 0) != 0) return true;
  }
  return false;
}

bool is_positive(const xmlNode* n) {
  std::vector<std::string> words = class_words(n);
  return has_word(words, {"article", "content", "body", "story", "text", "entry", "main", "post", "detail", "zw",
                          "zhengwen", "artibody", "articlebody", "postcontent"}) ||
         contains_any(lower_ascii(xml_attr(n, "class") + " " + xml_attr(n, "id")),
                      {"article-body", "article-content", "articlebody", "story-body", "post-body", "entry-content"});
}

bool is_furniture(const xmlNode* n) { return is_furniture_markup(n) || is_negative(n); }

bool is_furniture_markup(const xmlNode* n) {
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
  return false;
}

}  // namespace xinwen::extract
