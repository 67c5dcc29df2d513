#include <xinwen/article.h>

#include <unicode/utf8.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include <xinwen/analyzer.h>
#include <xinwen/ascii.h>
#include <xinwen/calendar.h>
#include <xinwen/fold.h>
#include <xinwen/schema.h>

namespace xinwen {
namespace {

using nlohmann::json;

// Reads exactly n digits at s[*i].
bool read_digits(std::string_view s, std::size_t* i, int n, int* out) {
  int v = 0;
  for (int k = 0; k < n; ++k) {
    if (*i >= s.size() || !is_ascii_digit(s[*i])) return false;
    v = v * 10 + (s[(*i)++] - '0');
  }
  *out = v;
  return true;
}

// The values of one field of an article, as the schema table names it.
std::vector<std::string_view> field_values(const Article& a, const Field& f) {
  auto one = [](const std::string& v) {
    return v.empty() ? std::vector<std::string_view>{} : std::vector<std::string_view>{v};
  };
  if (f.name == "id") return one(a.id);
  if (f.name == "url") return one(a.url);
  if (f.name == "title") return one(a.title);
  if (f.name == "body") return one(a.body);
  if (f.name == "author") return one(a.author);
  if (f.name == "source") return one(a.source);
  if (f.name == "lang") return one(a.lang);
  if (f.name == "published") return one(a.published);
  if (f.name == "tags") return {a.tags.begin(), a.tags.end()};
  return {};
}

std::string* string_field(Article& a, std::string_view name) {
  if (name == "id") return &a.id;
  if (name == "url") return &a.url;
  if (name == "title") return &a.title;
  if (name == "body") return &a.body;
  if (name == "author") return &a.author;
  if (name == "source") return &a.source;
  if (name == "lang") return &a.lang;
  if (name == "published") return &a.published;
  return nullptr;
}

// The canonical form of a URL used as an id: scheme and host in lower case,
// no fragment, no default port. Anything that does not look like an
// http(s) URL is kept as it is.
std::string canonical_url(std::string_view url) {
  std::string u(url);
  auto scheme_end = u.find("://");
  if (scheme_end == std::string::npos) return u;
  std::string scheme = u.substr(0, scheme_end);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return u;
  if (auto hash = u.find('#'); hash != std::string::npos) u.resize(hash);
  std::size_t host_begin = scheme_end + 3;
  std::size_t host_end = u.find_first_of("/?", host_begin);
  if (host_end == std::string::npos) host_end = u.size();
  std::string host = u.substr(host_begin, host_end - host_begin);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string default_port = scheme == "http" ? ":80" : ":443";
  if (host.size() > default_port.size() && host.compare(host.size() - default_port.size(), default_port.size(), default_port) == 0)
    host.resize(host.size() - default_port.size());
  std::string rest = u.substr(host_end);
  if (rest.empty()) rest = "/";
  return scheme + "://" + host + rest;
}

}  // namespace

std::optional<std::string> normalize_time(std::string_view text) {
  std::string_view s = trim_ascii(text);
  std::size_t i = 0;
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!read_digits(s, &i, 4, &y) || i >= s.size() || s[i++] != '-' || !read_digits(s, &i, 2, &mo) ||
      i >= s.size() || s[i++] != '-' || !read_digits(s, &i, 2, &d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > static_cast<int>(days_in_month(y, static_cast<unsigned>(mo))))
    return std::nullopt;
  int offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
    ++i;
    if (!read_digits(s, &i, 2, &h) || i >= s.size() || s[i++] != ':' || !read_digits(s, &i, 2, &mi))
      return std::nullopt;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_digits(s, &i, 2, &se)) return std::nullopt;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        std::size_t start = i;
        while (i < s.size() && is_ascii_digit(s[i])) ++i;
        if (i == start) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;
    if (i < s.size()) {
      char z = s[i++];
      if (z == 'Z' || z == 'z') {
        // UTC
      } else if (z == '+' || z == '-') {
        int oh, om = 0;
        if (!read_digits(s, &i, 2, &oh)) return std::nullopt;
        if (i < s.size() && s[i] == ':') ++i;
        if (i < s.size() && !read_digits(s, &i, 2, &om)) return std::nullopt;
        if (oh > 23 || om > 59) return std::nullopt;
        offset_minutes = (z == '+' ? 1 : -1) * (oh * 60 + om);
      } else {
        return std::nullopt;
      }
    }
    if (i != s.size()) return std::nullopt;
  }
  if (se == 60) se = 59;  // a leap second sorts with the second before it
  auto t = unix_seconds(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, se);
  if (!t) return std::nullopt;
  return iso8601_utc(*t - offset_minutes * 60LL);
}

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = 0, n = static_cast<int32_t>(text.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      out += "\xEF\xBF\xBD";
    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
      // Control characters become spaces so that the words they separated stay apart.
      if (c != '\r') out += ' ';
    } else {
      out.append(text.data() + start, static_cast<std::size_t>(i - start));
    }
  }
  return out;
}

std::string normalize_article(Article& a, std::vector<std::string>* /*warnings*/) {
  for (std::string* s : {&a.id, &a.url, &a.title, &a.body, &a.published, &a.source, &a.lang, &a.author})
    *s = clean_text(*s);
  for (std::string* s : {&a.id, &a.url, &a.title, &a.published, &a.source, &a.lang, &a.author}) *s = std::string(trim_ascii(*s));
  for (std::string& t : a.tags) t = std::string(trim_ascii(clean_text(t)));
  std::erase_if(a.tags, [](const std::string& t) { return t.empty(); });

  if (trim_ascii(a.title).empty() && trim_ascii(a.body).empty()) return "neither title nor body has text";
  if (!a.published.empty()) {
    auto t = normalize_time(a.published);
    if (!t) return "published is not an ISO 8601 date: \"" + a.published.substr(0, 40) + "\"";
    a.published = *t;
  }
  if (!a.lang.empty()) a.lang = fold_term(a.lang);
  if (a.id.empty()) {
    if (!a.url.empty()) {
      a.id = canonical_url(a.url);
    } else {
      a.id = "sha:" + hash_hex(a.title + '\x1f' + a.body);
    }
  }
  return {};
}

ArticleOutcome article_from_json_value(const json& value) {
  ArticleOutcome out;
  if (!value.is_object()) {
    out.error = "record is not a JSON object";
    return out;
  }
  Article a;
  for (const auto& [key, v] : value.items()) {
    if (key == "tags") {
      if (v.is_string()) {
        a.tags.push_back(v.get<std::string>());
      } else if (v.is_array()) {
        for (const auto& t : v) {
          if (!t.is_string()) {
            out.error = "field \"tags\" must be a string or an array of strings";
            return out;
          }
          a.tags.push_back(t.get<std::string>());
        }
      } else if (!v.is_null()) {
        out.error = "field \"tags\" must be a string or an array of strings";
        return out;
      }
      continue;
    }
    std::string* dst = string_field(a, key);
    if (!dst) {
      out.warnings.push_back("unknown field \"" + key + "\" ignored");
      continue;
    }
    if (v.is_null()) continue;
    if (v.is_string()) {
      *dst = v.get<std::string>();
    } else if (key == "author" && v.is_array()) {
      for (const auto& n : v) {
        if (!n.is_string()) continue;
        if (!dst->empty()) *dst += ", ";
        *dst += n.get<std::string>();
      }
    } else if (key == "id" && v.is_number_integer()) {
      *dst = v.dump();
    } else {
      out.error = "field \"" + key + "\" must be a string";
      return out;
    }
  }
  out.error = normalize_article(a, &out.warnings);
  if (out.error.empty()) out.article = std::move(a);
  return out;
}

ArticleOutcome article_from_json(std::string_view json_text) {
  json value;
  try {
    value = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    ArticleOutcome out;
    std::string what = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] "; keep the message.
    auto p = what.find("] ");
    out.error = "invalid JSON: " + (p == std::string::npos ? what : what.substr(p + 2));
    return out;
  }
  return article_from_json_value(value);
}

std::string id_term(std::string_view id) { return boolean_term(*field_by_name("id"), id); }

namespace {

// The document data: the stored fields as one JSON object.
std::string stored_data(const Article& a) {
  json data = json::object();
  for (const Field& f : fields()) {
    if (!f.stored) continue;
    std::vector<std::string_view> values = field_values(a, f);
    if (values.empty()) continue;
    if (f.name == "tags")
      data[std::string(f.name)] = a.tags;
    else
      data[std::string(f.name)] = std::string(values.front());
  }
  return data.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string hash_of_data(const std::string& data) { return hash_hex(std::string(kSchemaVersion) + data); }

}  // namespace

std::string make_document_hash(const Article& a) { return hash_of_data(stored_data(a)); }

Xapian::Document make_document(const Article& a, Analyzer& analyzer) {
  Xapian::Document doc;
  Xapian::termpos pos = 0;
  for (const Field& f : fields()) {
    std::vector<std::string_view> values = field_values(a, f);
    if (values.empty()) continue;
    switch (f.kind) {
      case FieldKind::kText:
        for (std::string_view v : values) analyzer.index_field(doc, f, v, &pos);
        break;
      case FieldKind::kBoolean:
        for (std::string_view v : values) {
          doc.add_boolean_term(boolean_term(f, v));
          // lang "zh-hant" also files under "zh", so lang:zh finds every Chinese article.
          if (f.name == "lang") {
            auto dash = v.find('-');
            if (dash != std::string_view::npos) doc.add_boolean_term(boolean_term(f, v.substr(0, dash)));
          }
        }
        if (f.slot) doc.add_value(*f.slot, std::string(values.front()));
        break;
      case FieldKind::kDate: {
        std::string_view t = values.front();  // normalized: YYYY-MM-DDTHH:MM:SSZ
        std::string ymd = std::string(t.substr(0, 4)) + std::string(t.substr(5, 2)) + std::string(t.substr(8, 2));
        doc.add_boolean_term(std::string(kDayPrefix) + ymd);
        doc.add_boolean_term(std::string(kMonthPrefix) + ymd.substr(0, 6));
        doc.add_boolean_term(std::string(kYearPrefix) + ymd.substr(0, 4));
        if (f.slot) doc.add_value(*f.slot, std::string(t));
        doc.add_value(kSlotMonth, std::string(t.substr(0, 7)));
        break;
      }
    }
  }
  std::string data = stored_data(a);
  doc.add_value(kSlotContentHash, hash_of_data(data));
  doc.add_value(kSlotId, a.id);
  doc.set_data(std::move(data));
  return doc;
}

Article article_from_document(const Xapian::Document& doc) {
  Article a;
  json data = json::parse(doc.get_data(), nullptr, false);
  if (!data.is_object()) return a;
  for (const auto& [key, v] : data.items()) {
    if (key == "tags" && v.is_array()) {
      for (const auto& t : v)
        if (t.is_string()) a.tags.push_back(t.get<std::string>());
    } else if (std::string* dst = string_field(a, key); dst && v.is_string()) {
      *dst = v.get<std::string>();
    }
  }
  return a;
}

}  // namespace xinwen
