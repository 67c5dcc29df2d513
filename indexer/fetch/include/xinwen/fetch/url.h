// URLs as the fetcher meets them in feeds and pages: relative links resolved
// against the document's address, and the scheme check that keeps a feed from
// pointing the fetcher at file:// or any other non-web scheme. Uses curl's URL
// parser, so what is accepted here is what the transfer will accept.
#pragma once

#include <string>
#include <string_view>

namespace xinwen {

// Resolves ref (absolute, or relative to base, after trimming white space) per
// RFC 3986. Returns the absolute URL, or "" if it cannot be parsed. Any scheme
// is returned; check it with is_web_url.
std::string resolve_url(std::string_view base, std::string_view ref);

// True if url is an absolute http:// or https:// URL with a host.
bool is_web_url(std::string_view url);

// The lower-case scheme of an absolute URL ("" if none).
std::string url_scheme(std::string_view url);

// The lower-case host of an absolute URL ("" if none).
std::string url_host(std::string_view url);

}  // namespace xinwen
