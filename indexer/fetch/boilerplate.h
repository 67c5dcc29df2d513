// What is not the article: the tables of class and id names, roles and tags
// that mark page furniture, and of the paragraphs (disclaimers, copyright and
// editor lines, "related" headings) after which an article's text has ended.
// Private to indexer/fetch; pure functions, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "libxml_util.h"

namespace xinwen::extract {

// Class or id names navigation, link lists, sharing, comments, ads or a
// disclaimer.
bool is_negative(const xmlNode* n);

// Class or id names the article or its body.
bool is_positive(const xmlNode* n);

// Page furniture whatever its content: <nav>, <aside> and the like, ARIA
// navigation roles, hidden elements, and is_negative ones.
bool is_furniture(const xmlNode* n);

// The part of is_furniture that does not depend on class and id names: the
// tags, roles and hidden elements.
bool is_furniture_markup(const xmlNode* n);

// True for a copyright notice: a line that names rights (版权, 版權) or starts
// with a year, as "© 2025 Example News" does; "© Agency" under a photo does
// not.
bool copyright_notice(const std::string& paragraph);

// True for a paragraph that ends with a sentence's final punctuation.
bool ends_sentence(const std::string& paragraph);

// Cuts a disclaimer or "related" heading and everything after it, repeated
// paragraphs and a first paragraph that only repeats the title; on a whole
// page also the furniture at the end ("goTop", "分享").
std::vector<std::string> trim_paragraphs(std::vector<std::string> paragraphs, const std::string& title,
                                         bool whole_page);

}  // namespace xinwen::extract
