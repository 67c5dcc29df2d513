#include <xinwen/fetch/feed_parser.h>

#include <climits>
#include <nlohmann/json.hpp>

#include <xinwen/ascii.h>
#include <xinwen/fetch/dates.h>
#include <xinwen/fetch/html_extract.h>
#include <xinwen/fetch/url.h>
#include "libxml_util.h"

namespace xinwen {
namespace {

using nlohmann::json;

constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";

// Text that may hold markup or entities (RSS titles and descriptions often
// do, escaped once or twice), as one line.
std::string one_line(std::string_view text) {
  std::string t = html_to_text(text);
  std::string out;
  for (char c : t) {
    if (c == '\n') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

class DateReader {
 public:
  explicit DateReader(Feed& feed) : feed_(feed) {}
  std::string operator()(const std::string& text) {
    std::string t = std::string(trim_ascii(text));
    if (t.empty()) return {};
    if (auto d = parse_web_date(t)) return *d;
    if (++bad_ <= 3) feed_.warnings.push_back("unreadable date \"" + t.substr(0, 40) + "\"");
    return {};
  }

 private:
  Feed& feed_;
  int bad_ = 0;
};

// ----------------------------------------------------------------------------
// XML

struct XmlParseResult {
  XmlDoc doc;
  std::string error;  // "" if well-formed
};

std::string describe(const xmlError* e) {
  if (!e || !e->message) return "malformed XML";
  std::string msg = e->message;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return "malformed XML at line " + std::to_string(e->line) + ": " + msg;
}

XmlParseResult read_xml(std::string_view text, const std::string& url, bool recover) {
  init_libxml();
  XmlParseResult out;
  XmlParserCtxt ctxt(xmlNewParserCtxt());
  if (!ctxt) {
    out.error = "out of memory";
    return out;
  }
  // No XML_PARSE_NOENT (entities stay references, never expanded), no
  // XML_PARSE_DTDLOAD or DTDATTR (no external DTD is read), XML_PARSE_NONET
  // (nothing is fetched), no XML_PARSE_HUGE (libxml2 keeps its depth and
  // size limits). The text is already UTF-8 whatever the declaration says.
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA |
                XML_PARSE_COMPACT;
  if (recover) options |= XML_PARSE_RECOVER;
  const auto size = static_cast<int>(std::min<std::size_t>(text.size(), INT_MAX));
  out.doc.reset(xmlCtxtReadMemory(ctxt.get(), text.data(), size, url.c_str(), "UTF-8", options));
  if (!out.doc || !ctxt->wellFormed) out.error = describe(&ctxt->lastError);
  if (!out.doc && out.error.empty()) out.error = "malformed XML";
  return out;
}

std::string child_text(const xmlNode* n, std::string_view name, std::string_view ns = {}) {
  return xml_text(xml_child(n, name, ns));
}

std::vector<const xmlNode*> children(const xmlNode* n, std::string_view name, std::string_view ns = {}) {
  std::vector<const xmlNode*> out;
  if (!n) return out;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xml_name(c) == name && (ns.empty() || xml_ns(c) == ns)) out.push_back(c);
  return out;
}

// An element in no namespace, as RSS 2.0 elements are. RSS 1.0 puts them in
// its own namespace; either is accepted, but content:, dc: and atom:
// elements are never taken for RSS ones.
bool is_plain(const xmlNode* n) {
  std::string_view ns = xml_ns(n);
  return ns.empty() || ns == "http://purl.org/rss/1.0/" || ns == "http://my.netscape.com/rdf/simple/0.9/";
}

std::string plain_child_text(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xml_name(c) == name && is_plain(c)) return xml_text(c);
  return {};
}

std::string base_of(const xmlNode* n, const std::string& fallback) {
  XmlString base(xmlNodeGetBase(n->doc, n));
  if (!base || !*base) return fallback;
  return resolve_url(fallback, reinterpret_cast<const char*>(base.get()));
}

std::string lang_of(const xmlNode* n) {
  XmlString lang(xmlNodeGetLang(n));
  return lang ? std::string(reinterpret_cast<const char*>(lang.get())) : std::string();
}

void read_rss_item(const xmlNode* item, const std::string& base, Feed& feed, DateReader& date) {
  FeedItem it;
  it.title = one_line(plain_child_text(item, "title"));
  it.id = std::string(trim_ascii(plain_child_text(item, "guid")));
  std::string link = std::string(trim_ascii(plain_child_text(item, "link")));
  if (link.empty()) {
    for (const xmlNode* l : children(item, "link", kAtomNs)) {
      std::string rel = xml_attr(l, "rel");
      if (rel.empty() || rel == "alternate") {
        link = xml_attr(l, "href");
        break;
      }
    }
  }
  if (link.empty() && !it.id.empty()) {
    const xmlNode* guid = xml_child(item, "guid");
    if (xml_attr(guid, "isPermaLink") != "false") link = it.id;
  }
  if (!link.empty()) it.link = resolve_url(base, link);

  std::string content = child_text(item, "encoded", kContentNs);
  if (trim_ascii(content).empty()) content = plain_child_text(item, "description");
  it.text = html_to_text(content);

  std::string when = plain_child_text(item, "pubDate");
  if (trim_ascii(when).empty()) when = child_text(item, "date", kDcNs);
  it.published = date(when);

  it.author = std::string(trim_ascii(child_text(item, "creator", kDcNs)));
  if (it.author.empty()) it.author = std::string(trim_ascii(plain_child_text(item, "author")));
  for (const xmlNode* c = item->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if ((xml_name(c) == "category" && is_plain(c)) || (xml_name(c) == "subject" && xml_ns(c) == kDcNs)) {
      std::string tag = one_line(xml_text(c));
      if (!tag.empty()) it.tags.push_back(tag);
    }
  }
  it.lang = std::string(trim_ascii(child_text(item, "language", kDcNs)));
  feed.items.push_back(std::move(it));
}

void read_rss(const xmlNode* root, const std::string& url, Feed& feed) {
  feed.format = FeedFormat::kRss;
  const xmlNode* channel = nullptr;
  for (const xmlNode* c = root->children; c && !channel; c = c->next)
    if (xml_name(c) == "channel" && is_plain(c)) channel = c;
  if (channel) {
    feed.title = one_line(plain_child_text(channel, "title"));
    feed.lang = std::string(trim_ascii(plain_child_text(channel, "language")));
    if (feed.lang.empty()) feed.lang = std::string(trim_ascii(child_text(channel, "language", kDcNs)));
  }
  DateReader date(feed);
  // RSS 2.0 has its items in <channel>; RSS 1.0 (RDF) next to it.
  for (const xmlNode* parent : {channel, root}) {
    if (!parent) continue;
    for (const xmlNode* c = parent->children; c; c = c->next)
      if (xml_name(c) == "item" && is_plain(c)) read_rss_item(c, url, feed, date);
  }
}

// Atom text constructs: type="text" (default), "html" or "xhtml".
std::string atom_text(const xmlNode* n, bool as_paragraphs) {
  if (!n) return {};
  std::string type = xml_attr(n, "type");
  std::string text;
  if (type == "xhtml") {
    // The content is an XHTML <div>: serialize it and read it as HTML, which
    // keeps its paragraphs apart.
    XmlBuffer buf(xmlBufferCreate());
    if (!buf) return {};
    for (const xmlNode* c = n->children; c; c = c->next) xmlNodeDump(buf.get(), n->doc, const_cast<xmlNode*>(c), 0, 0);
    text = html_to_text(std::string_view(reinterpret_cast<const char*>(xmlBufferContent(buf.get())),
                                         static_cast<std::size_t>(xmlBufferLength(buf.get()))));
  } else if (type == "html" || type == "text/html") {
    text = html_to_text(xml_text(n));
  } else {
    text = html_to_text(xml_text(n));
  }
  if (as_paragraphs) return text;
  return one_line(text);
}

std::string atom_link(const xmlNode* entry, const std::string& base) {
  std::string fallback;
  for (const xmlNode* l : children(entry, "link")) {
    std::string rel = xml_attr(l, "rel");
    std::string href = xml_attr(l, "href");
    if (href.empty()) continue;
    std::string type = xml_attr(l, "type");
    if ((rel.empty() || rel == "alternate") && (type.empty() || type.find("html") != std::string::npos))
      return resolve_url(base, href);
    if (fallback.empty() && (rel.empty() || rel == "alternate")) fallback = resolve_url(base, href);
  }
  return fallback;
}

std::vector<std::string> atom_authors(const xmlNode* n) {
  std::vector<std::string> out;
  for (const xmlNode* a : children(n, "author")) {
    std::string name = std::string(trim_ascii(child_text(a, "name")));
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

void read_atom(const xmlNode* root, const std::string& url, Feed& feed) {
  feed.format = FeedFormat::kAtom;
  feed.title = atom_text(xml_child(root, "title"), false);
  feed.lang = lang_of(root);
  std::vector<std::string> feed_authors = atom_authors(root);
  DateReader date(feed);
  for (const xmlNode* e : children(root, "entry")) {
    FeedItem it;
    const std::string base = base_of(e, url);
    it.id = std::string(trim_ascii(child_text(e, "id")));
    it.title = atom_text(xml_child(e, "title"), false);
    it.link = atom_link(e, base);
    const xmlNode* content = xml_child(e, "content");
    if (content && !xml_attr(content, "src").empty()) content = nullptr;  // out-of-line content
    std::string text = atom_text(content, true);
    if (text.empty()) text = atom_text(xml_child(e, "summary"), true);
    it.text = std::move(text);
    std::string when = child_text(e, "published");
    if (trim_ascii(when).empty()) when = child_text(e, "updated");
    if (trim_ascii(when).empty()) when = child_text(e, "issued");  // Atom 0.3
    it.published = date(when);
    std::vector<std::string> authors = atom_authors(e);
    it.author = join(authors.empty() ? feed_authors : authors, ", ");
    for (const xmlNode* c : children(e, "category")) {
      std::string term = std::string(trim_ascii(xml_attr(c, "label")));
      if (term.empty()) term = std::string(trim_ascii(xml_attr(c, "term")));
      if (!term.empty()) it.tags.push_back(term);
    }
    std::string lang = lang_of(e);
    if (lang != feed.lang) it.lang = lang;
    feed.items.push_back(std::move(it));
  }
}

// "&" that starts no entity or character reference becomes "&amp;": the most
// common way real feeds are not XML ("Salt & pepper" in a title).
std::string escape_bare_ampersands(std::string_view text) {
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '#' || c == '_' ||
           c == '-' || c == '.';
  };
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] != '&') continue;
    std::size_t j = i + 1;
    while (j < text.size() && j - i <= 32 && name_char(text[j])) ++j;
    if (j == i + 1 || j >= text.size() || text[j] != ';') out += "amp;";
  }
  return out;
}

Feed parse_xml_feed(std::string_view text, const std::string& url) {
  Feed feed;
  XmlParseResult parsed = read_xml(text, url, false);
  if (!parsed.error.empty()) {
    // A document that declares entities gets no second chance: that is where
    // entity bombs live. Others (a bare "&" in a title, a cut-off end) are
    // common enough on real sites that salvaging what is readable is right.
    if (text.find("<!ENTITY") != std::string_view::npos) throw FeedError(parsed.error);
    const std::string repaired = escape_bare_ampersands(text);
    XmlParseResult second = read_xml(repaired, url, false);
    if (second.error.empty()) {
      feed.warnings.push_back(parsed.error + "; read it with bare \"&\" escaped");
    } else {
      second = read_xml(repaired, url, true);
      if (!second.doc || !xmlDocGetRootElement(second.doc.get())) throw FeedError(parsed.error);
      feed.warnings.push_back(parsed.error + "; read what could be recovered");
    }
    parsed.doc = std::move(second.doc);
  }
  const xmlNode* root = xmlDocGetRootElement(parsed.doc.get());
  if (!root) throw FeedError("empty document");
  std::string_view name = xml_name(root);
  if (name == "rss" || name == "RDF") {
    read_rss(root, url, feed);
  } else if (name == "feed") {
    read_atom(root, url, feed);
  } else {
    throw FeedError("not a feed: the document is <" + std::string(name) + ">");
  }
  return feed;
}

// ----------------------------------------------------------------------------
// JSON Feed

std::string json_str(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  return {};
}

std::string json_authors(const json& obj) {
  std::vector<std::string> names;
  auto add = [&](const json& a) {
    if (a.is_object()) {
      std::string n = std::string(trim_ascii(json_str(a, "name")));
      if (!n.empty()) names.push_back(n);
    }
  };
  if (auto it = obj.find("authors"); it != obj.end() && it->is_array())
    for (const json& a : *it) add(a);
  if (auto it = obj.find("author"); names.empty() && it != obj.end()) add(*it);
  return join(names, ", ");
}

Feed parse_json_feed(std::string_view text, const std::string& url) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw FeedError("malformed JSON");
  if (!j.is_object() || json_str(j, "version").rfind("https://jsonfeed.org/version/", 0) != 0)
    throw FeedError("not a feed: JSON without a JSON Feed version");
  Feed feed;
  feed.format = FeedFormat::kJsonFeed;
  feed.title = std::string(trim_ascii(json_str(j, "title")));
  feed.lang = std::string(trim_ascii(json_str(j, "language")));
  const std::string feed_authors = json_authors(j);
  DateReader date(feed);
  auto items = j.find("items");
  if (items == j.end() || !items->is_array()) return feed;
  for (const json& e : *items) {
    if (!e.is_object()) continue;
    FeedItem it;
    it.id = std::string(trim_ascii(json_str(e, "id")));
    std::string link = json_str(e, "url");
    if (std::string(trim_ascii(link)).empty()) link = json_str(e, "external_url");
    if (!std::string(trim_ascii(link)).empty()) it.link = resolve_url(url, link);
    it.title = one_line(json_str(e, "title"));
    std::string text_plain = json_str(e, "content_text");
    std::string html = json_str(e, "content_html");
    if (!std::string(trim_ascii(html)).empty()) {
      it.text = html_to_text(html);
    } else if (!std::string(trim_ascii(text_plain)).empty()) {
      it.text = std::string(trim_ascii(text_plain));
    } else {
      it.text = html_to_text(json_str(e, "summary"));
    }
    std::string when = json_str(e, "date_published");
    if (trim_ascii(when).empty()) when = json_str(e, "date_modified");
    it.published = date(when);
    it.author = json_authors(e);
    if (it.author.empty()) it.author = feed_authors;
    if (auto t = e.find("tags"); t != e.end() && t->is_array())
      for (const json& tag : *t)
        if (tag.is_string() && !std::string(trim_ascii(tag.get<std::string>())).empty())
          it.tags.push_back(std::string(trim_ascii(tag.get<std::string>())));
    it.lang = std::string(trim_ascii(json_str(e, "language")));
    feed.items.push_back(std::move(it));
  }
  return feed;
}

}  // namespace

const char* feed_format_name(FeedFormat format) {
  switch (format) {
    case FeedFormat::kRss: return "RSS";
    case FeedFormat::kAtom: return "Atom";
    case FeedFormat::kJsonFeed: return "JSON Feed";
  }
  return "feed";
}

Feed parse_feed(std::string_view utf8, const std::string& base_url) {
  std::size_t start = 0;
  while (start < utf8.size() &&
         (utf8[start] == ' ' || utf8[start] == '\t' || utf8[start] == '\n' || utf8[start] == '\r'))
    ++start;
  if (start == utf8.size()) throw FeedError("empty document");
  if (utf8[start] == '{') return parse_json_feed(utf8.substr(start), base_url);
  return parse_xml_feed(utf8.substr(start), base_url);
}

}  // namespace xinwen
