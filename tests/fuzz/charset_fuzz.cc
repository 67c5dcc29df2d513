// Fuzzes the charset detector and converter. The first byte picks the markup
// kind and a Content-Type header from a few real-world forms, so both the
// declared and the guessed paths run; the output must be valid UTF-8.
#include <xinwen/fetch/charset.h>
#include <array>
#include <cstdlib>
#include <string_view>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 8> kContentTypes = {
      "",
      "text/html",
      "text/html; charset=utf-8",
      "text/html; charset=GB2312",
      "text/html;charset=\"big5\"",
      "application/xml; charset=gbk",
      "text/html; charset=x-unknown-charset",
      "application/rss+xml; charset=ISO-8859-1",
  };
  const auto bytes = xinwen::fuzz::as_text(data, size);
  const unsigned pick = size ? data[0] : 0;
  const auto kind = (pick & 1) ? xinwen::MarkupKind::kXml : xinwen::MarkupKind::kHtml;
  const auto decoded = xinwen::decode_to_utf8(bytes, kContentTypes[(pick >> 1) % kContentTypes.size()], kind);
  if (!xinwen::is_valid_utf8(decoded.text)) std::abort();
  xinwen::charset_from_content_type(bytes);
  xinwen::declared_charset(bytes, kind);
  return 0;
}
