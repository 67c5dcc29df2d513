#include <xinwen/article.h>

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include <xinwen/analyzer.h>
#include <xinwen/ascii.h>
#include <xinwen/calendar.h>
#include <xinwen/canonical.h>
#include <xinwen/fingerprint.h>
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

// The values of one field of an article: none when it is empty.
std::vector<std::string_view> field_values(const Article& a, const Field& f) {
  if (f.list) return {(a.*f.list).begin(), (a.*f.list).end()};
  const std::string& v = a.*f.text;
  return v.empty() ? std::vector<std::string_view>{} : std::vector<std::string_view>{v};
}

// Puts one value into its canonical form (Field::normalize); returns why it
// cannot be, or "".
std::string normalize_value(const Field& f, std::string& v) {
  v = clean_text(v);
  if (f.normalize == Normalize::kKeepText) return {};
  v = std::string(trim_ascii(v));
  if (v.empty()) return {};
  switch (f.normalize) {
    case Normalize::kTime: {
      auto t = normalize_time(v);
      if (!t) return std::string(f.name) + " is not an ISO 8601 date: \"" + v.substr(0, 40) + "\"";
      v = *t;
      break;
    }
    case Normalize::kLanguage: v = canonical_language(v); break;
    case Normalize::kTrim:
    case Normalize::kKeepText: break;
  }
  return {};
}

// Reads one JSON input value into its field; returns why it cannot, or "".
std::string read_json_field(const Field& f, const json& v, Article& a) {
  if (v.is_null()) return {};
  if (f.list) {
    auto& list = a.*f.list;
    if (v.is_string()) {
      list.push_back(v.get<std::string>());
      return {};
    }
    if (v.is_array() && std::all_of(v.begin(), v.end(), [](const json& item) { return item.is_string(); })) {
      for (const auto& item : v) list.push_back(item.get<std::string>());
      return {};
    }
    return "field \"" + std::string(f.name) + "\" must be a string or an array of strings";
  }
  std::string& dst = a.*f.text;
  if (v.is_string()) {
    dst = v.get<std::string>();
  } else if (f.shape == InputShape::kStringOrList && v.is_array()) {
    for (const auto& n : v) {
      if (!n.is_string()) continue;
      if (!dst.empty()) dst += ", ";
      dst += n.get<std::string>();
    }
  } else if (f.shape == InputShape::kStringOrInteger && v.is_number_integer()) {
    dst = v.dump();
  } else {
    return "field \"" + std::string(f.name) + "\" must be a string";
  }
  return {};
}

}  // namespace

std::optional<std::string> normalize_time(std::string_view text) {
  std::string_view s = trim_ascii(text);
  std::size_t i = 0;
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!read_digits(s, &i, 4, &y) || i >= s.size() || s[i++] != '-' || !read_digits(s, &i, 2, &mo) || i >= s.size() ||
      s[i++] != '-' || !read_digits(s, &i, 2, &d))
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
  std::string error;
  for (const Field& f : fields()) {
    auto check = [&](std::string& v) {
      std::string why = normalize_value(f, v);
      if (error.empty()) error = std::move(why);
    };
    if (f.list) {
      for (std::string& v : a.*f.list) check(v);
      std::erase_if(a.*f.list, [](const std::string& v) { return v.empty(); });
    } else {
      check(a.*f.text);
    }
  }
  if (trim_ascii(a.title).empty() && trim_ascii(a.body).empty()) return "neither title nor body has text";
  if (!error.empty()) return error;
  if (a.id.empty()) a.id = a.url.empty() ? "sha:" + hash_hex(a.title + '\x1f' + a.body) : canonical_url(a.url);
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
    const Field* f = field_by_name(key);
    if (!f) {
      out.warnings.push_back("unknown field \"" + key + "\" ignored");
      continue;
    }
    out.error = read_json_field(*f, v, a);
    if (!out.error.empty()) return out;
  }
  out.error = normalize_article(a, &out.warnings);
  if (out.error.empty()) out.article = std::move(a);
  return out;
}

ArticleOutcome article_from_json(std::string_view json_text) {
  json value;
  try {
    value = json::parse(json_text.begin(), json_text.end());
  } catch (const json::exception& e) {
    // A syntax error, or a number out of range (1e400, even in a field
    // xinwen ignores): either way the record, not the run, is at fault.
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

// The document data: the stored fields as one JSON object, empty ones left out.
std::string stored_data(const Article& a) {
  json data = json::object();
  for (const Field& f : fields()) {
    if (!f.stored) continue;
    if (f.list && !(a.*f.list).empty()) data[std::string(f.name)] = a.*f.list;
    if (f.text && !(a.*f.text).empty()) data[std::string(f.name)] = a.*f.text;
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
          // A language also files under its primary subtag: lang:zh finds zh-Hans and zh-Hant.
          if (f.normalize == Normalize::kLanguage) {
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
  // The story id starts as the article's own; the indexer replaces it with a
  // near-duplicate's (writer.cc), which needs the database.
  const Fingerprint fp = fingerprint_of(doc);
  doc.add_value(kSlotFingerprint, fingerprint_value(fp));
  doc.add_value(kSlotStory, own_story_id(a.id));
  doc.set_data(std::move(data));
  return doc;
}

Article article_from_document(const Xapian::Document& doc) {
  Article a;
  json data = json::parse(doc.get_data(), nullptr, false);
  if (!data.is_object()) return a;
  for (const Field& f : fields()) {
    if (!f.stored) continue;
    auto it = data.find(std::string(f.name));
    if (it == data.end()) continue;
    if (f.list && it->is_array()) {
      for (const auto& v : *it)
        if (v.is_string()) (a.*f.list).push_back(v.get<std::string>());
    } else if (f.text && it->is_string()) {
      a.*f.text = it->get<std::string>();
    }
  }
  return a;
}

}  // namespace xinwen
