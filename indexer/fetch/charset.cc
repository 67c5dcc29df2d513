#include <xinwen/fetch/charset.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>

#include <xinwen/ascii.h>
#include <xinwen/c_handle.h>

namespace xinwen {
namespace {

using Converter = CHandle<UConverter, ucnv_close>;

using Detector = CHandle<UCharsetDetector, ucsdet_close>;

// How far into a document its charset declaration is looked for (the HTML
// standard's pre-scan reads 1024 bytes; real pages put long scripts first).
constexpr std::size_t kDeclarationWindow = 4096;
// How much text the detector reads: enough for a confident guess.
constexpr std::size_t kDetectorWindow = 64 * 1024;
// Below this confidence (0-100) a detector guess is not trusted.
constexpr int32_t kMinConfidence = 10;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The converter for a declared name. Where labels lie the way the web's do,
// follow the WHATWG Encoding Standard: pages labelled GB2312 or GBK use the
// whole of GB18030, pages labelled Big5 use HKSCS characters, and Latin-1
// pages are windows-1252.
std::string converter_name(std::string_view declared) {
  std::string n = lower_ascii(declared);
  while (!n.empty() && (is_space(n.back()) || n.back() == '"' || n.back() == '\'')) n.pop_back();
  while (!n.empty() && (is_space(n.front()) || n.front() == '"' || n.front() == '\'')) n.erase(0, 1);
  static const std::array<std::string_view, 12> kGb = {"gb2312",  "gbk",      "x-gbk",     "gb_2312-80",
                                                       "gb_2312", "cp936",    "ms936",     "windows-936",
                                                       "euc-cn",  "csgb2312", "iso-ir-58", "gb18030"};
  static const std::array<std::string_view, 8> kBig5 = {"big5",   "big5-hkscs", "x-x-big5",    "cn-big5",
                                                        "csbig5", "cp950",      "windows-950", "big5hkscs"};
  static const std::array<std::string_view, 8> kLatin1 = {"iso-8859-1", "iso8859-1", "latin1",       "l1",
                                                          "us-ascii",   "ascii",     "windows-1252", "cp1252"};
  if (std::find(kGb.begin(), kGb.end(), n) != kGb.end()) return "GB18030";
  if (std::find(kBig5.begin(), kBig5.end(), n) != kBig5.end()) return "Big5-HKSCS";
  if (std::find(kLatin1.begin(), kLatin1.end(), n) != kLatin1.end()) return "windows-1252";
  if (n == "utf8" || n == "utf-8" || n == "unicode-1-1-utf-8") return "UTF-8";
  return n;
}

Converter open_converter(const std::string& name) {
  if (name.empty()) return nullptr;
  UErrorCode err = U_ZERO_ERROR;
  Converter c(ucnv_open(name.c_str(), &err));
  if (U_FAILURE(err)) return nullptr;
  return c;
}

bool is_utf8_name(const std::string& name) { return lower_ascii(name) == "utf-8"; }

std::string convert(std::string_view bytes, UConverter* from) {
  if (bytes.empty()) return {};
  // Charsets rarely yield more UTF-16 units than they have bytes; if one
  // does, ICU says how many it needs and the conversion runs again.
  const auto in_len = static_cast<int32_t>(std::min<std::size_t>(bytes.size(), INT32_MAX / 4));
  std::u16string units(static_cast<std::size_t>(in_len) + 1, u'\0');
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = ucnv_toUChars(from, units.data(), static_cast<int32_t>(units.size()), bytes.data(), in_len, &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    units.assign(static_cast<std::size_t>(n) + 1, u'\0');
    err = U_ZERO_ERROR;
    n = ucnv_toUChars(from, units.data(), static_cast<int32_t>(units.size()), bytes.data(), in_len, &err);
  }
  if (U_FAILURE(err)) return {};
  std::string out(static_cast<std::size_t>(n) * 3 + 1, '\0');
  int32_t out_len = 0;
  err = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &out_len, units.data(), n, 0xFFFD, nullptr, &err);
  if (U_FAILURE(err)) return {};
  out.resize(static_cast<std::size_t>(out_len));
  return out;
}

// The value after "name=" in text (quotes, spaces and ';' end it).
std::string value_after(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos >= text.size() || text[pos] != '=') return {};
  ++pos;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  char quote = 0;
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) quote = text[pos++];
  std::size_t end = pos;
  while (end < text.size() && text[end] != quote && text[end] != ';' && text[end] != '>' && text[end] != '/' &&
         !is_space(text[end]) && (quote || (text[end] != '"' && text[end] != '\'')))
    ++end;
  return std::string(text.substr(pos, end - pos));
}

std::string guess_charset(std::string_view bytes) {
  UErrorCode err = U_ZERO_ERROR;
  Detector det(ucsdet_open(&err));
  if (U_FAILURE(err)) return {};
  const auto len = static_cast<int32_t>(std::min(bytes.size(), kDetectorWindow));
  ucsdet_enableInputFilter(det.get(), true);  // markup says nothing about the text's charset
  ucsdet_setText(det.get(), bytes.data(), len, &err);
  const UCharsetMatch* match = ucsdet_detect(det.get(), &err);
  if (U_FAILURE(err) || !match) return {};
  int32_t confidence = ucsdet_getConfidence(match, &err);
  const char* name = ucsdet_getName(match, &err);
  if (U_FAILURE(err) || !name || confidence < kMinConfidence) return {};
  return converter_name(name);
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  std::size_t i = 0, n = bytes.size();
  while (i < n) {
    // ASCII runs are by far the most common: skip them quickly.
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    int32_t j = 0, len = static_cast<int32_t>(std::min<std::size_t>(n - i, 4));
    UChar32 c;
    U8_NEXT(s + i, j, len, c);
    if (c < 0) return false;
    i += static_cast<std::size_t>(j);
  }
  return true;
}

std::string charset_from_content_type(std::string_view content_type) {
  std::string ct = lower_ascii(content_type);
  std::size_t p = ct.find("charset");
  if (p == std::string::npos) return {};
  return value_after(ct, p + 7);
}

std::string declared_charset(std::string_view bytes, MarkupKind kind) {
  std::string head = lower_ascii(bytes.substr(0, kDeclarationWindow));
  if (kind == MarkupKind::kXml) {
    std::size_t start = 0;
    while (start < head.size() && is_space(head[start])) ++start;
    if (head.compare(start, 5, "<?xml") != 0) return {};
    std::size_t end = head.find("?>", start);
    std::size_t p = head.find("encoding", start);
    if (p == std::string::npos || (end != std::string::npos && p > end)) return {};
    return value_after(head, p + 8);
  }
  for (std::size_t p = head.find("<meta"); p != std::string::npos; p = head.find("<meta", p + 5)) {
    std::size_t end = head.find('>', p);
    if (end == std::string::npos) break;
    std::string_view tag(head.data() + p, end - p);
    std::size_t c = tag.find("charset");
    if (c == std::string_view::npos) continue;
    std::string v = value_after(tag, c + 7);
    if (!v.empty()) return v;
  }
  return {};
}

DecodedText decode_to_utf8(std::string_view bytes, std::string_view content_type, MarkupKind kind) {
  DecodedText out;
  auto use = [&](const std::string& name, std::string_view body, const char* from) -> bool {
    Converter conv = open_converter(name);
    if (!conv) return false;
    UErrorCode err = U_ZERO_ERROR;
    out.charset = ucnv_getName(conv.get(), &err);
    out.from = from;
    out.text = convert(body, conv.get());
    return true;
  };

  // 1. A byte-order mark settles it.
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    // Bytes after the mark that are not UTF-8 still become U+FFFD.
    if (!is_valid_utf8(bytes.substr(3)) && use("UTF-8", bytes.substr(3), "bom")) return out;
    out.charset = "UTF-8";
    out.from = "bom";
    out.text = std::string(bytes.substr(3));
    return out;
  }
  // UTF-32's marks first: UTF-32LE's begins with UTF-16LE's.
  using namespace std::string_view_literals;
  if (bytes.size() >= 4 && (bytes.substr(0, 4) == "\xFF\xFE\0\0"sv || bytes.substr(0, 4) == "\0\0\xFE\xFF"sv)) {
    if (use(bytes[0] == '\xFF' ? "UTF-32LE" : "UTF-32BE", bytes.substr(4), "bom")) return out;
  }
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
    if (use(bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE", bytes.substr(2), "bom")) return out;
  }
  // Without a mark, XML in UTF-16 or UTF-32 shows itself in how "<?" is
  // written (XML 1.0, appendix F).
  if (kind == MarkupKind::kXml && bytes.size() >= 4) {
    const std::string_view head = bytes.substr(0, 4);
    const char* name = nullptr;
    if (head == "\0\0\0<"sv)
      name = "UTF-32BE";
    else if (head == "<\0\0\0"sv)
      name = "UTF-32LE";
    else if (head == "\0<\0?"sv)
      name = "UTF-16BE";
    else if (head == "<\0?\0"sv)
      name = "UTF-16LE";
    if (name && use(name, bytes, "document")) return out;
  }

  const bool valid_utf8 = is_valid_utf8(bytes);
  // 2, 3. What the server says, then what the document says. A label of UTF-8
  // on bytes that are not UTF-8 is a misconfigured server or template: look
  // further instead of filling the text with U+FFFD.
  auto try_label = [&](const std::string& label, const char* from) -> bool {
    std::string name = converter_name(label);
    if (name.empty()) return false;
    // Multi-byte labels other than UTF-8 are only meant for the bytes after
    // a BOM; HTML says to read such a page as UTF-8.
    if (name.rfind("utf-16", 0) == 0 || name.rfind("utf-32", 0) == 0) name = "UTF-8";
    if (is_utf8_name(name) && !valid_utf8) return false;
    return use(name, bytes, from);
  };
  if (try_label(charset_from_content_type(content_type), "http")) return out;
  if (try_label(declared_charset(bytes, kind), "document")) return out;

  // 4. Undeclared: UTF-8 if it is valid UTF-8, else ask the detector.
  if (valid_utf8) {
    out.charset = "UTF-8";
    out.from = "default";
    out.text = std::string(bytes);
    return out;
  }
  if (use(guess_charset(bytes), bytes, "guess")) return out;
  use("windows-1252", bytes, "default");
  return out;
}

}  // namespace xinwen
