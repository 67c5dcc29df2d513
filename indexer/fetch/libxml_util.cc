#include "libxml_util.h"

#include <mutex>

namespace xinwen {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void append_text(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      out += reinterpret_cast<const char*>(c->content);
    } else if (c->type == XML_ELEMENT_NODE) {
      append_text(c->children, out);
    }
    // XML_ENTITY_REF_NODE and everything else: skipped on purpose.
  }
}

}  // namespace

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

bool xml_is(const xmlNode* n, std::string_view name) {
  return n && n->type == XML_ELEMENT_NODE && iequals(xml_name(n), name);
}

std::string xml_attr(const xmlNode* n, std::string_view name) {
  if (!n || n->type != XML_ELEMENT_NODE) return {};
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (!a->name || !iequals(reinterpret_cast<const char*>(a->name), name)) continue;
    std::string out;
    for (const xmlNode* c = a->children; c; c = c->next)
      if (c->type == XML_TEXT_NODE && c->content) out += reinterpret_cast<const char*>(c->content);
    return out;
  }
  return {};
}

std::string xml_text(const xmlNode* n) {
  std::string out;
  if (!n) return out;
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content) out = reinterpret_cast<const char*>(n->content);
    return out;
  }
  append_text(n->children, out);
  return out;
}

const xmlNode* xml_child(const xmlNode* n, std::string_view name, std::string_view ns) {
  if (!n) return nullptr;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xml_name(c) == name && (ns.empty() || xml_ns(c) == ns)) return c;
  return nullptr;
}

}  // namespace xinwen
