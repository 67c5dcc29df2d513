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

}  // namespace

bool ends_sentence(const std::string& p) {
  UChar32 c = last_char(p);
  return c == '.' || c == '!' || c == '?' || c == '"' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x201D ||
         c == 0x300D;
}

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

}  // namespace xinwen::extract
