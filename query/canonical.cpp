// Writes queries back as canonical text (see canonical.hpp).
#include "query/canonical.hpp"

#include <array>
#include <cstdio>

namespace asof::query {
namespace {

constexpr std::array<const char*, 7> weekday_names = {"monday", "tuesday",  "wednesday", "thursday",
                                                      "friday", "saturday", "sunday"};
constexpr std::array<const char*, 12> month_names = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

const char* unit_name(Unit unit, bool plural) {
    switch (unit) {
    case Unit::minute:
        return plural ? "minutes" : "minute";
    case Unit::hour:
        return plural ? "hours" : "hour";
    case Unit::day:
        return plural ? "days" : "day";
    case Unit::week:
        return plural ? "weeks" : "week";
    case Unit::month:
        return plural ? "months" : "month";
    case Unit::year:
        return plural ? "years" : "year";
    }
    return "day";
}

std::string padded(int value, int width) {
    std::string text = std::to_string(value);
    while (static_cast<int>(text.size()) < width)
        text.insert(text.begin(), '0');
    return text;
}

// "2pm" for hour precision (so it re-parses as an hour), else "14:30", "14:30:15",
// "14:30:15.250000".
std::string time_text(const TimeOfDay& time) {
    if (time.precision == Precision::hour) {
        int hour12 = time.hour % 12 == 0 ? 12 : time.hour % 12;
        return std::to_string(hour12) + (time.hour < 12 ? "am" : "pm");
    }
    std::string text = padded(time.hour, 2) + ":" + padded(time.minute, 2);
    if (time.precision == Precision::minute) return text;
    text += ":" + padded(time.second, 2);
    if (time.precision == Precision::fraction) text += "." + padded(time.micros, 6);
    return text;
}

// A word is written bare when it would lex back as the same single word.
bool needs_quotes(std::string_view text) {
    if (text.empty()) return true;
    for (char c : text)
        if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '(' || c == ')' || c == ',' ||
            c == '#' || c == '=' || c == '!' || c == '<' || c == '>' || c == '~' ||
            static_cast<unsigned char>(c) < 0x20)
            return true;
    return text.find("..") != std::string_view::npos;
}

std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::string word_or_quoted(std::string_view text) {
    return needs_quotes(text) ? quoted(text) : std::string(text);
}

std::string path_text(const FieldPath& path) {
    std::string text = path.root == FieldPath::Root::data ? "data" : "meta";
    for (const auto& step : path.steps)
        text += step.index ? "[" + std::to_string(*step.index) + "]" : "." + step.key;
    return text;
}

std::string literal_text(const Literal& value) {
    switch (value.kind) {
    case Literal::Kind::string:
        return quoted(value.text);
    case Literal::Kind::number:
        return value.text;
    case Literal::Kind::boolean:
        return value.boolean ? "true" : "false";
    case Literal::Kind::null:
        return "null";
    }
    return "null";
}

const char* op_text(CompareOp op) {
    switch (op) {
    case CompareOp::eq:
        return "=";
    case CompareOp::ne:
        return "!=";
    case CompareOp::lt:
        return "<";
    case CompareOp::le:
        return "<=";
    case CompareOp::gt:
        return ">";
    case CompareOp::ge:
        return ">=";
    case CompareOp::contains:
        return "~";
    }
    return "=";
}

// A filter inside another: compound ones get parentheses.
std::string nested_filter(const Filter& filter) {
    bool compound = filter.kind == Filter::Kind::all_of || filter.kind == Filter::Kind::any_of;
    return compound ? "(" + canonical_filter(filter) + ")" : canonical_filter(filter);
}

} // namespace

std::string canonical_target(const Target& target) {
    if (target.kind == Target::Kind::kind_key) return target.stream_kind + " #" + target.key;
    return "stream:" + word_or_quoted(target.name);
}

std::string canonical_point(const TimePoint& point) {
    std::string day;
    switch (point.kind) {
    case TimePoint::Kind::now:
        return "now";
    case TimePoint::Kind::today:
        day = "today";
        break;
    case TimePoint::Kind::yesterday:
        day = "yesterday";
        break;
    case TimePoint::Kind::tomorrow:
        day = "tomorrow";
        break;
    case TimePoint::Kind::weekday:
        day = weekday_names[static_cast<std::size_t>(point.weekday % 7)];
        break;
    case TimePoint::Kind::date:
        day = point.has_year ? padded(point.year, 4) + "-" + padded(point.month, 2) + "-" +
                                   padded(point.day, 2)
                             : std::string(month_names[static_cast<std::size_t>(point.month - 1)]) +
                                   " " + std::to_string(point.day);
        break;
    case TimePoint::Kind::month:
        day = point.has_year ? padded(point.year, 4) + "-" + padded(point.month, 2)
                             : month_names[static_cast<std::size_t>(point.month - 1)];
        break;
    case TimePoint::Kind::year:
        return padded(point.year, 4);
    case TimePoint::Kind::this_unit:
        return std::string("this ") + unit_name(point.unit, false);
    case TimePoint::Kind::last_unit:
        return std::string("last ") + unit_name(point.unit, false);
    case TimePoint::Kind::ago:
        return std::to_string(point.count) + " " + unit_name(point.unit, point.count != 1) + " ago";
    case TimePoint::Kind::instant:
        return format_utc(point.instant);
    case TimePoint::Kind::time_only:
        return point.time ? time_text(*point.time) : "now";
    }
    if (point.time) day += " " + time_text(*point.time);
    return day;
}

std::string canonical_range(const TimeRange& range) {
    switch (range.kind) {
    case TimeRange::Kind::point:
        switch (range.a.kind) {
        case TimePoint::Kind::weekday:
        case TimePoint::Kind::date:
        case TimePoint::Kind::instant:
        case TimePoint::Kind::time_only:
            return "on " + canonical_point(range.a);
        case TimePoint::Kind::month:
        case TimePoint::Kind::year:
            return "in " + canonical_point(range.a);
        default:
            return canonical_point(range.a); // today, last week, 3 days ago, ...
        }
    case TimeRange::Kind::between:
        return "between " + canonical_point(range.a) + " and " + canonical_point(range.b);
    case TimeRange::Kind::since:
        return "since " + canonical_point(range.a);
    case TimeRange::Kind::until:
        return "until " + canonical_point(range.a);
    case TimeRange::Kind::before:
        return "before " + canonical_point(range.a);
    case TimeRange::Kind::after:
        return "after " + canonical_point(range.a);
    case TimeRange::Kind::last_n:
        return "last " + std::to_string(range.count) + " " + unit_name(range.unit, true);
    }
    return {};
}

std::string canonical_filter(const Filter& filter) {
    switch (filter.kind) {
    case Filter::Kind::type_is:
        return "type:" + word_or_quoted(filter.name);
    case Filter::Kind::actor_is:
        return "actor:" + word_or_quoted(filter.name);
    case Filter::Kind::text_search:
        return quoted(filter.name);
    case Filter::Kind::exists:
        return path_text(filter.path) + " exists";
    case Filter::Kind::compare:
        return path_text(filter.path) + " " + op_text(filter.op) + " " +
               literal_text(filter.values.front());
    case Filter::Kind::in_list: {
        std::string text = path_text(filter.path) + " in (";
        for (std::size_t i = 0; i < filter.values.size(); ++i)
            text += (i ? ", " : "") + literal_text(filter.values[i]);
        return text + ")";
    }
    case Filter::Kind::negate:
        return "not " + nested_filter(filter.children.front());
    case Filter::Kind::all_of:
    case Filter::Kind::any_of: {
        std::string text;
        const char* joiner = filter.kind == Filter::Kind::all_of ? " and " : " or ";
        for (std::size_t i = 0; i < filter.children.size(); ++i)
            text += (i ? joiner : "") + nested_filter(filter.children[i]);
        return text;
    }
    }
    return {};
}

std::string count_by_name(CountBy key) {
    switch (key) {
    case CountBy::type:
        return "type";
    case CountBy::actor:
        return "actor";
    case CountBy::stream:
        return "stream";
    case CountBy::day:
        return "day";
    case CountBy::hour:
        return "hour";
    case CountBy::week:
        return "week";
    }
    return "type";
}

std::string canonical_text(const Query& query) {
    std::string text;
    auto add = [&](const std::string& part) {
        if (part.empty()) return;
        if (!text.empty()) text += ' ';
        text += part;
    };
    std::string targets;
    for (std::size_t i = 0; i < query.targets.size(); ++i)
        targets += (i ? " or " : "") + canonical_target(query.targets[i]);
    add(targets);
    if (query.mode == Query::Mode::as_of && query.as_of)
        add("as of " + canonical_point(*query.as_of));
    if (query.mode == Query::Mode::changes) add("changes");
    if (query.time) add(canonical_range(*query.time));
    if (query.filter) add("where " + canonical_filter(*query.filter));
    if (query.count_by) add("count by " + count_by_name(*query.count_by));
    if (query.newest_first) add("newest first");
    if (query.limit) add("limit " + std::to_string(*query.limit));
    return text;
}

} // namespace asof::query
