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

#include <xinwen/c_handle.h>

namespace xinwen {

using XmlDoc = CHandle<xmlDoc, xmlFreeDoc>;
using XmlParserCtxt = CHandle<xmlParserCtxt, xmlFreeParserCtxt>;
using HtmlParserCtxt = CHandle<htmlParserCtxt, htmlFreeParserCtxt>;

// A node taken out of its document (xmlUnlinkNode) is no longer the
// document's to free.
using XmlNode = CHandle<xmlNode, xmlFreeNode>;
using XmlBuffer = CHandle<xmlBuffer, xmlBufferFree>;

// A string libxml2 allocated (xmlNodeGetBase, xmlNodeGetLang).
// xmlFree is a variable (a replaceable allocator), not a function.
inline void free_xml_string(xmlChar* s) { xmlFree(s); }
using XmlString = CHandle<xmlChar, free_xml_string>;

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
