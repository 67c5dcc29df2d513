// Parsing a page and turning a subtree into the text a reader sees: white
// space collapsed as a browser does, block elements as paragraphs, scripts
// and other invisible elements dropped. The extractor's other parts build on
// it. Private to indexer/fetch; pure functions over one thread's document.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libxml_util.h"

namespace xinwen::extract {

// Collects text into paragraphs, collapsing runs of white space to one
// space, and to none between two CJK characters.
class TextBuilder {
 public:
  void text(std::string_view s);
  // Ends the current paragraph (a block boundary or a <br>).
  void flush();
  std::vector<std::string> take();

 private:
  std::vector<std::string> paragraphs_;
  std::string current_;
  bool space_ = false;
};

// Elements whose content is never text a reader sees.
bool is_invisible(std::string_view name);

// Elements that start and end a paragraph.
bool is_block(std::string_view name);

// Renders n's children into out. Skip decides, for each element below n,
// whether it is left out.
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

// Paragraphs separated by blank lines.
std::string join_paragraphs(const std::vector<std::string>& paragraphs);

// All the text of n on one line.
std::string inline_text(const xmlNode* n);

// The text n holds directly: its text nodes and inline children.
std::string own_text(const xmlNode* n);

// Parses a page with libxml2's HTML parser: never the network, never an
// error for bad markup. url (may be "") is the document's base.
XmlDoc parse_html(std::string_view html, const std::string& url);

// The <body> element, else the root; nullptr for an empty document.
xmlNode* body_of(xmlDoc* doc);

}  // namespace xinwen::extract
