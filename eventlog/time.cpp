// Parsing and formatting of asof timestamps: ISO 8601 text, epoch numbers, IANA zones.
#include "eventlog/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <exception>

namespace asof {

namespace {

using std::chrono::duration_cast;
using std::chrono::floor;
using std::chrono::seconds;

constexpr std::size_t quote_limit = 60;

// Years 0001..9999 in microseconds since the epoch, inclusive.
constexpr std::int64_t min_micros = -62135596800LL * 1000000;
constexpr std::int64_t max_micros = 253402300800LL * 1000000 - 1;

// `text` in double quotes for a message: at most about 60 bytes, cut on a UTF-8 boundary,
// with '"', '\' and control characters escaped.
std::string quoted(std::string_view text) {
    bool cut = false;
    if (text.size() > quote_limit) {
        std::size_t end = quote_limit - 3;
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end;
        text = text.substr(0, end);
        cut = true;
    }
    std::string out = "\"";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7F) {
            constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xF];
        } else {
            out += c;
        }
    }
    if (cut) out += "...";
    out += '"';
    return out;
}

// The error "expected <what> at character <pos + 1> in \"<text>\"".
[[gnu::cold]] tl::unexpected<Error> expected_at(std::string_view what, std::size_t pos,
                                                std::string_view text) {
    std::string message = "expected ";
    message += what;
    message += " at character ";
    message += std::to_string(pos + 1);
    if (pos >= text.size()) message += " (end of text)";
    message += " in ";
    message += quoted(text);
    return fail(std::move(message));
}

[[gnu::cold]] tl::unexpected<Error> bad_day(int y, int m, std::size_t pos, std::string_view text) {
    const date::month month{static_cast<unsigned>(m)};
    const auto last = date::year_month_day_last{date::year{y}, date::month_day_last{month}}.day();
    std::string what = "a day 01..";
    what += std::to_string(static_cast<unsigned>(last));
    what += " for ";
    what += std::string_view(text).substr(0, 7);
    return expected_at(what, pos, text);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The value of the two digits at `pos`, or -1 when they are not both there.
int two_digits(std::string_view text, std::size_t pos) {
    if (pos + 1 >= text.size() || !is_digit(text[pos]) || !is_digit(text[pos + 1])) return -1;
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
}

bool is_zone_start(char c) {
    return c == 'Z' || c == 'z' || c == '+' || c == '-';
}

// Steps over one space that stands before a zone in the human form whose date and time are
// also parted by a space ("2026-04-14 11:12:33 +02:00", as format_in_zone writes).
void skip_space_before_zone(std::string_view text, std::size_t& pos) {
    if (text[10] == ' ' && pos + 1 < text.size() && text[pos] == ' ' &&
        is_zone_start(text[pos + 1]))
        ++pos;
}

// Null and the UTC zones, which need no zone lookup; other zero-offset zones take the slow path.
bool is_utc(const date::time_zone* zone) {
    if (zone == nullptr) return true;
    const std::string& name = zone->name();
    return name == "UTC" || name == "Etc/UTC";
}

// Writes `t` + `offset` as "YYYY-MM-DD<sep>hh:mm:ss[.fff|.ffffff]" and returns the end; years
// outside 0000..9999 get a sign ("-0001", "+10000"). Writes at most 29 bytes.
char* put_civil(char* out, Timestamp t, seconds offset, char sep) {
    constexpr std::int64_t micros_per_day = 86400LL * 1000000;
    const std::int64_t count = t.time_since_epoch().count();
    std::int64_t days = count / micros_per_day;
    std::int64_t tod = count % micros_per_day;
    if (tod < 0) {
        tod += micros_per_day;
        --days;
    }
    tod += offset.count() * 1000000;
    days += tod / micros_per_day;
    tod %= micros_per_day;
    if (tod < 0) {
        tod += micros_per_day;
        --days;
    }
    // date's year has 16 bits: take the calendar within one 400-year cycle of the epoch.
    constexpr std::int64_t cycle_days = 146097;
    std::int64_t cycles = days / cycle_days;
    if (days % cycle_days < 0) --cycles;
    const date::year_month_day ymd{
        date::sys_days{date::days{static_cast<int>(days - cycles * cycle_days)}}};
    const std::int64_t year = static_cast<int>(ymd.year()) + 400 * cycles;

    auto put2 = [&out](std::int64_t v) {
        *out++ = static_cast<char>('0' + v / 10);
        *out++ = static_cast<char>('0' + v % 10);
    };
    if (year >= 0 && year <= 9999) {
        put2(year / 100);
        put2(year % 100);
    } else {
        *out++ = year < 0 ? '-' : '+';
        const std::int64_t magnitude = year < 0 ? -year : year;
        for (std::int64_t width = 1000; width > magnitude && width > 1; width /= 10)
            *out++ = '0';
        out = std::to_chars(out, out + 20, magnitude).ptr;
    }
    *out++ = '-';
    put2(static_cast<unsigned>(ymd.month()));
    *out++ = '-';
    put2(static_cast<unsigned>(ymd.day()));
    *out++ = sep;
    std::int64_t secs = tod / 1000000;
    std::int64_t us = tod % 1000000;
    put2(secs / 3600);
    *out++ = ':';
    put2(secs / 60 % 60);
    *out++ = ':';
    put2(secs % 60);
    if (us != 0) {
        *out++ = '.';
        int digits = 6;
        if (us % 1000 == 0) {
            us /= 1000;
            digits = 3;
        }
        for (int i = digits - 1; i >= 0; --i) {
            out[i] = static_cast<char>('0' + us % 10);
            us /= 10;
        }
        out += digits;
    }
    return out;
}

template <class Number> tl::unexpected<Error> out_of_range(Number value) {
    std::array<char, 64> digits{};
    auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    return fail("epoch value " + std::string(digits.data(), end) + " is outside years 0001..9999");
}

template <class Number> Result<Timestamp> checked(std::int64_t micros, Number value) {
    if (micros < min_micros || micros > max_micros) return out_of_range(value);
    return Timestamp{Micros{micros}};
}

} // namespace

Timestamp local_to_sys(Micros local, const date::time_zone* zone) {
    if (is_utc(zone)) return Timestamp{local};
    date::local_time<Micros> lt{local};
    auto info = zone->get_info(floor<seconds>(lt));
    return Timestamp{local - duration_cast<Micros>(info.first.offset)};
}

Result<const date::time_zone*> find_zone(std::string_view name) {
    // UTC needs no zone data; reading the tz database costs milliseconds at startup.
    if (name == "UTC" || name == "Etc/UTC") return nullptr;
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return fail("unknown time zone " + quoted(name));
    }
}

const date::time_zone* system_zone() {
    if (const char* tz = std::getenv("TZ"); tz != nullptr) {
        std::string_view name = tz;
        if (!name.empty() && name.front() == ':') name.remove_prefix(1);
        constexpr std::string_view zoneinfo = "/usr/share/zoneinfo/";
        if (name.starts_with(zoneinfo)) name.remove_prefix(zoneinfo.size());
        if (!name.empty())
            if (auto zone = find_zone(name)) return *zone;
    }
    try {
        if (const date::time_zone* zone = date::current_zone()) return zone;
    } catch (const std::exception&) {
    }
    try {
        return date::locate_zone("UTC");
    } catch (const std::exception&) {
        return nullptr;
    }
}

Result<ParsedTime> parse_iso8601(std::string_view text, const date::time_zone* zone) {
    const auto n = text.size();
    int y = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (i >= n || !is_digit(text[i])) return expected_at("a 4-digit year", 0, text);
        y = y * 10 + (text[i] - '0');
    }
    if (n <= 4 || text[4] != '-') return expected_at("'-' after the year", 4, text);
    int m = two_digits(text, 5);
    if (m < 0) return expected_at("a 2-digit month", 5, text);
    if (m < 1 || m > 12) return expected_at("a month 01..12", 5, text);
    if (n <= 7 || text[7] != '-') return expected_at("'-' after the month", 7, text);
    int d = two_digits(text, 8);
    if (d < 0) return expected_at("a 2-digit day", 8, text);
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                             date::day{static_cast<unsigned>(d)}};
    if (d < 1 || !ymd.ok()) return bad_day(y, m, 8, text);
    const Micros midnight = date::sys_days{ymd}.time_since_epoch();

    if (n == 10) {
        if (is_utc(zone)) return ParsedTime{Timestamp{midnight}, true};
        return ParsedTime{local_to_sys(midnight, zone), true};
    }
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
        return expected_at("'T' or ' ' after the date", 10, text);

    int hh = two_digits(text, 11);
    if (hh < 0) return expected_at("a 2-digit hour", 11, text);
    if (hh > 23) return expected_at("an hour 00..23", 11, text);
    if (n <= 13 || text[13] != ':') return expected_at("':' after the hour", 13, text);
    int mm = two_digits(text, 14);
    if (mm < 0) return expected_at("a 2-digit minute", 14, text);
    if (mm > 59) return expected_at("a minute 00..59", 14, text);
    std::size_t pos = 16;
    int ss = 0;
    std::int64_t fraction = 0;
    if (pos < n && text[pos] == ':') {
        ss = two_digits(text, 17);
        if (ss < 0) return expected_at("a 2-digit second", 17, text);
        if (ss > 60) return expected_at("a second 00..60", 17, text);
        pos = 19;
        if (pos < n && (text[pos] == '.' || text[pos] == ',')) {
            const std::size_t first = ++pos;
            if (pos >= n || !is_digit(text[pos]))
                return expected_at(
                    text[first - 1] == '.' ? "a digit after '.'" : "a digit after ','", pos, text);
            std::int64_t scale = 100000;
            while (pos < n && is_digit(text[pos])) {
                if (pos - first == 9) return expected_at("at most 9 fraction digits", pos, text);
                fraction += (text[pos] - '0') * scale;
                scale /= 10;
                ++pos;
            }
            skip_space_before_zone(text, pos);
            if (pos < n && !is_zone_start(text[pos]))
                return expected_at("'Z', '+' or '-' after the fraction", pos, text);
        } else if (skip_space_before_zone(text, pos), pos < n && !is_zone_start(text[pos])) {
            return expected_at("'.', 'Z', '+' or '-' after the second", pos, text);
        }
    } else if (skip_space_before_zone(text, pos), pos < n && !is_zone_start(text[pos])) {
        return expected_at("':', 'Z', '+' or '-' after the minute", pos, text);
    }

    const Micros local =
        midnight +
        Micros{(static_cast<std::int64_t>(hh) * 3600 + mm * 60 + ss) * 1000000 + fraction};
    if (pos == n) {
        if (is_utc(zone)) return ParsedTime{Timestamp{local}, true};
        return ParsedTime{local_to_sys(local, zone), true};
    }
    Micros offset{0};
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else {
        const bool negative = text[pos] == '-';
        ++pos;
        int oh = two_digits(text, pos);
        if (oh < 0) return expected_at("2-digit offset hours", pos, text);
        if (oh > 23) return expected_at("offset hours 00..23", pos, text);
        pos += 2;
        int om = 0;
        if (pos < n && (text[pos] == ':' || is_digit(text[pos]))) {
            if (text[pos] == ':') ++pos;
            om = two_digits(text, pos);
            if (om < 0) return expected_at("2-digit offset minutes", pos, text);
            if (om > 59) return expected_at("offset minutes 00..59", pos, text);
            pos += 2;
        }
        offset = Micros{(static_cast<std::int64_t>(oh) * 3600 + om * 60) * 1000000};
        if (negative) offset = -offset;
    }
    if (pos != n) return expected_at("end of text after the zone", pos, text);
    return ParsedTime{Timestamp{local - offset}, false};
}

Result<Timestamp> from_epoch(std::int64_t value) {
    constexpr std::int64_t e11 = 100000000000LL;
    constexpr std::int64_t e14 = 100000000000000LL;
    constexpr std::int64_t e17 = 100000000000000000LL;
    if (value > -e11 && value < e11) return checked(value * 1000000, value);
    if (value > -e14 && value < e14) return checked(value * 1000, value);
    if (value > -e17 && value < e17) return checked(value, value);
    std::int64_t micros = value / 1000;
    if (value % 1000 < 0) --micros;
    return checked(micros, value);
}

Result<Timestamp> from_epoch(double value) {
    if (!std::isfinite(value)) return fail("epoch value is not a finite number");
    const double magnitude = std::fabs(value);
    double micros = 0;
    if (magnitude < 1e11)
        micros = value * 1e6;
    else if (magnitude < 1e14)
        micros = value * 1e3;
    else if (magnitude < 1e17)
        micros = value;
    else
        micros = value / 1e3;
    if (std::fabs(micros) > 1e18) return out_of_range(value);
    return checked(std::llround(micros), value);
}

std::string format_utc(Timestamp t) {
    std::array<char, 48> buffer{};
    char* out = put_civil(buffer.data(), t, seconds{0}, 'T');
    *out++ = 'Z';
    return std::string(buffer.data(), out);
}

std::string format_in_zone(Timestamp t, const date::time_zone* zone) {
    seconds offset{0};
    if (!is_utc(zone)) offset = zone->get_info(floor<seconds>(t)).offset;
    std::array<char, 64> buffer{};
    char* out = put_civil(buffer.data(), t, offset, ' ');
    *out++ = ' ';
    *out++ = offset < seconds{0} ? '-' : '+';
    const std::int64_t s = offset.count() < 0 ? -offset.count() : offset.count();
    auto put2 = [&out](std::int64_t v) {
        *out++ = static_cast<char>('0' + v / 10);
        *out++ = static_cast<char>('0' + v % 10);
    };
    put2(s / 3600 % 100);
    *out++ = ':';
    put2(s / 60 % 60);
    if (s % 60 != 0) {
        *out++ = ':';
        put2(s % 60);
    }
    return std::string(buffer.data(), out);
}

namespace {

bool epoch_digits(std::string_view text) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
    if (text.empty()) return false;
    bool dot = false;
    for (char c : text) {
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9') return false;
    }
    return true;
}

} // namespace

Result<ParsedTime> parse_time_text(std::string_view text, const date::time_zone* zone) {
    if (!epoch_digits(text)) return parse_iso8601(text, zone);
    // Whole numbers stay integers (nanoseconds need all 19 digits); others are fractional
    // seconds.
    const char* first = text.data() + (text[0] == '+' ? 1 : 0);
    const char* last = text.data() + text.size();
    std::int64_t whole = 0;
    auto [end, ec] = std::from_chars(first, last, whole);
    Result<Timestamp> t = fail("out of range");
    if (ec == std::errc() && end == last) {
        t = from_epoch(whole);
    } else {
        double number = 0;
        auto [dend, dec] = std::from_chars(first, last, number);
        if (dec == std::errc() && dend == last) t = from_epoch(number);
    }
    if (!t) return fail("\"" + std::string(text.substr(0, 60)) + "\"");
    return ParsedTime{*t, false};
}

} // namespace asof
