#include <xinwen/canonical.h>

#include <unicode/locid.h>

#include <algorithm>

#include <xinwen/ascii.h>

namespace xinwen {

std::string canonical_language(std::string_view tag) {
  std::string text(trim_ascii(tag));
  if (text.empty()) return text;
  std::replace(text.begin(), text.end(), '_', '-');  // ICU locale ids ("zh_TW") as tags
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale parsed = icu::Locale::forLanguageTag(text, status);
  if (U_FAILURE(status) || parsed.isBogus() || *parsed.getLanguage() == '\0') return lower_ascii(text);

  std::string script = parsed.getScript();
  std::string region = parsed.getCountry();
  if (std::string_view(parsed.getLanguage()) == "zh") {
    if (script.empty() && !region.empty()) {
      icu::Locale likely = parsed;
      UErrorCode likely_status = U_ZERO_ERROR;
      likely.addLikelySubtags(likely_status);
      if (U_SUCCESS(likely_status)) script = likely.getScript();
    }
    region.clear();
  }
  // Built again from its parts so that variants and extensions go; ICU then
  // writes the canonical case and replaces deprecated codes ("iw" -> "he").
  std::string rebuilt = parsed.getLanguage();
  if (!script.empty()) rebuilt += "-" + script;
  if (!region.empty()) rebuilt += "-" + region;
  status = U_ZERO_ERROR;
  icu::Locale canonical = icu::Locale::forLanguageTag(rebuilt, status);
  std::string out;
  if (U_SUCCESS(status)) out = canonical.toLanguageTag<std::string>(status);
  if (U_FAILURE(status) || out.empty()) return lower_ascii(text);
  return out;
}

std::string canonical_url(std::string_view url) {
  std::string u(url);
  auto scheme_end = u.find("://");
  if (scheme_end == std::string::npos) return u;
  std::string scheme = lower_ascii(u.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return u;
  if (auto hash = u.find('#'); hash != std::string::npos) u.resize(hash);
  std::size_t host_begin = scheme_end + 3;
  std::size_t host_end = u.find_first_of("/?", host_begin);
  if (host_end == std::string::npos) host_end = u.size();
  std::string host = lower_ascii(u.substr(host_begin, host_end - host_begin));
  const std::string_view default_port = scheme == "http" ? ":80" : ":443";
  if (host.size() > default_port.size() && host.ends_with(default_port)) host.resize(host.size() - default_port.size());
  std::string rest = u.substr(host_end);
  if (rest.empty()) rest = "/";
  return scheme + "://" + host + rest;
}

}  // namespace xinwen
