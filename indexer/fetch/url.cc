#include <xinwen/fetch/url.h>

#include <curl/curl.h>

#include <memory>

#include <xinwen/ascii.h>
#include <xinwen/c_handle.h>

namespace xinwen {
namespace {

using CurlUrl = CHandle<CURLU, curl_url_cleanup>;

using CurlString = CHandle<char, curl_free>;

// Parses an absolute URL; null if it is not one. Schemes curl does not know
// (file:, javascript:, mailto:) still parse, so that callers can reject them
// by name instead of by accident.
CurlUrl parse(std::string_view url) {
  CurlUrl u(curl_url());
  if (!u) return nullptr;
  std::string s(trim_ascii(url));
  if (s.empty() || s.find('\0') != std::string::npos) return nullptr;
  if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) != CURLUE_OK)
    return nullptr;
  return u;
}

std::string get_part(CURLU* u, CURLUPart part) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, 0) != CURLUE_OK || !out) return {};
  CurlString owned(out);
  return lower_ascii(out);
}

// The scheme of ref if it starts with one (RFC 3986: a letter, then letters,
// digits, "+", "-" or "."; then ":"), else "".
std::string_view leading_scheme(std::string_view ref) {
  if (ref.empty() || !is_ascii_alpha(ref[0])) return {};
  for (std::size_t i = 1; i < ref.size(); ++i) {
    const char c = ref[i];
    if (c == ':') return ref.substr(0, i);
    if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.') return {};
  }
  return {};
}

}  // namespace

std::string resolve_url(std::string_view base, std::string_view ref) {
  std::string r(trim_ascii(ref));
  if (r.empty() || r.find('\0') != std::string::npos) return {};
  // An absolute URL whose scheme has no "//" (data:, javascript:, mailto:)
  // is already resolved; curl's parser does not take it, and returning ""
  // would lose the fact that the link is not a web one.
  if (std::string_view scheme = leading_scheme(r); !scheme.empty() && r.compare(scheme.size() + 1, 2, "//") != 0)
    return r;
  CurlUrl u = parse(base);
  if (!u) {
    u = parse(r);
    if (!u) return {};
  } else if (curl_url_set(u.get(), CURLUPART_URL, r.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) != CURLUE_OK) {
    return {};
  }
  char* out = nullptr;
  if (curl_url_get(u.get(), CURLUPART_URL, &out, 0) != CURLUE_OK || !out) return {};
  CurlString owned(out);
  return out;
}

bool is_web_url(std::string_view url) {
  CurlUrl u = parse(url);
  if (!u) return false;
  std::string scheme = get_part(u.get(), CURLUPART_SCHEME);
  return (scheme == "http" || scheme == "https") && !get_part(u.get(), CURLUPART_HOST).empty();
}

std::string url_scheme(std::string_view url) {
  CurlUrl u = parse(url);
  return u ? get_part(u.get(), CURLUPART_SCHEME) : std::string();
}

std::string url_host(std::string_view url) {
  CurlUrl u = parse(url);
  return u ? get_part(u.get(), CURLUPART_HOST) : std::string();
}

}  // namespace xinwen
