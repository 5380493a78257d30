// Word classification for the query language (see words.hpp).
#include "query/words.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <date/date.h>
#include <span>

namespace asof::query {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text)
        if (!is_digit(c)) return false;
    return true;
}

int digits_value(std::string_view text) {
    int value = 0;
    for (char c : text)
        value = value * 10 + (c - '0');
    return value;
}

struct Name {
    const char* word;
    int value;
};

std::optional<int> lookup(std::string_view word, std::span<const Name> names) {
    std::string lowered = lower_ascii(word);
    for (const auto& name : names)
        if (lowered == name.word) return name.value;
    return std::nullopt;
}

constexpr std::array<Name, 20> weekday_names = {
    {{"monday", 0},    {"mon", 0},    {"tuesday", 1},  {"tue", 1},      {"tues", 1},
     {"wednesday", 2}, {"wed", 2},    {"thursday", 3}, {"thu", 3},      {"thur", 3},
     {"thurs", 3},     {"friday", 4}, {"fri", 4},      {"saturday", 5}, {"sat", 5},
     {"sunday", 6},    {"sun", 6},    {"tu", 1},       {"we", 2},       {"th", 3}}};

constexpr std::array<Name, 24> month_names = {
    {{"january", 1},   {"jan", 1},   {"february", 2},  {"feb", 2},      {"march", 3},
     {"mar", 3},       {"april", 4}, {"apr", 4},       {"may", 5},      {"june", 6},
     {"jun", 6},       {"july", 7},  {"jul", 7},       {"august", 8},   {"aug", 8},
     {"september", 9}, {"sep", 9},   {"sept", 9},      {"october", 10}, {"oct", 10},
     {"november", 11}, {"nov", 11},  {"december", 12}, {"dec", 12}}};

constexpr std::array<Name, 20> unit_names = {
    {{"minute", 0}, {"minutes", 0}, {"min", 0},   {"mins", 0}, {"hour", 1},
     {"hours", 1},  {"hr", 1},      {"hrs", 1},   {"day", 2},  {"days", 2},
     {"week", 3},   {"weeks", 3},   {"wk", 3},    {"wks", 3},  {"month", 4},
     {"months", 4}, {"year", 5},    {"years", 5}, {"yr", 5},   {"yrs", 5}}};

constexpr std::array<const char*, 37> keywords = {
    "and",    "or",        "not",      "where",  "between", "from",    "to",   "on",
    "since",  "until",     "till",     "before", "after",   "last",    "past", "this",
    "today",  "yesterday", "tomorrow", "now",    "ago",     "count",   "by",   "newest",
    "oldest", "first",     "limit",    "as",     "of",      "changes", "in",   "exists",
    "at",     "through",   "thru",     "am",     "pm"};

// Reads "hh:mm[:ss[.fraction]]" or "h[am|pm]" forms at the start of `text`; returns how many
// characters were used, 0 when it is not a time.
struct ClockParts {
    int hour = 0, minute = 0, second = 0, micros = 0;
    Precision precision = Precision::hour;
    std::size_t used = 0;
};

ClockParts read_clock(std::string_view text) {
    ClockParts parts;
    std::size_t pos = 0;
    while (pos < text.size() && pos < 2 && is_digit(text[pos]))
        ++pos;
    if (pos == 0) return {};
    parts.hour = digits_value(text.substr(0, pos));
    parts.precision = Precision::hour;
    if (pos + 2 < text.size() && text[pos] == ':' && all_digits(text.substr(pos + 1, 2))) {
        parts.minute = digits_value(text.substr(pos + 1, 2));
        parts.precision = Precision::minute;
        pos += 3;
        if (pos + 2 < text.size() && text[pos] == ':' && all_digits(text.substr(pos + 1, 2))) {
            parts.second = digits_value(text.substr(pos + 1, 2));
            parts.precision = Precision::second;
            pos += 3;
            if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
                std::size_t digits = pos + 1;
                while (digits < text.size() && is_digit(text[digits]))
                    ++digits;
                std::size_t count = digits - pos - 1;
                if (count > 0) {
                    std::string_view fraction =
                        text.substr(pos + 1, std::min<std::size_t>(count, 6));
                    int value = digits_value(fraction);
                    for (std::size_t i = fraction.size(); i < 6; ++i)
                        value *= 10;
                    parts.micros = value;
                    parts.precision = Precision::fraction;
                    pos = digits;
                }
            }
        }
    }
    parts.used = pos;
    return parts;
}

} // namespace

std::string lower_ascii(std::string_view word) {
    std::string out(word);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_keyword(std::string_view word) {
    std::string lowered = lower_ascii(word);
    for (const char* keyword : keywords)
        if (lowered == keyword) return true;
    return weekday_number(word) || month_number(word);
}

std::optional<int> weekday_number(std::string_view word) {
    return lookup(word, weekday_names);
}

std::optional<int> month_number(std::string_view word) {
    return lookup(word, month_names);
}

std::optional<Unit> unit_word(std::string_view word) {
    auto value = lookup(word, unit_names);
    if (!value) return std::nullopt;
    return static_cast<Unit>(*value);
}

std::optional<std::int64_t> integer_word(std::string_view word) {
    if (!all_digits(word)) return std::nullopt;
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
    return value;
}

std::optional<double> number_word(std::string_view word) {
    // JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
    std::size_t pos = 0;
    if (pos < word.size() && word[pos] == '-') ++pos;
    std::size_t int_start = pos;
    while (pos < word.size() && is_digit(word[pos]))
        ++pos;
    if (pos == int_start) return std::nullopt;
    if (pos < word.size() && word[pos] == '.') {
        std::size_t frac = ++pos;
        while (pos < word.size() && is_digit(word[pos]))
            ++pos;
        if (pos == frac) return std::nullopt;
    }
    if (pos < word.size() && (word[pos] == 'e' || word[pos] == 'E')) {
        ++pos;
        if (pos < word.size() && (word[pos] == '+' || word[pos] == '-')) ++pos;
        std::size_t exp = pos;
        while (pos < word.size() && is_digit(word[pos]))
            ++pos;
        if (pos == exp) return std::nullopt;
    }
    if (pos != word.size()) return std::nullopt;
    double value = 0;
    auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

QueryResult<std::optional<TimeOfDay>> time_of_day(std::string_view word, Span span,
                                                  std::string_view meridiem) {
    ClockParts parts = read_clock(word);
    if (parts.used == 0) return std::optional<TimeOfDay>{};
    std::string suffix = lower_ascii(meridiem.empty() ? word.substr(parts.used) : meridiem);
    if (!meridiem.empty() && parts.used != word.size()) return std::optional<TimeOfDay>{};
    bool has_meridiem = suffix == "am" || suffix == "pm";
    if (!has_meridiem && !suffix.empty()) return std::optional<TimeOfDay>{};
    // A bare number ("14") is not a time of day; "14:00" and "2pm" are.
    if (!has_meridiem && parts.precision == Precision::hour) return std::optional<TimeOfDay>{};
    std::string text(word);
    if (has_meridiem) {
        if (parts.hour < 1 || parts.hour > 12)
            return query_fail("\"" + text + (meridiem.empty() ? "" : " " + std::string(meridiem)) +
                                  "\" is not a time: with am/pm the hour is 1 to 12",
                              span);
        parts.hour = parts.hour % 12 + (suffix == "pm" ? 12 : 0);
    }
    if (parts.hour > 23 || parts.minute > 59 || parts.second > 59)
        return query_fail("\"" + text + "\" is not a time of day (00:00 to 23:59:59)", span);
    return std::optional<TimeOfDay>{
        TimeOfDay{parts.hour, parts.minute, parts.second, parts.micros, parts.precision}};
}

QueryResult<std::optional<TimePoint>> iso_word(std::string_view word, Span span) {
    if (word.size() < 7 || !all_digits(word.substr(0, 4)) || word[4] != '-' ||
        !all_digits(word.substr(5, 2)))
        return std::optional<TimePoint>{};
    std::string text(word);
    TimePoint point;
    point.span = span;
    point.has_year = true;
    point.year = digits_value(word.substr(0, 4));
    point.month = digits_value(word.substr(5, 2));
    if (point.month < 1 || point.month > 12)
        return query_fail("\"" + text + "\" is not a date: the month is 01 to 12", span);
    if (word.size() == 7) {
        point.kind = TimePoint::Kind::month;
        return std::optional<TimePoint>{point};
    }
    if (word.size() < 10 || word[7] != '-' || !all_digits(word.substr(8, 2)))
        return query_fail("\"" + text + "\" is not a date: expected YYYY-MM-DD", span);
    point.day = digits_value(word.substr(8, 2));
    point.kind = TimePoint::Kind::date;
    date::year_month_day ymd{date::year{point.year},
                             date::month{static_cast<unsigned>(point.month)},
                             date::day{static_cast<unsigned>(point.day)}};
    if (!ymd.ok()) return query_fail("\"" + text + "\" is not a date", span);
    if (word.size() == 10) return std::optional<TimePoint>{point};
    if (word[10] != 'T' && word[10] != 't')
        return query_fail("\"" + text + "\" is not a date: expected \"T\" and a time after " +
                              text.substr(0, 10),
                          span);
    std::string_view rest = word.substr(11);
    ClockParts parts = read_clock(rest);
    if (parts.used == 0 || parts.precision == Precision::hour)
        return query_fail("\"" + text + "\" is not a date and time: expected hh:mm after \"T\"",
                          span);
    if (parts.hour > 23 || parts.minute > 59 || parts.second > 59)
        return query_fail("\"" + text + "\" is not a time of day (00:00 to 23:59:59)", span);
    point.time = TimeOfDay{parts.hour, parts.minute, parts.second, parts.micros, parts.precision};
    if (parts.used == rest.size()) return std::optional<TimePoint>{point};
    // An offset or Z: an exact instant.
    auto parsed = parse_iso8601(word);
    if (!parsed)
        return query_fail("\"" + text + "\" is not a date and time: " + parsed.error().message,
                          span);
    point.kind = TimePoint::Kind::instant;
    point.instant = parsed->at;
    return std::optional<TimePoint>{point};
}

} // namespace asof::query
