// Turning a response body into UTF-8. Chinese sites still send GBK, GB18030
// and Big5, often without saying so: the charset is taken from a byte-order
// mark, the HTTP Content-Type header, the document's own declaration (<meta>
// in HTML, <?xml encoding?> in XML) and otherwise guessed with ICU's charset
// detector. Conversion is ICU's; undecodable bytes become U+FFFD. Stateless
// and safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace xinwen {

enum class MarkupKind { kHtml, kXml };

struct DecodedText {
  std::string text;     // UTF-8
  std::string charset;  // the ICU converter used, e.g. "gb18030"
  std::string from;     // where the charset came from: "bom", "http", "document", "guess", "default"
};

DecodedText decode_to_utf8(std::string_view bytes, std::string_view content_type, MarkupKind kind);

// The charset parameter of a Content-Type value ("" if none), lower case.
std::string charset_from_content_type(std::string_view content_type);

// The charset a document declares in its first bytes: <meta charset>, <meta
// http-equiv="Content-Type" content="...; charset=..."> or <?xml encoding?>.
std::string declared_charset(std::string_view bytes, MarkupKind kind);

// True if bytes are well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

}  // namespace xinwen
