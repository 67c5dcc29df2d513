#include <xinwen/fetch/dates.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include <array>
#include <cstdint>
#include <vector>

#include <xinwen/ascii.h>
#include <xinwen/c_handle.h>
#include <xinwen/calendar.h>

namespace xinwen {
namespace {

using Calendar = CHandle<UCalendar, ucal_close>;

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

// Zone names as news feeds write them, in minutes east of UTC. The table is
// documented in indexer/FETCH.md; keep the two in step. Names that mean
// different zones in different places are settled for news: "IST" is India,
// "BST" British Summer Time, and "CST" (below) depends on the language.
struct NamedZone {
  std::string_view name;
  int minutes;
};
constexpr std::array<NamedZone, 41> kZones = {{
    {"ut", 0},     {"utc", 0},    {"gmt", 0},    {"z", 0},      {"wet", 0},    {"west", 60},  {"bst", 60},
    {"cet", 60},   {"met", 60},   {"cest", 120}, {"mest", 120}, {"eet", 120},  {"eest", 180}, {"msk", 180},
    {"ist", 330},  {"ict", 420},  {"wib", 420},  {"hkt", 480},  {"sgt", 480},  {"pht", 480},  {"awst", 480},
    {"jst", 540},  {"kst", 540},  {"acst", 570}, {"aest", 600}, {"aedt", 660}, {"nzst", 720}, {"nzdt", 780},
    {"nst", -210}, {"ndt", -150}, {"ast", -240}, {"adt", -180}, {"at", -240},  {"est", -300}, {"edt", -240},
    {"et", -300},  {"cdt", -300}, {"ct", -360},  {"mst", -420}, {"mdt", -360}, {"mt", -420},
}};
constexpr std::array<NamedZone, 5> kMoreZones = {{
    {"pst", -480},
    {"pdt", -420},
    {"pt", -480},
    {"akst", -540},
    {"hst", -600},
}};

// "CST" is China Standard Time on Chinese-language sources, US Central
// Standard Time elsewhere.
int cst_minutes(std::string_view lang) { return lower_ascii(lang.substr(0, 2)) == "zh" ? 480 : -360; }

std::optional<int> named_zone(std::string_view name, std::string_view lang) {
  const std::string n = lower_ascii(name);
  if (n == "cst") return cst_minutes(lang);
  for (const NamedZone& z : kZones)
    if (n == z.name) return z.minutes;
  for (const NamedZone& z : kMoreZones)
    if (n == z.name) return z.minutes;
  return std::nullopt;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_ascii_digit(c)) return false;
  return true;
}

bool all_alpha(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_ascii_alpha(c)) return false;
  return true;
}

// Text with RFC 822 comments ("(CEST)" after a JavaScript date) removed and
// the words for a.m. and p.m. in Chinese and Korean made English.
std::string prepare(std::string_view text) {
  std::string out;
  int depth = 0;
  for (char c : text) {
    if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  struct Word {
    std::string_view from, to;
  };
  static constexpr std::array<Word, 6> kWords = {{{"上午", " am "},
                                                  {"下午", " pm "},
                                                  {"\xEC\x98\xA4\xEC\xA0\x84", " am "},  // 오전
                                                  {"\xEC\x98\xA4\xED\x9B\x84", " pm "},  // 오후
                                                  {"a.m.", " am "},
                                                  {"p.m.", " pm "}}};
  for (const Word& w : kWords)
    for (std::size_t p = out.find(w.from); p != std::string::npos; p = out.find(w.from, p))
      out.replace(p, w.from.size(), w.to);
  return out;
}

// Splits text into runs of digits, runs of letters, and single other
// characters (spaces and commas dropped); multi-byte UTF-8 characters stay
// whole.
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

// A date as written, before its zone is applied.
struct Parts {
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, se = 0;
  std::optional<int> offset;  // minutes east of UTC, if the text gives a zone
  bool pm = false, am = false;
};

// Reads tokens one by one; every reader leaves the position alone on failure.
class Cursor {
 public:
  explicit Cursor(std::vector<std::string> t) : t_(std::move(t)) {}
  bool done() const { return i_ >= t_.size(); }
  const std::string& peek() const {
    static const std::string kNone;
    return done() ? kNone : t_[i_];
  }
  bool take(std::string_view s) {
    if (done() || lower_ascii(t_[i_]) != s) return false;
    ++i_;
    return true;
  }
  // A number of min_len to max_len digits.
  bool number(std::size_t min_len, std::size_t max_len, int* out) {
    if (done() || !all_digits(t_[i_]) || t_[i_].size() < min_len || t_[i_].size() > max_len) return false;
    *out = std::stoi(t_[i_++]);
    return true;
  }
  void skip() { ++i_; }
  std::size_t pos() const { return i_; }
  void rewind(std::size_t p) { i_ = p; }

 private:
  std::vector<std::string> t_;
  std::size_t i_ = 0;
};

// "am"/"pm" tokens, wherever they stand after the date.
void take_meridiem(Cursor& c, Parts& p) {
  for (;;) {
    if (c.take("am")) {
      p.am = true;
    } else if (c.take("pm")) {
      p.pm = true;
    } else {
      return;
    }
  }
}

// "08:30[:00[.123]]", "8时30分[05秒]", "8點30分", "8시 30분": the time of day.
bool read_time(Cursor& c, Parts& p) {
  const std::size_t start = c.pos();
  take_meridiem(c, p);
  if (!c.number(1, 2, &p.h)) {
    c.rewind(start);
    return false;
  }
  if (c.take(":")) {
    if (!c.number(2, 2, &p.mi)) return false;
    if (c.take(":")) {
      if (!c.number(2, 2, &p.se)) return false;
      int fraction = 0;  // dropped: published times are kept to the second
      if (c.take(".") && !c.number(1, 9, &fraction)) return false;
    }
  } else if (c.take("时") || c.take("時") || c.take("点") || c.take("點") || c.take("\xEC\x8B\x9C")) {  // 시
    if (c.number(1, 2, &p.mi)) {
      if (!(c.take("分") || c.take("\xEB\xB6\x84"))) return false;                           // 분
      if (c.number(1, 2, &p.se) && !(c.take("秒") || c.take("\xEC\xB4\x88"))) return false;  // 초
    }
  } else {
    return false;
  }
  take_meridiem(c, p);
  return true;
}

// A numeric offset ("+0800", "-07:00", "+8", "+05:30") after its sign.
std::optional<int> read_offset(Cursor& c, int sign) {
  int h = 0, m = 0;
  const std::string& first = c.peek();
  if (!all_digits(first)) return std::nullopt;
  if (first.size() == 4) {
    h = std::stoi(first.substr(0, 2));
    m = std::stoi(first.substr(2));
    c.skip();
  } else if (first.size() <= 2) {
    c.skip();
    h = std::stoi(first);
    if (c.take(":") && !c.number(2, 2, &m)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (h > 14 || m > 59) return std::nullopt;
  return sign * (h * 60 + m);
}

// The zone after a time: a name, a numeric offset, or GMT/UTC followed by an
// offset ("GMT-01:01", JavaScript's "GMT+0200"). Anything else is malformed.
// An unknown name counts as UTC: a few hours off beats no date.
bool read_zone(Cursor& c, Parts& p, std::string_view lang) {
  if (c.done()) return true;
  std::string name;
  if (all_alpha(c.peek())) {
    name = c.peek();
    c.skip();
  }
  int sign = 0;
  if (c.take("+"))
    sign = 1;
  else if (c.take("-") || c.take("\xE2\x88\x92"))  // U+2212 MINUS SIGN
    sign = -1;
  if (sign != 0) {
    const std::string n = lower_ascii(name);
    if (!name.empty() && n != "gmt" && n != "utc" && n != "ut") return false;
    std::optional<int> off = read_offset(c, sign);
    if (!off) return false;
    p.offset = *off;
    return true;
  }
  if (name.empty()) return false;
  p.offset = named_zone(name, lang).value_or(0);
  return true;
}

// "2025-06-01[T08:30[:00][Z]]", "2025/6/1 8:30", "2025.06.01", "2025年6月1日
// 08时30分", W3DTF's "2003" and "2003-12", with an optional zone.
std::optional<Parts> parse_numeric(Cursor& c, std::string_view lang) {
  Parts p;
  if (!c.number(4, 4, &p.y)) return std::nullopt;
  if (c.done()) return p;  // "2003"
  const std::string sep = c.peek();
  const bool cjk = sep == "年" || sep == "\xEB\x85\x84";  // 년
  if (!cjk && sep != "-" && sep != "/" && sep != ".") return std::nullopt;
  c.skip();
  if (!c.number(1, 2, &p.mo)) return std::nullopt;
  if (cjk) {
    if (!(c.take("月") || c.take("\xEC\x9B\x94"))) return std::nullopt;  // 월
    if (c.done()) return p;
  } else {
    if (c.done()) return sep == "-" ? std::optional<Parts>(p) : std::nullopt;  // "2003-12"
    if (!c.take(sep)) return std::nullopt;
  }
  if (!c.number(1, 2, &p.d)) return std::nullopt;
  if (cjk && !(c.take("日") || c.take("号") || c.take("\xEC\x9D\xBC"))) return std::nullopt;  // 일
  if (c.done()) return p;
  c.take("t");
  if (!read_time(c, p)) return std::nullopt;
  if (!read_zone(c, p, lang) || !c.done()) return std::nullopt;
  return p;
}

int year_of(int y, std::size_t digits) { return digits <= 2 ? y + (y < 50 ? 2000 : 1900) : y; }

// RFC 822 / 1123 as RSS writes them ("[Sun,] 01 Jun 2025 08:30[:00] [zone]"),
// JavaScript's Date.toString ("Thu Aug 30 2012 10:00:00 GMT+0200 (CEST)"),
// asctime ("Thu Aug 30 10:00:00 2012") and "Aug 30, 2012 10:00 AM".
std::optional<Parts> parse_words(Cursor& c, std::string_view lang) {
  Parts p;
  if (all_alpha(c.peek()) && month_number(c.peek()) == 0) c.skip();  // the day's name
  c.take(".");
  auto year = [&]() {
    const std::size_t len = c.peek().size();
    if (len != 2 && len != 4) return false;
    if (!c.number(2, 4, &p.y)) return false;
    p.y = year_of(p.y, len);
    return true;
  };
  if (all_alpha(c.peek())) {
    p.mo = month_number(c.peek());
    if (p.mo == 0) return std::nullopt;
    c.skip();
    c.take(".");
    if (!c.number(1, 2, &p.d)) return std::nullopt;
    if (c.peek().size() == 4 && all_digits(c.peek())) {
      year();
    } else {
      // asctime: the time, maybe a zone, then the year.
      if (!read_time(c, p)) return std::nullopt;
      if (all_alpha(c.peek()) && !read_zone(c, p, lang)) return std::nullopt;
      if (!year() || !c.done()) return std::nullopt;
      return p;
    }
  } else {
    if (!c.number(1, 2, &p.d)) return std::nullopt;
    c.take("-");
    p.mo = month_number(c.peek());
    if (p.mo == 0) return std::nullopt;
    c.skip();
    c.take("-");
    if (!year()) return std::nullopt;
  }
  if (c.done()) return p;
  if (!read_time(c, p)) return std::nullopt;
  if (!read_zone(c, p, lang) || !c.done()) return std::nullopt;
  return p;
}

std::u16string utf16(std::string_view s) {
  std::u16string out(s.size() + 1, u'\0');
  int32_t n = 0;
  UErrorCode err = U_ZERO_ERROR;
  u_strFromUTF8(out.data(), static_cast<int32_t>(out.size()), &n, s.data(), static_cast<int32_t>(s.size()), &err);
  if (U_FAILURE(err)) return {};
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Seconds since the epoch of a wall-clock time in an IANA zone (ICU's data;
// libstdc++ 12 has no std::chrono::locate_zone). In a gap or an overlap of a
// daylight-saving change, ICU's choice (the earlier offset) stands.
std::optional<std::int64_t> zone_to_utc(const std::string& zone, const Parts& p) {
  const std::u16string id = utf16(zone);
  UErrorCode err = U_ZERO_ERROR;
  Calendar cal(ucal_open(id.data(), static_cast<int32_t>(id.size()), "", UCAL_GREGORIAN, &err));
  if (U_FAILURE(err) || !cal) return std::nullopt;
  ucal_clear(cal.get());
  ucal_setDateTime(cal.get(), p.y, p.mo - 1, p.d, p.h, p.mi, p.se, &err);
  const UDate ms = ucal_getMillis(cal.get(), &err);
  if (U_FAILURE(err)) return std::nullopt;
  return static_cast<std::int64_t>(ms / 1000);
}

std::optional<std::string> finish(Parts p, const DateContext& context) {
  if (p.pm && p.h < 12) p.h += 12;
  if (p.am && p.h == 12) p.h = 0;
  if (p.h > 23 || p.mi > 59 || p.se > 60) return std::nullopt;
  if (p.se == 60) p.se = 59;  // a leap second sorts with the second before it
  auto local = unix_seconds(p.y, static_cast<unsigned>(p.mo), static_cast<unsigned>(p.d), p.h, p.mi, p.se);
  if (!local) return std::nullopt;
  std::int64_t t = *local;
  if (p.offset) {
    t -= *p.offset * 60LL;
  } else if (!context.timezone.empty()) {
    auto in_zone = zone_to_utc(context.timezone, p);
    if (!in_zone) return std::nullopt;
    t = *in_zone;
  }
  return iso8601_utc(t);
}

}  // namespace

bool is_known_timezone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  const std::u16string id = utf16(name);
  std::array<UChar, 128> canonical{};
  UBool system = false;
  UErrorCode err = U_ZERO_ERROR;
  ucal_getCanonicalTimeZoneID(id.data(), static_cast<int32_t>(id.size()), canonical.data(),
                              static_cast<int32_t>(canonical.size()), &system, &err);
  return U_SUCCESS(err) && system;
}

std::optional<std::string> parse_web_date(std::string_view text, const DateContext& context) {
  if (text.size() > 100) return std::nullopt;
  Cursor c(tokens(prepare(trim_ascii(text))));
  if (c.done()) return std::nullopt;
  std::optional<Parts> p;
  if (all_digits(c.peek()) && c.peek().size() == 4)
    p = parse_numeric(c, context.lang);
  else
    p = parse_words(c, context.lang);
  if (!p) return std::nullopt;
  return finish(*p, context);
}

std::optional<std::string> parse_web_date(std::string_view text) { return parse_web_date(text, DateContext{}); }

}  // namespace xinwen
