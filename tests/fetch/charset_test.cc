// decode_to_utf8: charsets from the BOM, the HTTP header, the document, and
// ICU's detector when nothing is declared.
#include <xinwen/fetch/charset.h>

#include <unicode/ucnv.h>

#include <catch2/catch.hpp>

#include "fetch/fixture_server.h"

using namespace xinwen;

namespace {

// UTF-8 text in another charset, by ICU.
std::string encode(const std::string& utf8, const char* charset) {
  std::string out(utf8.size() * 4 + 16, '\0');
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                           static_cast<int32_t>(utf8.size()), &err);
  REQUIRE(U_SUCCESS(err));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string page(const std::string& name, const std::string& meta) {
  std::string text = test::fixture(name);
  text.replace(text.find("{{META}}"), 8, meta);
  return text;
}

}  // namespace

TEST_CASE("the HTTP header's charset is honoured", "[fetch][charset]") {
  const std::string utf8 = page("article-zhs.html", "");
  DecodedText d = decode_to_utf8(encode(utf8, "GBK"), "text/html; charset=GBK", MarkupKind::kHtml);
  CHECK(d.from == "http");
  CHECK(d.charset == "gb18030");  // GBK is read as its superset
  CHECK(d.text == utf8);
}

TEST_CASE("a meta tag's charset is honoured", "[fetch][charset]") {
  const std::string utf8 =
      page("article-zht.html", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">");
  DecodedText d = decode_to_utf8(encode(utf8, "Big5"), "text/html", MarkupKind::kHtml);
  CHECK(d.from == "document");
  CHECK(d.text == utf8);
  CHECK(declared_charset("<html><head><meta charset='gb2312'/>", MarkupKind::kHtml) == "gb2312");
  CHECK(declared_charset("<meta name=x><META CHARSET=UTF-8>", MarkupKind::kHtml) == "utf-8");
}

TEST_CASE("the XML declaration's encoding is honoured", "[fetch][charset]") {
  const std::string utf8 =
      "<?xml version=\"1.0\" encoding=\"GB2312\"?><rss><channel><title>新闻</title></channel></rss>";
  DecodedText d = decode_to_utf8(encode(utf8, "GB18030"), "application/xml", MarkupKind::kXml);
  CHECK(d.from == "document");
  CHECK(d.text == utf8);
  CHECK(declared_charset("  <?xml version='1.0' encoding='big5'?><rss/>", MarkupKind::kXml) == "big5");
  CHECK(declared_charset("<rss encoding='big5'/>", MarkupKind::kXml).empty());
}

TEST_CASE("undeclared GBK and Big5 are recognized by the detector", "[fetch][charset]") {
  const std::string zhs = page("article-zhs.html", "");
  DecodedText d = decode_to_utf8(encode(zhs, "GBK"), "text/html", MarkupKind::kHtml);
  CHECK(d.from == "guess");
  CHECK(d.text == zhs);
  const std::string zht = page("article-zht.html", "");
  DecodedText t = decode_to_utf8(encode(zht, "Big5"), "", MarkupKind::kHtml);
  CHECK(t.from == "guess");
  CHECK(t.text == zht);
}

TEST_CASE("a UTF-8 label on bytes that are not UTF-8 is not believed", "[fetch][charset]") {
  const std::string utf8 = page("article-zhs.html", "<meta charset=\"gbk\">");
  DecodedText d = decode_to_utf8(encode(utf8, "GBK"), "text/html; charset=utf-8", MarkupKind::kHtml);
  CHECK(d.from == "document");
  CHECK(d.text == utf8);
}

TEST_CASE("byte-order marks and plain UTF-8", "[fetch][charset]") {
  DecodedText bom = decode_to_utf8("\xEF\xBB\xBF<p>中文</p>", "text/html; charset=gbk", MarkupKind::kHtml);
  CHECK(bom.from == "bom");
  CHECK(bom.text == "<p>中文</p>");
  DecodedText le = decode_to_utf8(std::string("\xFF\xFE<\0p\0>\0", 8), "", MarkupKind::kHtml);
  CHECK(le.text == "<p>");
  DecodedText plain = decode_to_utf8("<p>中文 and English</p>", "", MarkupKind::kHtml);
  CHECK(plain.charset == "UTF-8");
  CHECK(plain.text == "<p>中文 and English</p>");
  DecodedText latin = decode_to_utf8("caf\xE9", "text/plain; charset=iso-8859-1", MarkupKind::kHtml);
  CHECK(latin.text == "café");
  DecodedText unknown = decode_to_utf8("abc", "text/html; charset=no-such-charset", MarkupKind::kHtml);
  CHECK(unknown.text == "abc");
}

TEST_CASE("content-type parameters", "[fetch][charset]") {
  CHECK(charset_from_content_type("text/html; charset=\"Big5\"") == "big5");
  CHECK(charset_from_content_type("text/html;charset=gbk;q=1") == "gbk");
  CHECK(charset_from_content_type("application/xml").empty());
  CHECK(is_valid_utf8("中文"));
  CHECK_FALSE(is_valid_utf8("\xD6\xD0\xCE\xC4"));
}

TEST_CASE("UTF-16 and UTF-32 XML is recognised from its first bytes, with or without a BOM", "[fetch][charset]") {
  const std::string utf8 =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>\u6e2f\u53e3 Wire</title></channel></rss>";
  struct Case {
    const char* charset;
    std::string bom;
  };
  const Case cases[] = {
      {"UTF-16LE", ""},
      {"UTF-16BE", ""},
      {"UTF-32LE", ""},
      {"UTF-32BE", ""},
      {"UTF-32LE", std::string("\xFF\xFE\0\0", 4)},  // not UTF-16LE's mark followed by a NUL
      {"UTF-32BE", std::string("\0\0\xFE\xFF", 4)},
      {"UTF-16LE", "\xFF\xFE"},
  };
  for (const Case& c : cases) {
    INFO(c.charset << (c.bom.empty() ? " without a BOM" : " with a BOM"));
    DecodedText d = decode_to_utf8(c.bom + encode(utf8, c.charset), "application/xml", MarkupKind::kXml);
    CHECK(d.text == utf8);
    CHECK(d.charset == c.charset);
  }
}
