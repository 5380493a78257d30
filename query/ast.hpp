// The parsed form of a query: its targets, time phrase, filters, shape and mode, with the span
// of query text each part came from (for error carets and the canonical form).
#pragma once

#include "eventlog/time.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asof::query {

// A byte range [begin, end) of the query text. Columns shown to users are begin + 1.
struct Span {
    std::size_t begin = 0, end = 0;
};

// A failure to lex, parse or resolve a query, pointing at the text responsible.
struct QueryError {
    std::string message; // "expected a time after \"since\"", ...
    Span span;
};

template <class T> using QueryResult = tl::expected<T, QueryError>;

inline tl::unexpected<QueryError> query_fail(std::string message, Span span) {
    return tl::unexpected(QueryError{std::move(message), span});
}

enum class Unit { minute, hour, day, week, month, year };

// How finely a time of day was written: "2pm" (hour), "14:30" (minute), "14:30:15" (second),
// "14:30:15.25" (fraction).
enum class Precision { hour, minute, second, fraction };

struct TimeOfDay {
    int hour = 0, minute = 0, second = 0, micros = 0;
    Precision precision = Precision::minute;
};

// One time phrase before it is resolved against the clock and zone.
struct TimePoint {
    enum class Kind {
        now,       // "now"
        today,     // "today"
        yesterday, // "yesterday"
        tomorrow,  // "tomorrow"
        weekday,   // "tuesday": `weekday` 0 = Monday .. 6 = Sunday
        date,      // "2026-04-14", "april 14", "14 april 2026": year (if has_year), month, day
        month,     // "april", "april 2026", "2026-04": month, year if has_year
        year,      // "2026"
        this_unit, // "this week|month|year": `unit`
        last_unit, // "last week|month|year": the previous calendar unit
        ago,       // "3 days ago": `count` `unit`s before now (calendar units in the zone)
        instant,   // ISO 8601 date-time with an offset or Z: `instant` is the exact time
        time_only, // a time of day alone ("2pm", "14:30"): today at that time
    };
    Kind kind = Kind::now;
    int weekday = 0, year = 0, month = 0, day = 0;
    bool has_year = false;
    Unit unit = Unit::day;
    int count = 0;
    Timestamp instant{};
    // A time of day on the day named ("2pm yesterday", "tuesday 14:00", "2026-04-14T10:00");
    // for time_only it is the time itself.
    std::optional<TimeOfDay> time;
    Span span;
};

// The time clause of a query.
struct TimeRange {
    enum class Kind {
        point,   // "on A" or "A" alone: the span A covers
        between, // "between A and B", "from A to B", "A to B", "A..B"
        since,   // "since A": from the start of A to now
        until,   // "until A": up to the end of A
        before,  // "before A": up to the start of A
        after,   // "after A": from the end of A on
        last_n,  // "last N minutes|hours|days|weeks|months": `count` `unit`s up to now
    };
    Kind kind = Kind::point;
    TimePoint a, b;
    int count = 0;
    Unit unit = Unit::day;
    Span span;
};

// A payload or metadata path: data.amount.value, meta.schema, data.items[0].sku.
struct FieldPath {
    enum class Root { data, meta };
    Root root = Root::data;
    // Each step is an object key or, when `index` is set, an array index.
    struct Step {
        std::string key;
        std::optional<std::int64_t> index;
    };
    std::vector<Step> steps;
    Span span;
};

struct Literal {
    enum class Kind { string, number, boolean, null };
    Kind kind = Kind::string;
    std::string text;  // the string, or the number as written
    double number = 0; // for numbers
    bool boolean = false;
    Span span;
};

enum class CompareOp { eq, ne, lt, le, gt, ge, contains };

struct Filter {
    enum class Kind {
        type_is,     // type:NAME
        actor_is,    // actor:NAME
        compare,     // path op literal
        in_list,     // path in (literal, ...)
        exists,      // path exists
        text_search, // "quoted text": full-text search of payload text
        all_of,      // children joined by and
        any_of,      // children joined by or
        negate,      // not child (one child)
    };
    Kind kind = Kind::all_of;
    std::string name; // type or actor name, or the searched text
    FieldPath path;
    CompareOp op = CompareOp::eq;
    std::vector<Literal> values;
    std::vector<Filter> children;
    Span span;
};

// Which streams a query is about. `discrepancy #4721` and `discrepancy 4721` are kind_key;
// `stream:NAME` and a bare stream name are exact names.
struct Target {
    enum class Kind { kind_key, name };
    Kind kind = Kind::name;
    std::string stream_kind, key, name;
    Span span;
};

enum class CountBy { type, actor, stream, day, hour, week };

struct Query {
    // list: the matching events; as_of: the state of the target at `as_of` (replay);
    // changes: the changes to the target within `time` (replay).
    enum class Mode { list, as_of, changes };
    Mode mode = Mode::list;
    std::vector<Target> targets; // any of them; empty: every stream
    std::optional<TimeRange> time;
    std::optional<TimePoint> as_of;
    std::optional<Filter> filter; // the conjunction of every filter clause
    std::optional<CountBy> count_by;
    bool newest_first = false;
    std::optional<std::int64_t> limit;
};

} // namespace asof::query
