// Tests for query/time_resolve: time phrases resolved against a pinned clock and zone, including
// daylight-saving days, other zones, leap days, range boundaries, errors and year limits.
#include "query/time_resolve.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>
#include <date/tz.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

using namespace asof;
using namespace asof::query;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

using PK = TimePoint::Kind;
using RK = TimeRange::Kind;

// Spans the tests give phrases, so that errors can be checked to point at the right one.
constexpr Span span_a{6, 13};
constexpr Span span_b{18, 26};
constexpr Span span_range{0, 26};

const date::time_zone* zone(std::string_view name) {
    auto found = find_zone(name);
    REQUIRE(found.has_value());
    return *found;
}

Timestamp at(std::string_view text) {
    auto parsed = parse_iso8601(text);
    INFO(text);
    REQUIRE(parsed.has_value());
    return parsed->at;
}

Clock clock_at(std::string_view now, std::string_view zone_name) {
    return Clock{at(now), zone(zone_name)};
}

// The clock of the required examples: Friday 2026-04-17 10:00 in Berlin.
Clock berlin() {
    return clock_at("2026-04-17T10:00:00+02:00", "Europe/Berlin");
}

TimePoint pt(PK kind) {
    TimePoint p;
    p.kind = kind;
    p.span = span_a;
    return p;
}

TimePoint weekday(int w) {
    TimePoint p = pt(PK::weekday);
    p.weekday = w;
    return p;
}

TimePoint on_date(int y, int m, int d) {
    TimePoint p = pt(PK::date);
    p.year = y;
    p.month = m;
    p.day = d;
    p.has_year = true;
    return p;
}

TimePoint yearless(int m, int d) {
    TimePoint p = pt(PK::date);
    p.month = m;
    p.day = d;
    return p;
}

TimePoint month(int m, int y = 0) {
    TimePoint p = pt(PK::month);
    p.month = m;
    p.year = y;
    p.has_year = y != 0;
    return p;
}

TimePoint year(int y) {
    TimePoint p = pt(PK::year);
    p.year = y;
    p.has_year = true;
    return p;
}

TimePoint unit_point(PK kind, Unit unit, int count = 0) {
    TimePoint p = pt(kind);
    p.unit = unit;
    p.count = count;
    return p;
}

TimePoint ago(int count, Unit unit) {
    return unit_point(PK::ago, unit, count);
}

TimePoint instant(std::string_view text, std::optional<Precision> precision = std::nullopt) {
    TimePoint p = pt(PK::instant);
    p.instant = at(text);
    if (precision) p.time = TimeOfDay{0, 0, 0, 0, *precision};
    return p;
}

TimePoint with_time(TimePoint p, int h, int m, Precision precision = Precision::minute, int s = 0,
                    int us = 0) {
    p.time = TimeOfDay{h, m, s, us, precision};
    return p;
}

TimePoint time_only(int h, int m, Precision precision = Precision::minute) {
    return with_time(pt(PK::time_only), h, m, precision);
}

TimeRange range(RK kind, TimePoint a, TimePoint b = {}) {
    TimeRange r;
    r.kind = kind;
    r.a = std::move(a);
    r.b = std::move(b);
    r.b.span = span_b;
    r.span = span_range;
    return r;
}

TimeRange last_n(int count, Unit unit) {
    TimeRange r;
    r.kind = RK::last_n;
    r.count = count;
    r.unit = unit;
    r.span = span_range;
    return r;
}

std::string bound(const std::optional<Timestamp>& t) {
    return t ? format_utc(*t) : std::string("unbounded");
}

// "from .. to" of a resolved range, in UTC.
std::string resolved(const TimeRange& r, const Clock& clock) {
    auto interval = resolve_range(r, clock);
    INFO((interval ? std::string() : interval.error().message));
    REQUIRE(interval.has_value());
    return bound(interval->from) + " .. " + bound(interval->to);
}

// "start .. end" of a resolved phrase, in UTC, marked " (calendar)" for a calendar span.
std::string resolved(const TimePoint& p, const Clock& clock,
                     std::optional<Timestamp> on_or_after = std::nullopt) {
    auto span = resolve_point(p, clock, on_or_after);
    INFO((span ? std::string() : span.error().message));
    REQUIRE(span.has_value());
    return format_utc(span->start) + " .. " + format_utc(span->end) +
           (span->calendar ? " (calendar)" : "");
}

QueryError range_error(const TimeRange& r, const Clock& clock) {
    auto interval = resolve_range(r, clock);
    REQUIRE_FALSE(interval.has_value());
    return interval.error();
}

QueryError point_error(const TimePoint& p, const Clock& clock,
                       std::optional<Timestamp> on_or_after = std::nullopt) {
    auto span = resolve_point(p, clock, on_or_after);
    REQUIRE_FALSE(span.has_value());
    return span.error();
}

// How long the phrase lasts.
std::chrono::microseconds length(const TimePoint& p, const Clock& clock) {
    auto span = resolve_point(p, clock);
    REQUIRE(span.has_value());
    return span->end - span->start;
}

bool same_span(Span x, Span y) {
    return x.begin == y.begin && x.end == y.end;
}

} // namespace

TEST_CASE("the required examples resolve in Berlin", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(resolved(range(RK::between, weekday(1), weekday(3)), c) ==
          "2026-04-13T22:00:00Z .. 2026-04-16T22:00:00Z");
    CHECK(resolved(range(RK::between, on_date(2026, 4, 14), on_date(2026, 4, 16)), c) ==
          "2026-04-13T22:00:00Z .. 2026-04-16T22:00:00Z");
    CHECK(resolved(range(RK::point, pt(PK::yesterday)), c) ==
          "2026-04-15T22:00:00Z .. 2026-04-16T22:00:00Z");
    CHECK(resolved(last_n(7, Unit::day), c) == "2026-04-10T08:00:00Z .. 2026-04-17T08:00:00Z");
    CHECK(resolved(range(RK::since, weekday(0)), c) ==
          "2026-04-12T22:00:00Z .. 2026-04-17T08:00:00Z");
    CHECK(resolved(range(RK::point, unit_point(PK::last_unit, Unit::week)), c) ==
          "2026-04-05T22:00:00Z .. 2026-04-12T22:00:00Z");
    CHECK(resolved(range(RK::point, on_date(2026, 3, 29)), c) ==
          "2026-03-28T23:00:00Z .. 2026-03-29T22:00:00Z");
    CHECK(resolved(range(RK::between, with_time(pt(PK::yesterday), 14, 0, Precision::hour),
                         with_time(pt(PK::today), 9, 30)),
                   c) == "2026-04-16T12:00:00Z .. 2026-04-17T07:30:00Z");
    CHECK(resolved(range(RK::point, unit_point(PK::this_unit, Unit::week)), c) ==
          "2026-04-12T22:00:00Z .. 2026-04-19T22:00:00Z");
}

TEST_CASE("daylight-saving days are 23 or 25 hours long", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(length(on_date(2026, 3, 29), c) == hours{23});
    CHECK(length(on_date(2026, 10, 25), c) == hours{25});
    CHECK(resolved(on_date(2026, 10, 25), c) ==
          "2026-10-24T22:00:00Z .. 2026-10-25T23:00:00Z (calendar)");
    CHECK(length(on_date(2026, 10, 24), c) == hours{24});
    // March 2026 in Berlin loses an hour, October gains one.
    CHECK(length(month(3, 2026), c) == hours{31 * 24 - 1});
    CHECK(length(month(10, 2026), c) == hours{31 * 24 + 1});
    CHECK(length(year(2026), c) == hours{365 * 24});

    const Clock ny = clock_at("2026-04-17T10:00:00-04:00", "America/New_York");
    CHECK(length(on_date(2026, 3, 8), ny) == hours{23});
    CHECK(length(on_date(2026, 11, 1), ny) == hours{25});
    CHECK(resolved(on_date(2026, 11, 1), ny) ==
          "2026-11-01T04:00:00Z .. 2026-11-02T05:00:00Z (calendar)");
}

TEST_CASE("today, yesterday, tomorrow and now", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(resolved(pt(PK::today), c) == "2026-04-16T22:00:00Z .. 2026-04-17T22:00:00Z (calendar)");
    CHECK(resolved(pt(PK::yesterday), c) ==
          "2026-04-15T22:00:00Z .. 2026-04-16T22:00:00Z (calendar)");
    CHECK(resolved(pt(PK::tomorrow), c) ==
          "2026-04-17T22:00:00Z .. 2026-04-18T22:00:00Z (calendar)");
    CHECK(resolved(pt(PK::now), c) == "2026-04-17T08:00:00Z .. 2026-04-17T08:00:00.000001Z");

    // Just before and at local midnight the day changes with the wall clock, not with UTC.
    const Clock late = clock_at("2026-04-17T23:59:59.999999+02:00", "Europe/Berlin");
    CHECK(resolved(pt(PK::today), late) ==
          "2026-04-16T22:00:00Z .. 2026-04-17T22:00:00Z (calendar)");
    const Clock midnight = clock_at("2026-04-18T00:00:00+02:00", "Europe/Berlin");
    CHECK(resolved(pt(PK::today), midnight) ==
          "2026-04-17T22:00:00Z .. 2026-04-18T22:00:00Z (calendar)");
}

TEST_CASE("a weekday is the most recent such day, today included", "[time-phrase]") {
    const Clock c = berlin(); // a Friday
    CHECK(resolved(weekday(4), c) == "2026-04-16T22:00:00Z .. 2026-04-17T22:00:00Z (calendar)");
    CHECK(resolved(weekday(3), c) == "2026-04-15T22:00:00Z .. 2026-04-16T22:00:00Z (calendar)");
    CHECK(resolved(weekday(0), c) == "2026-04-12T22:00:00Z .. 2026-04-13T22:00:00Z (calendar)");
    CHECK(resolved(weekday(5), c) == "2026-04-10T22:00:00Z .. 2026-04-11T22:00:00Z (calendar)");
    CHECK(resolved(weekday(6), c) == "2026-04-11T22:00:00Z .. 2026-04-12T22:00:00Z (calendar)");

    // After a given day: the first such day on or after it, that day included.
    const Timestamp tuesday = at("2026-04-14T00:00:00+02:00");
    CHECK(resolved(weekday(1), c, tuesday) ==
          "2026-04-13T22:00:00Z .. 2026-04-14T22:00:00Z (calendar)");
    CHECK(resolved(weekday(0), c, tuesday) ==
          "2026-04-19T22:00:00Z .. 2026-04-20T22:00:00Z (calendar)");
    CHECK(resolved(weekday(3), c, at("2026-04-14T23:30:00+02:00")) ==
          "2026-04-15T22:00:00Z .. 2026-04-16T22:00:00Z (calendar)");

    auto e = point_error(weekday(7), c);
    CHECK(e.message == "weekday 7 is not 0..6");
    CHECK(same_span(e.span, span_a));
}

TEST_CASE("dates, leap days and dates without a year", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(resolved(on_date(2024, 2, 29), c) ==
          "2024-02-28T23:00:00Z .. 2024-02-29T23:00:00Z (calendar)");

    auto e = point_error(on_date(2026, 2, 29), c);
    CHECK(e.message == "2026-02-29 is not a date (2026 is not a leap year)");
    CHECK(same_span(e.span, span_a));
    CHECK(point_error(on_date(2026, 2, 30), c).message == "2026-02-30 is not a date");
    CHECK(point_error(on_date(2026, 4, 31), c).message == "2026-04-31 is not a date");
    CHECK(point_error(on_date(2026, 13, 1), c).message == "2026-13-01 is not a date");
    CHECK(point_error(on_date(2026, 1, 0), c).message == "2026-01-00 is not a date");
    CHECK(point_error(on_date(1900, 2, 29), c).message ==
          "1900-02-29 is not a date (1900 is not a leap year)");
    CHECK(resolved(on_date(2000, 2, 29), c) ==
          "2000-02-28T23:00:00Z .. 2000-02-29T23:00:00Z (calendar)");

    // Without a year: the most recent one on or before today.
    CHECK(resolved(yearless(2, 29), c) ==
          "2024-02-28T23:00:00Z .. 2024-02-29T23:00:00Z (calendar)");
    CHECK(resolved(yearless(4, 17), c) ==
          "2026-04-16T22:00:00Z .. 2026-04-17T22:00:00Z (calendar)");
    CHECK(resolved(yearless(4, 18), c) ==
          "2025-04-17T22:00:00Z .. 2025-04-18T22:00:00Z (calendar)");
    CHECK(resolved(yearless(12, 25), c) ==
          "2025-12-24T23:00:00Z .. 2025-12-25T23:00:00Z (calendar)");
    // After a given day: the first one on or after it.
    CHECK(resolved(yearless(2, 29), c, at("2026-03-01T00:00:00Z")) ==
          "2028-02-28T23:00:00Z .. 2028-02-29T23:00:00Z (calendar)");
    CHECK(resolved(yearless(1, 5), c, at("2025-12-20T00:00:00+01:00")) ==
          "2026-01-04T23:00:00Z .. 2026-01-05T23:00:00Z (calendar)");

    CHECK(point_error(yearless(2, 30), c).message == "february 30 is not a date");
    CHECK(point_error(yearless(11, 31), c).message == "november 31 is not a date");
    CHECK(point_error(yearless(0, 3), c).message == "month 0 is not 1..12");
    CHECK(point_error(yearless(4, 0), c).message == "april 0 is not a date");

    // A century year that is not a leap year: February 29 skips it.
    const Clock y1903 = clock_at("1903-06-01T12:00:00Z", "UTC");
    CHECK(resolved(yearless(2, 29), y1903) ==
          "1896-02-29T00:00:00Z .. 1896-03-01T00:00:00Z (calendar)");
}

TEST_CASE("months and years", "[time-phrase]") {
    const Clock c = berlin(); // April 2026
    CHECK(resolved(month(4), c) == "2026-03-31T22:00:00Z .. 2026-04-30T22:00:00Z (calendar)");
    CHECK(resolved(month(3), c) == "2026-02-28T23:00:00Z .. 2026-03-31T22:00:00Z (calendar)");
    // A month after the current one is last year's.
    CHECK(resolved(month(5), c) == "2025-04-30T22:00:00Z .. 2025-05-31T22:00:00Z (calendar)");
    CHECK(resolved(month(12), c) == "2025-11-30T23:00:00Z .. 2025-12-31T23:00:00Z (calendar)");
    CHECK(resolved(month(2, 2024), c) == "2024-01-31T23:00:00Z .. 2024-02-29T23:00:00Z (calendar)");
    CHECK(resolved(month(5, 2026), c) == "2026-04-30T22:00:00Z .. 2026-05-31T22:00:00Z (calendar)");
    // After a given month: the first such month on or after it.
    CHECK(resolved(month(2), c, at("2025-11-01T00:00:00+01:00")) ==
          "2026-01-31T23:00:00Z .. 2026-02-28T23:00:00Z (calendar)");
    CHECK(resolved(month(11), c, at("2025-11-01T00:00:00+01:00")) ==
          "2025-10-31T23:00:00Z .. 2025-11-30T23:00:00Z (calendar)");
    CHECK(resolved(year(2026), c) == "2025-12-31T23:00:00Z .. 2026-12-31T23:00:00Z (calendar)");
    CHECK(resolved(year(2024), c) == "2023-12-31T23:00:00Z .. 2024-12-31T23:00:00Z (calendar)");
    CHECK(point_error(month(13), c).message == "month 13 is not 1..12");
    CHECK(point_error(month(0, 2026), c).message == "month 0 is not 1..12");
}

TEST_CASE("this and last day, week, month and year", "[time-phrase]") {
    const Clock c = berlin();
    auto this_ = [](Unit u) { return unit_point(PK::this_unit, u); };
    auto last = [](Unit u) { return unit_point(PK::last_unit, u); };
    CHECK(resolved(this_(Unit::day), c) ==
          "2026-04-16T22:00:00Z .. 2026-04-17T22:00:00Z (calendar)");
    CHECK(resolved(last(Unit::day), c) ==
          "2026-04-15T22:00:00Z .. 2026-04-16T22:00:00Z (calendar)");
    CHECK(resolved(this_(Unit::month), c) ==
          "2026-03-31T22:00:00Z .. 2026-04-30T22:00:00Z (calendar)");
    CHECK(resolved(last(Unit::month), c) ==
          "2026-02-28T23:00:00Z .. 2026-03-31T22:00:00Z (calendar)");
    CHECK(resolved(this_(Unit::year), c) ==
          "2025-12-31T23:00:00Z .. 2026-12-31T23:00:00Z (calendar)");
    CHECK(resolved(last(Unit::year), c) ==
          "2024-12-31T23:00:00Z .. 2025-12-31T23:00:00Z (calendar)");

    // On a Monday and a Sunday the week is still Monday to Monday.
    const Clock monday = clock_at("2026-04-13T00:00:00+02:00", "Europe/Berlin");
    CHECK(resolved(this_(Unit::week), monday) ==
          "2026-04-12T22:00:00Z .. 2026-04-19T22:00:00Z (calendar)");
    const Clock sunday = clock_at("2026-04-19T23:59:00+02:00", "Europe/Berlin");
    CHECK(resolved(this_(Unit::week), sunday) ==
          "2026-04-12T22:00:00Z .. 2026-04-19T22:00:00Z (calendar)");
    // The week of the autumn change is 169 hours long.
    const Clock autumn = clock_at("2026-10-25T12:00:00+01:00", "Europe/Berlin");
    CHECK(length(this_(Unit::week), autumn) == hours{169});
    // Last month from January is last year's December.
    const Clock january = clock_at("2026-01-15T12:00:00+01:00", "Europe/Berlin");
    CHECK(resolved(last(Unit::month), january) ==
          "2025-11-30T23:00:00Z .. 2025-12-31T23:00:00Z (calendar)");

    auto e = point_error(this_(Unit::hour), c);
    CHECK(e.message == "\"this hour\" is not supported: use a day, week, month or year");
    CHECK(same_span(e.span, span_a));
    CHECK(point_error(last(Unit::minute), c).message ==
          "\"last minute\" is not supported: use a day, week, month or year");
}

TEST_CASE("units ago", "[time-phrase]") {
    const Clock c = berlin(); // 2026-04-17T08:00:00Z
    CHECK(resolved(ago(3, Unit::day), c) ==
          "2026-04-13T22:00:00Z .. 2026-04-14T22:00:00Z (calendar)");
    CHECK(resolved(ago(0, Unit::day), c) ==
          "2026-04-16T22:00:00Z .. 2026-04-17T22:00:00Z (calendar)");
    // 2026-04-03 is a Friday: its week starts on Monday 2026-03-30, after the spring change.
    CHECK(resolved(ago(2, Unit::week), c) ==
          "2026-03-29T22:00:00Z .. 2026-04-05T22:00:00Z (calendar)");
    // The week of 2026-03-27 contains the spring change.
    CHECK(resolved(ago(3, Unit::week), c) ==
          "2026-03-22T23:00:00Z .. 2026-03-29T22:00:00Z (calendar)");
    CHECK(resolved(ago(1, Unit::month), c) ==
          "2026-02-28T23:00:00Z .. 2026-03-31T22:00:00Z (calendar)");
    CHECK(resolved(ago(14, Unit::month), c) ==
          "2025-01-31T23:00:00Z .. 2025-02-28T23:00:00Z (calendar)");
    CHECK(resolved(ago(2, Unit::year), c) ==
          "2023-12-31T23:00:00Z .. 2024-12-31T23:00:00Z (calendar)");
    CHECK(resolved(ago(90, Unit::minute), c) == "2026-04-17T06:30:00Z .. 2026-04-17T06:31:00Z");
    CHECK(resolved(ago(2, Unit::hour), c) == "2026-04-17T06:00:00Z .. 2026-04-17T07:00:00Z");

    // A month ago from March 31 is the whole of February: nothing to clamp.
    const Clock march31 = clock_at("2026-03-31T12:00:00+02:00", "Europe/Berlin");
    CHECK(resolved(ago(1, Unit::month), march31) ==
          "2026-01-31T23:00:00Z .. 2026-02-28T23:00:00Z (calendar)");

    auto e = point_error(ago(-1, Unit::day), c);
    CHECK(e.message == "the count in \"-1 days ago\" is negative");
    CHECK(same_span(e.span, span_a));
}

TEST_CASE("instants and times of day last one unit of their precision", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(resolved(instant("2026-04-14T09:12:33Z"), c) ==
          "2026-04-14T09:12:33Z .. 2026-04-14T09:12:34Z");
    CHECK(resolved(instant("2026-04-14T09:12:00+02:00", Precision::minute), c) ==
          "2026-04-14T07:12:00Z .. 2026-04-14T07:13:00Z");
    CHECK(resolved(instant("2026-04-14T09:12:33.25Z", Precision::fraction), c) ==
          "2026-04-14T09:12:33.250Z .. 2026-04-14T09:12:33.250001Z");

    CHECK(resolved(time_only(14, 0, Precision::hour), c) ==
          "2026-04-17T12:00:00Z .. 2026-04-17T13:00:00Z");
    CHECK(resolved(time_only(9, 30), c) == "2026-04-17T07:30:00Z .. 2026-04-17T07:31:00Z");
    CHECK(resolved(with_time(weekday(1), 14, 0, Precision::minute), c) ==
          "2026-04-14T12:00:00Z .. 2026-04-14T12:01:00Z");
    CHECK(resolved(with_time(on_date(2026, 4, 14), 10, 0, Precision::second, 15), c) ==
          "2026-04-14T08:00:15Z .. 2026-04-14T08:00:16Z");
    CHECK(resolved(with_time(pt(PK::tomorrow), 23, 59, Precision::fraction, 59, 500000), c) ==
          "2026-04-18T21:59:59.500Z .. 2026-04-18T21:59:59.500001Z");
    CHECK(resolved(with_time(yearless(2, 29), 0, 0), c) ==
          "2024-02-28T23:00:00Z .. 2024-02-28T23:01:00Z");

    // In the spring gap a wall time moves forward by the gap; in the autumn overlap it takes the
    // earlier instant.
    CHECK(resolved(with_time(on_date(2026, 3, 29), 2, 30), c) ==
          "2026-03-29T01:30:00Z .. 2026-03-29T01:31:00Z");
    CHECK(resolved(with_time(on_date(2026, 10, 25), 2, 30), c) ==
          "2026-10-25T00:30:00Z .. 2026-10-25T00:31:00Z");

    auto e = point_error(time_only(24, 0), c);
    CHECK(e.message == "24:00:00 is not a time of day");
    CHECK(same_span(e.span, span_a));
    CHECK(point_error(with_time(pt(PK::today), 10, 60), c).message ==
          "10:60:00 is not a time of day");
    CHECK(point_error(pt(PK::time_only), c).message == "expected a time of day");
}

TEST_CASE("a time of day only goes with a day", "[time-phrase]") {
    const Clock c = berlin();
    auto e = point_error(with_time(month(4), 14, 0), c);
    CHECK(e.message == "a time of day can only be given on a day, not on a month");
    CHECK(same_span(e.span, span_a));
    CHECK(point_error(with_time(year(2026), 14, 0), c).message ==
          "a time of day can only be given on a day, not on a year");
    CHECK(point_error(with_time(unit_point(PK::last_unit, Unit::week), 9, 0), c).message ==
          "a time of day can only be given on a day, not on \"last week\"");
    CHECK(point_error(with_time(unit_point(PK::this_unit, Unit::day), 9, 0), c).message ==
          "a time of day can only be given on a day, not on \"this day\"");
    CHECK(point_error(with_time(ago(3, Unit::day), 9, 0), c).message ==
          "a time of day can only be given on a day, not on \"3 days ago\"");
    CHECK(point_error(with_time(pt(PK::now), 9, 0), c).message ==
          "a time of day can only be given on a day, not on now");

    // In a range the error points at the phrase, not at the range.
    auto r = range_error(range(RK::between, pt(PK::today), with_time(month(5), 9, 0)), c);
    CHECK(same_span(r.span, span_b));
}

TEST_CASE("since, until, before and after", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(resolved(range(RK::since, pt(PK::today)), c) ==
          "2026-04-16T22:00:00Z .. 2026-04-17T08:00:00Z");
    CHECK(resolved(range(RK::since, time_only(9, 0)), c) ==
          "2026-04-17T07:00:00Z .. 2026-04-17T08:00:00Z");
    // Since now is empty, not an error.
    CHECK(resolved(range(RK::since, pt(PK::now)), c) ==
          "2026-04-17T08:00:00Z .. 2026-04-17T08:00:00Z");

    CHECK(resolved(range(RK::until, pt(PK::yesterday)), c) == "unbounded .. 2026-04-16T22:00:00Z");
    CHECK(resolved(range(RK::until, time_only(14, 0, Precision::hour)), c) ==
          "unbounded .. 2026-04-17T12:00:00Z");
    CHECK(resolved(range(RK::until, pt(PK::now)), c) == "unbounded .. 2026-04-17T08:00:00Z");
    CHECK(resolved(range(RK::before, pt(PK::yesterday)), c) == "unbounded .. 2026-04-15T22:00:00Z");
    CHECK(resolved(range(RK::before, time_only(14, 0, Precision::hour)), c) ==
          "unbounded .. 2026-04-17T12:00:00Z");
    CHECK(resolved(range(RK::after, pt(PK::yesterday)), c) == "2026-04-16T22:00:00Z .. unbounded");
    CHECK(resolved(range(RK::after, time_only(14, 0, Precision::hour)), c) ==
          "2026-04-17T12:00:00Z .. unbounded");
    CHECK(resolved(range(RK::after, month(3)), c) == "2026-03-31T22:00:00Z .. unbounded");
    CHECK(resolved(range(RK::point, month(3)), c) ==
          "2026-02-28T23:00:00Z .. 2026-03-31T22:00:00Z");

    SECTION("since a time after now is an error pointing at the time") {
        auto e = range_error(range(RK::since, time_only(14, 0, Precision::hour)), c);
        CHECK(e.message ==
              "the start (2026-04-17 14:00 +02:00) is after now (2026-04-17 10:00 +02:00)");
        CHECK(same_span(e.span, span_a));
        CHECK(range_error(range(RK::since, pt(PK::tomorrow)), c).message ==
              "the start (2026-04-18 00:00 +02:00) is after now (2026-04-17 10:00 +02:00)");
    }
}

TEST_CASE("between picks the end on or after the start", "[time-phrase]") {
    const Clock c = berlin();
    // Thursday to Tuesday: the Tuesday after that Thursday.
    CHECK(resolved(range(RK::between, weekday(3), weekday(1)), c) ==
          "2026-04-15T22:00:00Z .. 2026-04-21T22:00:00Z");
    // Friday to Friday is the one day.
    CHECK(resolved(range(RK::between, weekday(4), weekday(4)), c) ==
          "2026-04-16T22:00:00Z .. 2026-04-17T22:00:00Z");
    CHECK(resolved(range(RK::between, month(11), month(2)), c) ==
          "2025-10-31T23:00:00Z .. 2026-02-28T23:00:00Z");
    CHECK(resolved(range(RK::between, yearless(12, 20), yearless(1, 5)), c) ==
          "2025-12-19T23:00:00Z .. 2026-01-05T23:00:00Z");
    CHECK(resolved(range(RK::between, on_date(2026, 4, 1), weekday(4)), c) ==
          "2026-03-31T22:00:00Z .. 2026-04-03T22:00:00Z");
    CHECK(resolved(range(RK::between, weekday(0), pt(PK::now)), c) ==
          "2026-04-12T22:00:00Z .. 2026-04-17T08:00:00Z");
    // An end that is a time of day ends at its start; an empty range is allowed.
    CHECK(resolved(range(RK::between, time_only(9, 30), time_only(9, 30)), c) ==
          "2026-04-17T07:30:00Z .. 2026-04-17T07:30:00Z");
    CHECK(resolved(
              range(RK::between, instant("2026-04-14T09:00:00Z"), instant("2026-04-14T10:00:00Z")),
              c) == "2026-04-14T09:00:00Z .. 2026-04-14T10:00:00Z");

    SECTION("a range that ends before it starts names both ends") {
        auto e = range_error(range(RK::between, on_date(2026, 4, 14), on_date(2026, 4, 12)), c);
        CHECK(e.message == "the range ends (2026-04-13 00:00 +02:00) before it starts "
                           "(2026-04-14 00:00 +02:00)");
        CHECK(same_span(e.span, span_range));
        CHECK(range_error(range(RK::between, time_only(9, 30), time_only(9, 0)), c).message ==
              "the range ends (2026-04-17 09:00 +02:00) before it starts "
              "(2026-04-17 09:30 +02:00)");
    }
    SECTION("an error in the end points at the end") {
        auto e = range_error(range(RK::between, pt(PK::today), on_date(2026, 2, 30)), c);
        CHECK(e.message == "2026-02-30 is not a date");
        CHECK(same_span(e.span, span_b));
    }
}

TEST_CASE("last N units up to now", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(resolved(last_n(30, Unit::minute), c) == "2026-04-17T07:30:00Z .. 2026-04-17T08:00:00Z");
    CHECK(resolved(last_n(24, Unit::hour), c) == "2026-04-16T08:00:00Z .. 2026-04-17T08:00:00Z");
    CHECK(resolved(last_n(2, Unit::week), c) == "2026-04-03T08:00:00Z .. 2026-04-17T08:00:00Z");
    CHECK(resolved(last_n(1, Unit::year), c) == "2025-04-17T08:00:00Z .. 2026-04-17T08:00:00Z");

    // Across a DST change the wall clock is kept: 167 hours in spring, 169 in autumn.
    const Clock spring = clock_at("2026-04-01T12:00:00+02:00", "Europe/Berlin");
    CHECK(resolved(last_n(7, Unit::day), spring) == "2026-03-25T11:00:00Z .. 2026-04-01T10:00:00Z");
    const Clock autumn = clock_at("2026-10-28T12:00:00+01:00", "Europe/Berlin");
    CHECK(resolved(last_n(7, Unit::day), autumn) == "2026-10-21T10:00:00Z .. 2026-10-28T11:00:00Z");
    // Hours stay exact durations across the change.
    CHECK(resolved(last_n(168, Unit::hour), spring) ==
          "2026-03-25T10:00:00Z .. 2026-04-01T10:00:00Z");

    // Months clamp the day: a month back from March 31 is February 28 (29 in a leap year).
    const Clock march31 = clock_at("2026-03-31T12:00:00+02:00", "Europe/Berlin");
    CHECK(resolved(last_n(1, Unit::month), march31) ==
          "2026-02-28T11:00:00Z .. 2026-03-31T10:00:00Z");
    const Clock leap = clock_at("2024-03-31T12:00:00+02:00", "Europe/Berlin");
    CHECK(resolved(last_n(1, Unit::month), leap) == "2024-02-29T11:00:00Z .. 2024-03-31T10:00:00Z");
    const Clock leap_day = clock_at("2024-02-29T12:00:00Z", "UTC");
    CHECK(resolved(last_n(1, Unit::year), leap_day) ==
          "2023-02-28T12:00:00Z .. 2024-02-29T12:00:00Z");
    CHECK(resolved(last_n(13, Unit::month), leap_day) ==
          "2023-01-29T12:00:00Z .. 2024-02-29T12:00:00Z");

    auto e = range_error(last_n(0, Unit::day), c);
    CHECK(e.message == "the count in \"the last 0 days\" must be at least 1");
    CHECK(same_span(e.span, span_range));
}

TEST_CASE("other zones: New York, Kolkata, Auckland and UTC", "[time-phrase]") {
    const Clock ny = clock_at("2026-04-17T10:00:00-04:00", "America/New_York");
    CHECK(resolved(pt(PK::yesterday), ny) ==
          "2026-04-16T04:00:00Z .. 2026-04-17T04:00:00Z (calendar)");
    CHECK(resolved(range(RK::since, weekday(0)), ny) ==
          "2026-04-13T04:00:00Z .. 2026-04-17T14:00:00Z");

    const Clock kolkata = clock_at("2026-04-17T10:00:00+05:30", "Asia/Kolkata");
    CHECK(resolved(pt(PK::yesterday), kolkata) ==
          "2026-04-15T18:30:00Z .. 2026-04-16T18:30:00Z (calendar)");
    CHECK(resolved(time_only(14, 0, Precision::hour), kolkata) ==
          "2026-04-17T08:30:00Z .. 2026-04-17T09:30:00Z");
    auto e = range_error(range(RK::between, on_date(2026, 4, 14), on_date(2026, 4, 12)), kolkata);
    CHECK(e.message == "the range ends (2026-04-13 00:00 +05:30) before it starts "
                       "(2026-04-14 00:00 +05:30)");

    // New Year's morning in Auckland is still New Year's Eve in UTC.
    const Clock auckland = clock_at("2026-01-01T09:00:00+13:00", "Pacific/Auckland");
    CHECK(resolved(pt(PK::today), auckland) ==
          "2025-12-31T11:00:00Z .. 2026-01-01T11:00:00Z (calendar)");
    CHECK(resolved(pt(PK::yesterday), auckland) ==
          "2025-12-30T11:00:00Z .. 2025-12-31T11:00:00Z (calendar)");
    CHECK(resolved(unit_point(PK::this_unit, Unit::year), auckland) ==
          "2025-12-31T11:00:00Z .. 2026-12-31T11:00:00Z (calendar)");
    CHECK(resolved(unit_point(PK::last_unit, Unit::year), auckland) ==
          "2024-12-31T11:00:00Z .. 2025-12-31T11:00:00Z (calendar)");
    CHECK(resolved(unit_point(PK::this_unit, Unit::week), auckland) ==
          "2025-12-28T11:00:00Z .. 2026-01-04T11:00:00Z (calendar)");
    CHECK(resolved(month(12), auckland) ==
          "2025-11-30T11:00:00Z .. 2025-12-31T11:00:00Z (calendar)");
    // April 2026 in Auckland ends daylight saving: April 5 is 25 hours long.
    CHECK(length(on_date(2026, 4, 5), auckland) == hours{25});

    for (const char* name : {"UTC", "Etc/UTC"}) {
        INFO(name);
        const Clock utc = clock_at("2026-04-17T10:00:00Z", name);
        CHECK(resolved(pt(PK::yesterday), utc) ==
              "2026-04-16T00:00:00Z .. 2026-04-17T00:00:00Z (calendar)");
        CHECK(resolved(last_n(7, Unit::day), utc) ==
              "2026-04-10T10:00:00Z .. 2026-04-17T10:00:00Z");
    }
    // A null zone reads as UTC.
    const Clock null_zone{at("2026-04-17T10:00:00Z"), nullptr};
    CHECK(resolved(unit_point(PK::this_unit, Unit::week), null_zone) ==
          "2026-04-13T00:00:00Z .. 2026-04-20T00:00:00Z (calendar)");
    CHECK(resolved(last_n(1, Unit::month), null_zone) ==
          "2026-03-17T10:00:00Z .. 2026-04-17T10:00:00Z");
}

TEST_CASE("days whose midnight a DST change skips start when the day does", "[time-phrase]") {
    // Havana springs forward from 00:00 to 01:00 and falls back from 01:00 to 00:00.
    const Clock havana = clock_at("2026-03-10T12:00:00-04:00", "America/Havana");
    CHECK_NOTHROW(resolve_point(on_date(2026, 3, 8), havana));
    CHECK(resolved(on_date(2026, 3, 8), havana) ==
          "2026-03-08T05:00:00Z .. 2026-03-09T04:00:00Z (calendar)");
    CHECK(resolved(weekday(6), havana) ==
          "2026-03-08T05:00:00Z .. 2026-03-09T04:00:00Z (calendar)");
    CHECK(resolved(with_time(on_date(2026, 3, 8), 0, 30), havana) ==
          "2026-03-08T05:30:00Z .. 2026-03-08T05:31:00Z");
    // Midnight happens twice on 2026-11-01: the day starts at the first.
    CHECK(resolved(on_date(2026, 11, 1), havana) ==
          "2026-11-01T04:00:00Z .. 2026-11-02T05:00:00Z (calendar)");
    CHECK(length(on_date(2026, 10, 31), havana) == hours{24});

    // Since the start of a day in the gap, and a day back from a time the day before lacks.
    const Clock after_gap = clock_at("2026-03-09T00:30:00-04:00", "America/Havana");
    CHECK_NOTHROW(resolve_range(last_n(1, Unit::day), after_gap));
    CHECK(resolved(last_n(1, Unit::day), after_gap) ==
          "2026-03-08T05:30:00Z .. 2026-03-09T04:30:00Z");
    CHECK(resolved(range(RK::since, pt(PK::yesterday)), after_gap) ==
          "2026-03-08T05:00:00Z .. 2026-03-09T04:30:00Z");
    const Clock in_gap_day = clock_at("2026-03-08T12:00:00-04:00", "America/Havana");
    CHECK(resolved(pt(PK::today), in_gap_day) ==
          "2026-03-08T05:00:00Z .. 2026-03-09T04:00:00Z (calendar)");
    CHECK(resolved(range(RK::between, weekday(0), weekday(0)), in_gap_day) ==
          "2026-03-02T05:00:00Z .. 2026-03-03T05:00:00Z");

    // Beirut sprang forward at midnight in 2010.
    const Clock beirut = clock_at("2010-04-01T12:00:00+03:00", "Asia/Beirut");
    CHECK(resolved(on_date(2010, 3, 28), beirut) ==
          "2010-03-27T22:00:00Z .. 2010-03-28T21:00:00Z (calendar)");
    CHECK(resolved(unit_point(PK::last_unit, Unit::week), beirut) ==
          "2010-03-21T22:00:00Z .. 2010-03-28T21:00:00Z (calendar)");
}

TEST_CASE("years stay within 0001..9999", "[time-phrase]") {
    const Clock c = berlin();
    CHECK(point_error(year(10000), c).message == "year 10000 is outside years 0001..9999");
    CHECK(point_error(year(0), c).message == "year 0 is outside years 0001..9999");
    CHECK(point_error(on_date(0, 1, 1), c).message == "year 0 is outside years 0001..9999");
    CHECK(point_error(on_date(-5, 1, 1), c).message == "year -5 is outside years 0001..9999");
    CHECK(point_error(month(1, 10000), c).message == "january 10000 is outside years 0001..9999");
    CHECK(point_error(ago(100000, Unit::year), c).message ==
          "100000 years ago is outside years 0001..9999");
    CHECK(point_error(ago(3000000, Unit::day), c).message ==
          "3000000 days ago is outside years 0001..9999");
    CHECK(point_error(ago(2147483647, Unit::week), c).message ==
          "2147483647 weeks ago is outside years 0001..9999");
    CHECK(point_error(ago(2147483647, Unit::month), c).message ==
          "2147483647 months ago is outside years 0001..9999");
    CHECK(point_error(ago(2147483647, Unit::hour), c).message ==
          "2147483647 hours ago is outside years 0001..9999");
    CHECK(range_error(last_n(2147483647, Unit::minute), c).message ==
          "the last 2147483647 minutes reach outside years 0001..9999");
    CHECK(range_error(last_n(2147483647, Unit::hour), c).message ==
          "the last 2147483647 hours reach outside years 0001..9999");
    CHECK(range_error(last_n(2147483647, Unit::week), c).message ==
          "the last 2147483647 weeks reach outside years 0001..9999");
    CHECK(range_error(last_n(2147483647, Unit::year), c).message ==
          "the last 2147483647 years reach outside years 0001..9999");

    // The edges themselves are fine.
    const Clock first = clock_at("0001-01-01T12:00:00Z", "UTC");
    CHECK(resolved(unit_point(PK::this_unit, Unit::week), first) ==
          "0001-01-01T00:00:00Z .. 0001-01-08T00:00:00Z (calendar)");
    CHECK(point_error(pt(PK::yesterday), first).message == "yesterday is outside years 0001..9999");
    CHECK(point_error(unit_point(PK::last_unit, Unit::year), first).message ==
          "last year is outside years 0001..9999");
    CHECK(point_error(unit_point(PK::last_unit, Unit::week), first).message ==
          "last week is outside years 0001..9999");
    CHECK(point_error(month(12), first).message == "december 0 is outside years 0001..9999");
    CHECK(point_error(weekday(6), first).message == "the day is outside years 0001..9999");
    CHECK(range_error(last_n(1, Unit::day), first).message ==
          "the last 1 day reach outside years 0001..9999");
    CHECK(point_error(yearless(2, 29), clock_at("0003-06-01T00:00:00Z", "UTC")).message ==
          "february 29 has no date within years 0001..9999");

    const Clock last = clock_at("9999-12-31T12:00:00Z", "UTC");
    CHECK(resolved(pt(PK::today), last) ==
          "9999-12-31T00:00:00Z .. +10000-01-01T00:00:00Z (calendar)");
    CHECK(resolved(year(9999), last) ==
          "9999-01-01T00:00:00Z .. +10000-01-01T00:00:00Z (calendar)");
    CHECK(point_error(pt(PK::tomorrow), last).message == "tomorrow is outside years 0001..9999");
    CHECK(point_error(yearless(2, 29), last, at("9997-03-01T00:00:00Z")).message ==
          "february 29 has no date within years 0001..9999");

    // A clock outside the range is refused rather than misread.
    const Clock far{Timestamp{std::chrono::microseconds{INT64_MAX}}, zone("Europe/Berlin")};
    CHECK(point_error(pt(PK::today), far).message ==
          "now (+294247-01-10T04:00:54.775807Z) is outside years 0001..9999");
    CHECK(range_error(last_n(1, Unit::day), far).message ==
          "now (+294247-01-10T04:00:54.775807Z) is outside years 0001..9999");
    CHECK(point_error(instant("0000-06-01T00:00:00Z"), c).message ==
          "0000-06-01T00:00:00Z is outside years 0001..9999");
}
