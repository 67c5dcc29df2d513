// The public face of the page extractor. The work is done in four parts:
// html_text (parsing, text as a reader sees it), boilerplate (what is not the
// article), article_text (finding and rendering the article) and
// page_metadata (what the page says about itself).
#include <xinwen/fetch/html_extract.h>

#include "article_text.h"
#include "boilerplate.h"
#include "html_text.h"
#include "page_metadata.h"
#include "text_chars.h"

namespace xinwen {

using namespace extract;

std::string html_to_text(std::string_view html) {
  if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos) {
    TextBuilder b;
    b.text(html);
    return join_paragraphs(b.take());
  }
  XmlDoc doc = parse_html(html, "");
  if (!doc) return {};
  const xmlNode* body = body_of(doc.get());
  if (!body) return {};
  TextBuilder b;
  render(body, b, [](const xmlNode*) { return false; });
  return join_paragraphs(trim_paragraphs(b.take(), "", false));
}

PageInfo extract_page(std::string_view html, const std::string& url) {
  XmlDoc doc = parse_html(html, url);
  if (!doc) return {};
  PageMetadata meta = read_page_metadata(xmlDocGetRootElement(doc.get()), url);
  PageInfo info = std::move(meta.info);
  if (xmlNode* body = body_of(doc.get())) info.body = main_text(body, info.title);
  // A page that states its text in JSON-LD: trust that when the markup gave
  // much less (a script-rendered page, or a body split into odd pieces).
  std::string ld_body = meta.json_ld_body.empty() ? std::string() : html_to_text(meta.json_ld_body);
  if (count_chars(ld_body) > 2 * count_chars(info.body)) info.body = ld_body;
  return info;
}

}  // namespace xinwen
