#include "html_text.h"

#include <algorithm>
#include <array>
#include <climits>

#include <xinwen/ascii.h>
#include "text_chars.h"

namespace xinwen::extract {

void TextBuilder::text(std::string_view s) {
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

void TextBuilder::flush() {
  if (!current_.empty()) paragraphs_.push_back(std::move(current_));
  current_.clear();
  space_ = false;
}

std::vector<std::string> TextBuilder::take() {
  flush();
  return std::move(paragraphs_);
}

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

std::string join_paragraphs(const std::vector<std::string>& paragraphs) { return join(paragraphs, "\n\n"); }

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

}  // namespace xinwen::extract
