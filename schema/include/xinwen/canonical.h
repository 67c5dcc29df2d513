// Canonical forms of the values that identify things: language tags and the
// URLs that become article ids. Every input path (JSON Lines, Markdown, feeds,
// the sources file) goes through these, so one article gets one id and one
// language whichever way it came in. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace xinwen {

// A BCP 47 tag in the form the index stores and shows, read with ICU (case
// and '_' do not matter: "ZH_tw" is "zh-TW"):
// - Chinese names its script, which is what readers and the lang: filter care
//   about; a region gives the script through ICU's likely subtags and is then
//   dropped: zh-TW, zh-HK, zh-MO, zh-Hant-TW -> "zh-Hant"; zh-CN, zh-SG ->
//   "zh-Hans". A bare "zh" says nothing about the script and stays "zh".
// - Other languages keep language, script and region in canonical case
//   ("en-US", "pt-BR", "sr-Latn-RS"); variants and extensions are dropped.
// A tag ICU cannot read is kept trimmed and in lower case; "" stays "".
std::string canonical_language(std::string_view tag);

// The form of an http(s) URL used as an article id: scheme and host in lower
// case, no #fragment, no default port, "/" for an empty path. Anything that is
// not an http(s) URL is returned unchanged.
std::string canonical_url(std::string_view url);

}  // namespace xinwen
