#include <xinwen/fetch/dates.h>

#include <array>
#include <cstdio>
#include <vector>

#include <xinwen/article.h>
#include <xinwen/ascii.h>

namespace xinwen {
namespace {

// Month number (1-12) of an English month name or its abbreviation; 0 if none.
int month_number(std::string_view word) {
  static const std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string w = lower_ascii(word);
  if (w.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (w.compare(0, 3, kMonths[i]) == 0) return static_cast<int>(i) + 1;
  return 0;
}

// "+hh:mm" for an RFC 822 zone ("GMT", "EST", "+0800", "Z"); "" if unknown.
std::string zone_offset(std::string_view zone) {
  if (zone.empty()) return "Z";
  if ((zone[0] == '+' || zone[0] == '-') && zone.size() >= 3) {
    std::string digits;
    for (char c : zone.substr(1))
      if (is_ascii_digit(c)) digits += c;
    if (digits.size() == 2) digits += "00";
    if (digits.size() != 4) return {};
    return std::string(1, zone[0]) + digits.substr(0, 2) + ":" + digits.substr(2);
  }
  struct Named {
    std::string_view name, offset;
  };
  static const std::array<Named, 13> kZones = {{{"gmt", "Z"},
                                                {"ut", "Z"},
                                                {"utc", "Z"},
                                                {"z", "Z"},
                                                {"est", "-05:00"},
                                                {"edt", "-04:00"},
                                                {"cst", "-06:00"},
                                                {"cdt", "-05:00"},
                                                {"mst", "-07:00"},
                                                {"mdt", "-06:00"},
                                                {"pst", "-08:00"},
                                                {"pdt", "-07:00"},
                                                {"hkt", "+08:00"}}};
  std::string z = lower_ascii(zone);
  for (const Named& n : kZones)
    if (z == n.name) return std::string(n.offset);
  return {};
}

// Splits text into runs of digits, runs of letters, and single other
// characters (spaces dropped); multi-byte UTF-8 characters stay whole.
std::vector<std::string> tokens(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
      ++i;
    } else if (is_ascii_digit(c) || is_ascii_alpha(c)) {
      std::size_t j = i;
      bool digits = is_ascii_digit(c);
      while (j < s.size() && (digits ? is_ascii_digit(s[j]) : is_ascii_alpha(s[j]))) ++j;
      out.emplace_back(s.substr(i, j - i));
      i = j;
    } else {
      std::size_t len = 1;
      auto u = static_cast<unsigned char>(c);
      if (u >= 0xF0)
        len = 4;
      else if (u >= 0xE0)
        len = 3;
      else if (u >= 0xC0)
        len = 2;
      out.emplace_back(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::optional<std::string> build(int y, int mo, int d, int h, int mi, int se, const std::string& zone) {
  if (y < 100) y += y < 50 ? 2000 : 1900;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, se);
  return normalize_time(std::string(buf) + zone);
}

// "[Sun,] 01 Jun 2025 08:30[:00] [zone]" (RFC 822 / 1123, as RSS has them).
std::optional<std::string> parse_rfc822(const std::vector<std::string>& t) {
  for (const std::string& s : t)
    if (is_ascii_digit(s[0]) && s.size() > 4) return std::nullopt;
  std::size_t i = 0;
  if (i < t.size() && is_ascii_alpha(t[i][0]) && month_number(t[i]) == 0) ++i;  // day name
  if (i + 2 >= t.size() || !is_ascii_digit(t[i][0])) return std::nullopt;
  int day = std::stoi(t[i]);
  int month = month_number(t[i + 1]);
  if (month == 0 || !is_ascii_digit(t[i + 2][0])) return std::nullopt;
  int year = std::stoi(t[i + 2]);
  i += 3;
  int h = 0, mi = 0, se = 0;
  if (i + 2 < t.size() && is_ascii_digit(t[i][0]) && t[i + 1] == ":" && is_ascii_digit(t[i + 2][0])) {
    h = std::stoi(t[i]);
    mi = std::stoi(t[i + 2]);
    i += 3;
    if (i + 1 < t.size() && t[i] == ":" && is_ascii_digit(t[i + 1][0])) {
      se = std::stoi(t[i + 1]);
      i += 2;
    }
  }
  std::string zone;
  for (; i < t.size(); ++i) zone += t[i];
  std::string offset = zone_offset(zone);
  if (offset.empty()) offset = "Z";  // an unknown zone name: better a few hours off than no date
  return build(year, month, day, h, mi, se, offset);
}

// "2025/6/1 8:30", "2025.06.01", "2025年6月1日 08时30分", with an optional zone.
std::optional<std::string> parse_numeric(const std::vector<std::string>& t) {
  std::vector<int> numbers;
  std::string zone;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::string& s = t[i];
    if (is_ascii_digit(s[0])) {
      if (s.size() > 4) return std::nullopt;
      numbers.push_back(std::stoi(s));
    } else if ((s == "+" || s == "-") && numbers.size() >= 5 && i + 1 < t.size() && is_ascii_digit(t[i + 1][0])) {
      for (; i < t.size(); ++i) zone += t[i];
      break;
    } else if (is_ascii_alpha(s[0])) {
      std::string z = lower_ascii(s);
      if (z == "t" && numbers.size() == 3) continue;
      if (z == "am" || z == "pm") {
        if (numbers.size() >= 4 && z == "pm" && numbers[3] < 12) numbers[3] += 12;
        if (numbers.size() >= 4 && z == "am" && numbers[3] == 12) numbers[3] = 0;
        continue;
      }
      zone = s;
    }
  }
  if (numbers.size() < 3 || t.empty() || !is_ascii_digit(t[0][0]) || t[0].size() != 4) return std::nullopt;
  numbers.resize(6, 0);
  std::string offset = zone_offset(zone);
  if (offset.empty()) offset = "Z";
  return build(numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], offset);
}

}  // namespace

std::optional<std::string> parse_web_date(std::string_view text) {
  if (text.size() > 100) return std::nullopt;
  if (auto iso = normalize_time(text)) return iso;
  std::vector<std::string> t = tokens(text);
  if (t.empty()) return std::nullopt;
  if (is_ascii_digit(t[0][0]) && t[0].size() == 4) return parse_numeric(t);
  return parse_rfc822(t);
}

}  // namespace xinwen
