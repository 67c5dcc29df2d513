#include <xinwen/fetch/feed_parser.h>

#include <array>
#include <climits>
#include <nlohmann/json.hpp>

#include <xinwen/ascii.h>
#include <xinwen/fetch/charset.h>
#include <xinwen/fetch/dates.h>
#include <xinwen/fetch/html_extract.h>
#include <xinwen/fetch/url.h>
#include <xinwen/fold.h>
#include "libxml_util.h"

namespace xinwen {
namespace {

using nlohmann::json;

constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kDcTermsNs = "http://purl.org/dc/terms/";
constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";

// Text that may hold markup or entities (RSS titles and descriptions often
// do, escaped once or twice), as one line.
std::string join_lines(std::string_view t) {
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

std::string one_line(std::string_view text) { return join_lines(html_to_text(text)); }

// What windows-1252 puts at 0x80-0x9F (0 where it has nothing). Feeds that
// say ISO-8859-1 mean windows-1252, and so do the character references
// &#128;-&#159; in them: those code points are C1 controls, never text.
constexpr std::array<char16_t, 32> kCp1252High = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                                  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The length of what follows "&" in a character reference to a C1 code point
// whose "#" is at text[i] ("#146;", "#x92;"), and the code point; 0 if none.
std::size_t c1_reference(std::string_view text, std::size_t i, unsigned* code) {
  if (i >= text.size() || text[i] != '#') return 0;
  std::size_t j = i + 1;
  const bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
  if (hex) ++j;
  unsigned v = 0;
  std::size_t digits = 0;
  for (; j < text.size() && digits < 8; ++j, ++digits) {
    char c = text[j];
    int d = -1;
    if (is_ascii_digit(c))
      d = c - '0';
    else if (hex && c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    if (d < 0) break;
    v = v * (hex ? 16 : 10) + static_cast<unsigned>(d);
  }
  if (digits == 0 || j >= text.size() || text[j] != ';' || v < 0x80 || v > 0x9F) return 0;
  *code = v;
  return j + 1 - i;
}

// The document with its C1 controls (raw, as &#NNN; or as the escaped
// &amp;#NNN; of HTML inside XML) read as windows-1252.
std::string c1_as_windows_1252(std::string_view text) {
  if (text.find('\xC2') == std::string_view::npos && text.find("&#") == std::string_view::npos &&
      text.find("&amp;#") == std::string_view::npos)
    return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\xC2' && i + 1 < text.size()) {
      const auto b = static_cast<unsigned char>(text[i + 1]);
      if (b >= 0x80 && b <= 0x9F && kCp1252High[b - 0x80] != 0) {
        append_utf8(out, kCp1252High[b - 0x80]);
        i += 2;
        continue;
      }
    } else if (c == '&') {
      const std::size_t hash = text.compare(i, 6, "&amp;#") == 0 ? i + 5 : i + 1;  // "&amp;#" is escaped HTML
      unsigned code = 0;
      const std::size_t n = c1_reference(text, hash, &code);
      if (n && kCp1252High[code - 0x80] != 0) {
        out.append(text.substr(i, hash - i));  // "&" or "&amp;"
        out += "#" + std::to_string(static_cast<unsigned>(kCp1252High[code - 0x80])) + ";";
        i = hash + n;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

// Unreadable dates named per feed, as many as the fetch prints problems
// per feed; one more line says that there were others.
constexpr int kMaxDateWarnings = 20;

class DateReader {
 public:
  DateReader(Feed& feed, const FeedOptions& options) : feed_(feed), options_(options) {}
  // lang: the item's own language, if it gives one.
  std::string operator()(const std::string& text, const std::string& lang = {}) {
    std::string t = std::string(trim_ascii(text));
    if (t.empty()) return {};
    DateContext context{options_.lang, options_.timezone};
    if (context.lang.empty()) context.lang = lang.empty() ? feed_.lang : lang;
    if (auto d = parse_web_date(t, context)) return *d;
    ++bad_;
    if (bad_ <= kMaxDateWarnings) feed_.warnings.push_back("unreadable date \"" + t.substr(0, 40) + "\"");
    if (bad_ == kMaxDateWarnings + 1) feed_.warnings.push_back("more unreadable dates, not named");
    return {};
  }

 private:
  Feed& feed_;
  const FeedOptions& options_;
  int bad_ = 0;
};

// ----------------------------------------------------------------------------
// XML

struct XmlParseResult {
  XmlDoc doc;
  std::string error;  // "" if well-formed
  // libxml2 stopped at its nesting limit (256 without XML_PARSE_HUGE): what
  // it kept is a truncated tree, not a salvageable feed.
  bool too_deep = false;
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
  if (!out.doc || !ctxt->wellFormed) {
    out.error = describe(&ctxt->lastError);
    const char* msg = ctxt->lastError.message;
    out.too_deep = ctxt->lastError.code == XML_ERR_INTERNAL_ERROR && msg &&
                   std::string_view(msg).find("depth") != std::string_view::npos;
  }
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
// Some RSS 2.0 feeds put <rss> and everything in it in a default namespace
// of their own ("http://backend.userland.com/rss2" and others): an element in
// the namespace of an <rss> root is taken as plain RSS too.
bool is_plain(const xmlNode* n) {
  std::string_view ns = xml_ns(n);
  if (ns.empty() || ns == "http://purl.org/rss/1.0/" || ns == "http://my.netscape.com/rdf/simple/0.9/") return true;
  const xmlNode* root = xmlDocGetRootElement(n->doc);
  return root && xml_name(root) == "rss" && xml_ns(root) == ns;
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
  if (it.title.empty()) it.title = one_line(child_text(item, "title", kDcNs));
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
  if (trim_ascii(content).empty()) content = child_text(item, "description", kDcNs);
  it.text = html_to_text(content);

  std::string when = plain_child_text(item, "pubDate");
  if (trim_ascii(when).empty()) when = child_text(item, "date", kDcNs);
  if (trim_ascii(when).empty()) when = child_text(item, "issued", kDcTermsNs);
  if (trim_ascii(when).empty()) when = child_text(item, "created", kDcTermsNs);
  if (trim_ascii(when).empty()) when = child_text(item, "modified", kDcTermsNs);
  it.lang = std::string(trim_ascii(child_text(item, "language", kDcNs)));
  it.published = date(when, it.lang);
  it.updated = date(child_text(item, "modified", kDcTermsNs), it.lang);

  it.author = std::string(trim_ascii(child_text(item, "creator", kDcNs)));
  if (it.author.empty()) it.author = std::string(trim_ascii(plain_child_text(item, "author")));
  for (const xmlNode* c = item->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if ((xml_name(c) == "category" && is_plain(c)) || (xml_name(c) == "subject" && xml_ns(c) == kDcNs)) {
      std::string tag = one_line(xml_text(c));
      if (!tag.empty()) it.tags.push_back(tag);
    }
  }
  feed.items.push_back(std::move(it));
}

void read_rss(const xmlNode* root, const std::string& url, const FeedOptions& options, Feed& feed) {
  feed.format = FeedFormat::kRss;
  const xmlNode* channel = nullptr;
  for (const xmlNode* c = root->children; c && !channel; c = c->next)
    if (xml_name(c) == "channel" && is_plain(c)) channel = c;
  if (channel) {
    feed.title = one_line(plain_child_text(channel, "title"));
    if (feed.title.empty()) feed.title = one_line(child_text(channel, "title", kDcNs));
    feed.lang = std::string(trim_ascii(plain_child_text(channel, "language")));
    if (feed.lang.empty()) feed.lang = std::string(trim_ascii(child_text(channel, "language", kDcNs)));
  }
  DateReader date(feed, options);
  // RSS 2.0 has its items in <channel>; RSS 1.0 (RDF) next to it.
  for (const xmlNode* parent : {channel, root}) {
    if (!parent) continue;
    for (const xmlNode* c = parent->children; c; c = c->next)
      if (xml_name(c) == "item" && is_plain(c)) read_rss_item(c, url, feed, date);
  }
}

// Atom content whose type is a media type that is neither XML nor text/*
// holds base64 (RFC 4287 4.1.3.3), and so does Atom 0.3's mode="base64".
bool is_base64_content(const xmlNode* n, std::string_view type) {
  if (lower_ascii(xml_attr(n, "mode")) == "base64") return true;
  if (type.find('/') == std::string_view::npos) return false;  // text, html, xhtml
  return type.rfind("text/", 0) != 0 && !type.ends_with("/xml") && !type.ends_with("+xml");
}

// Decoded base64 ("" if it is not base64). White space is allowed anywhere.
std::string decode_base64(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (is_ascii_digit(c))
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
      continue;
    else
      return {};
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// Atom text constructs: type="text" (default), "html" or "xhtml"; content
// may also be base64 of another media type.
std::string atom_text(const xmlNode* n, bool as_paragraphs) {
  if (!n) return {};
  std::string type = lower_ascii(trim_ascii(xml_attr(n, "type")));
  std::string text;
  if (is_base64_content(n, type)) {
    // Only text is indexed: decoded bytes that are not UTF-8 (an image, say)
    // are left out.
    std::string decoded = decode_base64(xml_text(n));
    if (decoded.find('\0') == std::string::npos && is_valid_utf8(decoded)) text = html_to_text(decoded);
  } else if (type == "xhtml") {
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
  // Already plain text: reading it as HTML again would take an escaped
  // "<blink>" in it for a tag and drop it.
  return join_lines(text);
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

void read_atom(const xmlNode* root, const std::string& url, const FeedOptions& options, Feed& feed) {
  feed.format = FeedFormat::kAtom;
  feed.title = atom_text(xml_child(root, "title"), false);
  feed.lang = lang_of(root);
  std::vector<std::string> feed_authors = atom_authors(root);
  DateReader date(feed, options);
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
    it.published = date(when, lang_of(e));
    it.updated = date(child_text(e, "updated"), lang_of(e));
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

// The first descendant element with this local name, in any namespace.
const xmlNode* find_element(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xml_name(c) == name) return c;
    if (const xmlNode* found = find_element(c, name)) return found;
  }
  return nullptr;
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

Feed parse_xml_feed(std::string_view text, const std::string& url, const FeedOptions& options) {
  Feed feed;
  XmlParseResult parsed = read_xml(text, url, false);
  if (!parsed.error.empty()) {
    // A document that declares entities gets no second chance: that is where
    // entity bombs live. Others (a bare "&" in a title, a cut-off end) are
    // common enough on real sites that salvaging what is readable is right.
    if (text.find("<!ENTITY") != std::string_view::npos || parsed.too_deep) throw FeedError(parsed.error);
    const std::string repaired = escape_bare_ampersands(text);
    XmlParseResult second = read_xml(repaired, url, false);
    if (second.too_deep) throw FeedError(second.error);
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
    read_rss(root, url, options, feed);
  } else if (name == "feed") {
    read_atom(root, url, options, feed);
  } else {
    throw FeedError("not a feed: the document is <" + std::string(name) + ">");
  }
  if (feed.items.empty()) {
    // Items the reader did not take for its own (in a namespace it does not
    // know): a failure to report, not an empty feed.
    if (const xmlNode* stray = find_element(root, name == "feed" ? "entry" : "item"))
      throw FeedError(
          "no items read, but the document has <" + std::string(xml_name(stray)) + "> elements in " +
          (xml_ns(stray).empty() ? std::string("no namespace") : "namespace " + std::string(xml_ns(stray))));
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

Feed parse_json_feed(std::string_view text, const std::string& url, const FeedOptions& options) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw FeedError("malformed JSON");
  if (!j.is_object() || json_str(j, "version").rfind("https://jsonfeed.org/version/", 0) != 0)
    throw FeedError("not a feed: JSON without a JSON Feed version");
  Feed feed;
  feed.format = FeedFormat::kJsonFeed;
  feed.title = std::string(trim_ascii(json_str(j, "title")));
  feed.lang = std::string(trim_ascii(json_str(j, "language")));
  const std::string feed_authors = json_authors(j);
  DateReader date(feed, options);
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
    it.published = date(when, std::string(trim_ascii(json_str(e, "language"))));
    it.updated = date(json_str(e, "date_modified"), std::string(trim_ascii(json_str(e, "language"))));
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

Feed parse_feed(std::string_view utf8_in, const std::string& base_url) {
  return parse_feed(utf8_in, base_url, FeedOptions{});
}

Feed parse_feed(std::string_view utf8_in, const std::string& base_url, const FeedOptions& options) {
  const std::string fixed = c1_as_windows_1252(utf8_in);
  std::string_view utf8 = fixed;
  std::size_t start = 0;
  while (start < utf8.size() &&
         (utf8[start] == ' ' || utf8[start] == '\t' || utf8[start] == '\n' || utf8[start] == '\r'))
    ++start;
  if (start == utf8.size()) throw FeedError("empty document");
  if (utf8[start] == '{') return parse_json_feed(utf8.substr(start), base_url, options);
  return parse_xml_feed(utf8.substr(start), base_url, options);
}

}  // namespace xinwen
