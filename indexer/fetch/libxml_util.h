// Small helpers over libxml2 shared by the feed parser and the page
// extractor: owning handles, and reading names, attributes and text without
// ever expanding an entity reference (a document's own entities are never
// substituted, so an entity bomb stays a handful of nodes). Private to
// indexer/fetch; libxml2 documents are not shared between threads.
#pragma once

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>

namespace xinwen {

struct XmlDocDeleter {
  void operator()(xmlDoc* d) const noexcept { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocDeleter>;

struct XmlParserCtxtDeleter {
  void operator()(xmlParserCtxt* c) const noexcept { xmlFreeParserCtxt(c); }
};
using XmlParserCtxt = std::unique_ptr<xmlParserCtxt, XmlParserCtxtDeleter>;

struct HtmlParserCtxtDeleter {
  void operator()(htmlParserCtxt* c) const noexcept { htmlFreeParserCtxt(c); }
};
using HtmlParserCtxt = std::unique_ptr<htmlParserCtxt, HtmlParserCtxtDeleter>;

// A node taken out of its document (xmlUnlinkNode) is no longer the
// document's to free.
struct XmlNodeDeleter {
  void operator()(xmlNode* n) const noexcept { xmlFreeNode(n); }
};
using XmlNode = std::unique_ptr<xmlNode, XmlNodeDeleter>;

struct XmlBufferDeleter {
  void operator()(xmlBuffer* b) const noexcept { xmlBufferFree(b); }
};
using XmlBuffer = std::unique_ptr<xmlBuffer, XmlBufferDeleter>;

// A string libxml2 allocated (xmlNodeGetBase, xmlNodeGetLang).
struct XmlCharDeleter {
  void operator()(xmlChar* s) const noexcept { xmlFree(s); }
};
using XmlString = std::unique_ptr<xmlChar, XmlCharDeleter>;

// Initializes libxml2 once per process (it must happen before threads use it).
void init_libxml();

// The element's local name ("" for other nodes).
inline std::string_view xml_name(const xmlNode* n) {
  return n && n->type == XML_ELEMENT_NODE && n->name ? std::string_view(reinterpret_cast<const char*>(n->name))
                                                     : std::string_view();
}

// The element's namespace URI ("" if none).
inline std::string_view xml_ns(const xmlNode* n) {
  return n && n->ns && n->ns->href ? std::string_view(reinterpret_cast<const char*>(n->ns->href)) : std::string_view();
}

// True for an element with this local name (ASCII case-insensitive).
bool xml_is(const xmlNode* n, std::string_view name);

// The value of an attribute (by local name, any namespace), "" if absent.
std::string xml_attr(const xmlNode* n, std::string_view name);

// The text and CDATA of n and its descendants, in document order.
std::string xml_text(const xmlNode* n);

// The first child element with this local name (and namespace, if given).
const xmlNode* xml_child(const xmlNode* n, std::string_view name, std::string_view ns = {});

}  // namespace xinwen
