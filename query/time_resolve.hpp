// Resolves time phrases against a pinned clock and a zone into half-open UTC intervals.
// The rules (README "Time phrases"): a date covers its whole day in the zone; weeks start on
// Monday; a weekday is the most recent such day on or before today; the end of a range that is
// a calendar span includes all of it; daylight-saving days are 23 or 25 hours long.
#pragma once

#include "query/ast.hpp"

namespace date {
class time_zone;
}

namespace asof::query {

// The instant "now" (pinned once per query) and the zone dates and times of day are read in.
struct Clock {
    Timestamp now{};
    const date::time_zone* zone = nullptr; // never null once built; UTC by default
};

// A half-open interval [from, to); a missing side is unbounded.
struct Interval {
    std::optional<Timestamp> from, to;
};

// What a single time phrase covers: [start, end). `calendar` is true for a day or a coarser
// calendar unit (a date, weekday, month, week, year), false for an instant or time of day.
struct PointSpan {
    Timestamp start{}, end{};
    bool calendar = false;
};

// Resolves one phrase. For a weekday, or a date or month without a year, `on_or_after` selects
// the first such day/month on or after the local date of that instant (the end of a range)
// instead of the most recent one on or before today. Spans of an instant or time of day last one
// unit of their precision ("2pm" is an hour long, "14:30" a minute, an ISO time with seconds a
// second, "now" a microsecond). Fails, pointing at the phrase, on a date that does not exist, a
// time of day on something other than a day, "this/last minute|hour", or a result outside years
// 0001..9999.
QueryResult<PointSpan> resolve_point(const TimePoint& point, const Clock& clock,
                                     std::optional<Timestamp> on_or_after = std::nullopt);

// Resolves a time clause to an interval. The end of a range is the end of its last phrase when
// that is a calendar span and its start otherwise ("between 2pm and 4pm" ends at 16:00); "last N
// days|weeks|months|years" goes back N calendar units at the same wall time (clamping the day of
// the month), minutes and hours are exact. A range that ends before it starts, "since" a time
// after now and a count below 1 are errors; the first names both ends as resolved.
QueryResult<Interval> resolve_range(const TimeRange& range, const Clock& clock);

} // namespace asof::query
