// Finding the article in a page: page furniture is removed, every stretch of
// prose scores its containers, and the best container (with the siblings that
// belong to it) is rendered as paragraphs. Private to indexer/fetch; works on
// one thread's document.
#pragma once

#include <string>

#include "libxml_util.h"

namespace xinwen::extract {

// The main text of the page whose <body> is body: paragraphs separated by
// blank lines. Removes the furniture from the document as it goes. title is
// the page's title, left out if the text repeats it first.
std::string main_text(xmlNode* body, const std::string& title);

}  // namespace xinwen::extract
