// Resolution of time phrases ("yesterday", "last week", "tuesday to thursday", "since 2pm")
// against a pinned clock and a zone: calendar spans run from local midnight to local midnight,
// wall times are turned into UTC with local_to_sys, and every year stays within 0001..9999.
#include "query/time_resolve.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace asof::query {

namespace {

using date::local_days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int min_year = 1;
constexpr int max_year = 9999;

// Local day numbers (days since 1970-01-01) of 0001-01-01 and 9999-12-31.
constexpr std::int64_t first_day =
    local_days{date::year{min_year} / 1 / 1}.time_since_epoch().count();
constexpr std::int64_t last_day =
    local_days{date::year{max_year} / 12 / 31}.time_since_epoch().count();

// The instants accepted as now, instants and bounds: [0001-01-01T00:00Z, 10000-01-01T00:00Z).
constexpr Timestamp earliest{date::sys_days{date::year{min_year} / 1 / 1}.time_since_epoch()};
constexpr Timestamp latest_end{date::sys_days{date::year{max_year + 1} / 1 / 1}.time_since_epoch()};

constexpr Micros one_micro{1};

// The lower-case English name of month 1..12.
const char* month_name(int month) {
    constexpr std::array<const char*, 12> names = {"january",   "february", "march",    "april",
                                                   "may",       "june",     "july",     "august",
                                                   "september", "october",  "november", "december"};
    return names[static_cast<std::size_t>(month - 1)];
}

// "day", "days", "week", ... for `count` of `unit`.
std::string unit_name(Unit unit, std::int64_t count) {
    constexpr std::array<const char*, 6> names = {"minute", "hour", "day", "week", "month", "year"};
    std::string name = names[static_cast<std::size_t>(unit)];
    if (count != 1) name += 's';
    return name;
}

// `value` with at least `width` digits, zero-padded.
std::string padded(std::int64_t value, std::size_t width) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return value < 0 ? "-" + digits : digits;
}

// `t` as the user reads it in `zone`: "2026-04-14 00:00 +02:00", with seconds only when they
// are not zero.
std::string shown(Timestamp t, const date::time_zone* zone) {
    std::string text = format_in_zone(t, zone);
    const auto space = text.find(' ');
    if (space != std::string::npos && text.size() > space + 10 &&
        text.compare(space + 6, 3, ":00") == 0 && text[space + 9] == ' ')
        text.erase(space + 6, 3);
    return text;
}

bool in_years(Timestamp t) {
    return t >= earliest && t < latest_end;
}

// The local day numbered `n` (days since 1970-01-01 local), when it lies in years 0001..9999.
std::optional<local_days> day_numbered(std::int64_t n) {
    if (n < first_day || n > last_day) return std::nullopt;
    return local_days{date::days{static_cast<int>(n)}};
}

// The offset from UTC in force in `zone` (UTC when null) at `t`.
Micros utc_offset(Timestamp t, const date::time_zone* zone) {
    if (zone == nullptr) return Micros{0};
    return std::chrono::duration_cast<Micros>(zone->get_info(floor<seconds>(t)).offset);
}

// The wall time of `t` in `zone`, as microseconds since 1970-01-01 00:00 local.
Micros wall_time(Timestamp t, const date::time_zone* zone) {
    return t.time_since_epoch() + utc_offset(t, zone);
}

// The local date of `t` in `zone`.
local_days local_date(Timestamp t, const date::time_zone* zone) {
    return local_days{floor<date::days>(wall_time(t, zone))};
}

// The instant local midnight starts day `d` in `zone` (later when a DST gap skips midnight).
Timestamp day_start(local_days d, const date::time_zone* zone) {
    return local_to_sys(std::chrono::duration_cast<Micros>(d.time_since_epoch()), zone);
}

// The calendar span of the local days [first, end).
PointSpan days_span(local_days first, local_days end, const date::time_zone* zone) {
    return PointSpan{day_start(first, zone), day_start(end, zone), true};
}

local_days monday_of(local_days d) {
    return d - (date::weekday{d} - date::Monday);
}

// Months are numbered year * 12 + (month - 1) so that month arithmetic is integer arithmetic.
std::int64_t month_number(date::year_month_day ymd) {
    return std::int64_t{static_cast<int>(ymd.year())} * 12 + static_cast<unsigned>(ymd.month()) - 1;
}

bool month_in_years(std::int64_t number) {
    return number >= std::int64_t{min_year} * 12 && number < std::int64_t{max_year + 1} * 12;
}

// The first day of month `number` (which must satisfy month_in_years, or be the month after).
local_days first_of_month(std::int64_t number) {
    const auto year = static_cast<int>(number / 12);
    const auto month = static_cast<unsigned>(number % 12 + 1);
    return local_days{date::year{year} / date::month{month} / 1};
}

// The calendar span of `count` months starting with month `number`, which must be in range.
PointSpan months_span(std::int64_t number, std::int64_t count, const date::time_zone* zone) {
    return days_span(first_of_month(number), first_of_month(number + count), zone);
}

// How long a time written with `precision` lasts.
Micros precision_length(Precision precision) {
    switch (precision) {
    case Precision::hour:
        return hours{1};
    case Precision::minute:
        return minutes{1};
    case Precision::second:
        return seconds{1};
    case Precision::fraction:
        return one_micro;
    }
    return seconds{1};
}

// The time of day as an offset from midnight, or an error when a field is out of range.
QueryResult<Micros> time_since_midnight(const TimeOfDay& time, Span span) {
    if (time.hour < 0 || time.hour > 23 || time.minute < 0 || time.minute > 59 || time.second < 0 ||
        time.second > 59 || time.micros < 0 || time.micros > 999999)
        return query_fail(padded(time.hour, 2) + ":" + padded(time.minute, 2) + ":" +
                              padded(time.second, 2) + " is not a time of day",
                          span);
    return hours{time.hour} + minutes{time.minute} + seconds{time.second} + Micros{time.micros};
}

// `time` on local day `d`: one unit of the time's precision long, starting at the wall time
// read with local_to_sys (so a time in a DST gap moves forward by the gap).
QueryResult<PointSpan> at_time_of_day(local_days d, const TimeOfDay& time, Span span,
                                      const date::time_zone* zone) {
    auto offset = time_since_midnight(time, span);
    if (!offset) return tl::unexpected(offset.error());
    const Timestamp start =
        local_to_sys(std::chrono::duration_cast<Micros>(d.time_since_epoch()) + *offset, zone);
    return PointSpan{start, start + precision_length(time.precision), false};
}

std::string date_text(int year, int month, int day) {
    return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2);
}

std::string year_range_text() {
    return "years " + padded(min_year, 4) + ".." + padded(max_year, 4);
}

// The day an explicit date names, or why it names none.
QueryResult<local_days> explicit_date(const TimePoint& point) {
    if (point.year < min_year || point.year > max_year)
        return query_fail("year " + std::to_string(point.year) + " is outside " + year_range_text(),
                          point.span);
    const std::string text = date_text(point.year, point.month, point.day);
    if (point.month < 1 || point.month > 12 || point.day < 1 || point.day > 31)
        return query_fail(text + " is not a date", point.span);
    const date::year_month_day ymd{date::year{point.year},
                                   date::month{static_cast<unsigned>(point.month)},
                                   date::day{static_cast<unsigned>(point.day)}};
    if (!ymd.ok()) {
        if (point.month == 2 && point.day == 29)
            return query_fail(text + " is not a date (" + std::to_string(point.year) +
                                  " is not a leap year)",
                              point.span);
        return query_fail(text + " is not a date", point.span);
    }
    return local_days{ymd};
}

// The day a month and day without a year name: the most recent one on or before `today`, or
// with `after` the first one on or after that day. February 29 looks back or ahead to a leap
// year.
QueryResult<local_days> yearless_date(const TimePoint& point, local_days today,
                                      std::optional<local_days> after) {
    if (point.month < 1 || point.month > 12)
        return query_fail("month " + std::to_string(point.month) + " is not 1..12", point.span);
    if (point.day < 1 || point.day > 31 ||
        !date::month_day{date::month{static_cast<unsigned>(point.month)},
                         date::day{static_cast<unsigned>(point.day)}}
             .ok())
        return query_fail(std::string(month_name(point.month)) + " " + std::to_string(point.day) +
                              " is not a date",
                          point.span);
    const local_days base = after ? *after : today;
    const int step = after ? 1 : -1;
    // Leap years are at most 8 years apart.
    int year = static_cast<int>(date::year_month_day{base}.year());
    for (int tries = 0; tries <= 9; ++tries, year += step) {
        if (year < min_year || year > max_year) break;
        const date::year_month_day ymd{date::year{year},
                                       date::month{static_cast<unsigned>(point.month)},
                                       date::day{static_cast<unsigned>(point.day)}};
        if (!ymd.ok()) continue;
        const local_days d{ymd};
        if (after ? d >= base : d <= base) return d;
    }
    return query_fail(std::string(month_name(point.month)) + " " + std::to_string(point.day) +
                          " has no date within " + year_range_text(),
                      point.span);
}

// The local day that a day-like phrase (today, yesterday, tomorrow, a weekday, a date, or
// the day of a time of day alone) names.
QueryResult<local_days> named_day(const TimePoint& point, local_days today,
                                  std::optional<local_days> after) {
    const std::int64_t n = today.time_since_epoch().count();
    std::optional<local_days> day;
    switch (point.kind) {
    case TimePoint::Kind::today:
    case TimePoint::Kind::time_only:
        return today;
    case TimePoint::Kind::yesterday:
        day = day_numbered(n - 1);
        break;
    case TimePoint::Kind::tomorrow:
        day = day_numbered(n + 1);
        break;
    case TimePoint::Kind::weekday: {
        if (point.weekday < 0 || point.weekday > 6)
            return query_fail("weekday " + std::to_string(point.weekday) + " is not 0..6",
                              point.span);
        const date::weekday wanted{static_cast<unsigned>(point.weekday + 1)};
        if (after) {
            const std::int64_t a = after->time_since_epoch().count();
            day = day_numbered(a + (wanted - date::weekday{*after}).count());
        } else {
            day = day_numbered(n - (date::weekday{today} - wanted).count());
        }
        break;
    }
    case TimePoint::Kind::date:
        return point.has_year ? explicit_date(point) : yearless_date(point, today, after);
    default:
        break;
    }
    if (!day) {
        const char* what = point.kind == TimePoint::Kind::yesterday  ? "yesterday"
                           : point.kind == TimePoint::Kind::tomorrow ? "tomorrow"
                                                                     : "the day";
        return query_fail(std::string(what) + " is outside " + year_range_text(), point.span);
    }
    return *day;
}

// What a phrase that cannot carry a time of day names, for the error saying so.
std::string not_a_day(const TimePoint& point) {
    switch (point.kind) {
    case TimePoint::Kind::now:
        return "now";
    case TimePoint::Kind::month:
        return "a month";
    case TimePoint::Kind::year:
        return "a year";
    case TimePoint::Kind::this_unit:
        return "\"this " + unit_name(point.unit, 1) + "\"";
    case TimePoint::Kind::last_unit:
        return "\"last " + unit_name(point.unit, 1) + "\"";
    case TimePoint::Kind::ago:
        return "\"" + std::to_string(point.count) + " " + unit_name(point.unit, point.count) +
               " ago\"";
    default:
        return "this phrase";
    }
}

// The span of a month, year, this/last unit or "N units ago".
QueryResult<PointSpan> calendar_unit(const TimePoint& point, const Clock& clock, local_days today,
                                     std::optional<local_days> after) {
    const date::year_month_day now_ymd{today};
    const std::int64_t this_month = month_number(now_ymd);
    const std::int64_t today_n = today.time_since_epoch().count();
    const auto out_of_range = [&](const std::string& what) {
        return query_fail(what + " is outside " + year_range_text(), point.span);
    };

    switch (point.kind) {
    case TimePoint::Kind::month: {
        if (point.month < 1 || point.month > 12)
            return query_fail("month " + std::to_string(point.month) + " is not 1..12", point.span);
        std::int64_t year = 0;
        if (point.has_year) {
            year = point.year;
        } else if (after) {
            const date::year_month_day base{*after};
            year = static_cast<int>(base.year());
            if (point.month < static_cast<int>(static_cast<unsigned>(base.month()))) ++year;
        } else {
            year = static_cast<int>(now_ymd.year());
            if (point.month > static_cast<int>(static_cast<unsigned>(now_ymd.month()))) --year;
        }
        const std::int64_t number = year * 12 + point.month - 1;
        if (!month_in_years(number))
            return out_of_range(std::string(month_name(point.month)) + " " + std::to_string(year));
        return months_span(number, 1, clock.zone);
    }
    case TimePoint::Kind::year:
        if (point.year < min_year || point.year > max_year)
            return out_of_range("year " + std::to_string(point.year));
        return months_span(std::int64_t{point.year} * 12, 12, clock.zone);
    case TimePoint::Kind::this_unit:
    case TimePoint::Kind::last_unit: {
        const bool last = point.kind == TimePoint::Kind::last_unit;
        const std::string what = (last ? "last " : "this ") + unit_name(point.unit, 1);
        switch (point.unit) {
        case Unit::minute:
        case Unit::hour:
            return query_fail("\"" + what + "\" is not supported: use a day, week, month or year",
                              point.span);
        case Unit::day: {
            auto d = day_numbered(today_n - (last ? 1 : 0));
            if (!d) return out_of_range(what);
            return days_span(*d, *d + date::days{1}, clock.zone);
        }
        case Unit::week: {
            auto monday =
                day_numbered(monday_of(today).time_since_epoch().count() - (last ? 7 : 0));
            if (!monday) return out_of_range(what);
            return days_span(*monday, *monday + date::days{7}, clock.zone);
        }
        case Unit::month: {
            const std::int64_t number = this_month - (last ? 1 : 0);
            if (!month_in_years(number)) return out_of_range(what);
            return months_span(number, 1, clock.zone);
        }
        case Unit::year: {
            const std::int64_t number = (this_month / 12 - (last ? 1 : 0)) * 12;
            if (!month_in_years(number)) return out_of_range(what);
            return months_span(number, 12, clock.zone);
        }
        }
        break;
    }
    case TimePoint::Kind::ago: {
        const std::int64_t count = point.count;
        const std::string what =
            std::to_string(count) + " " + unit_name(point.unit, count) + " ago";
        if (count < 0) return query_fail("the count in \"" + what + "\" is negative", point.span);
        switch (point.unit) {
        case Unit::minute:
        case Unit::hour: {
            const Micros unit = point.unit == Unit::minute ? Micros{minutes{1}} : Micros{hours{1}};
            // |count| < 2^31 and an hour is < 2^32 microseconds: the product fits.
            const Timestamp at = clock.now - count * unit;
            if (!in_years(at)) return out_of_range(what);
            return PointSpan{at, at + unit, false};
        }
        case Unit::day: {
            auto d = day_numbered(today_n - count);
            if (!d) return out_of_range(what);
            return days_span(*d, *d + date::days{1}, clock.zone);
        }
        case Unit::week: {
            auto d = day_numbered(today_n - 7 * count);
            if (!d) return out_of_range(what);
            // 0001-01-01 was a Monday, so the week of any day in range starts in range.
            const local_days monday = monday_of(*d);
            return days_span(monday, monday + date::days{7}, clock.zone);
        }
        case Unit::month: {
            const std::int64_t number = this_month - count;
            if (!month_in_years(number)) return out_of_range(what);
            return months_span(number, 1, clock.zone);
        }
        case Unit::year: {
            const std::int64_t number = (this_month / 12 - count) * 12;
            if (!month_in_years(number)) return out_of_range(what);
            return months_span(number, 12, clock.zone);
        }
        }
        break;
    }
    default:
        break;
    }
    return query_fail("this phrase does not name a time", point.span);
}

// The interval start of the last `count` `unit`s before `now`: exact for minutes and hours,
// the same wall time `count` days, weeks, months or years earlier otherwise (a month back from
// March 31 is the last day of February).
QueryResult<Timestamp> last_n_start(const TimeRange& range, const Clock& clock) {
    const std::int64_t count = range.count;
    const std::string what =
        "the last " + std::to_string(count) + " " + unit_name(range.unit, count);
    if (count < 1)
        return query_fail("the count in \"" + what + "\" must be at least 1", range.span);
    const auto out_of_range = [&] {
        return query_fail(what + " reach outside " + year_range_text(), range.span);
    };

    if (range.unit == Unit::minute || range.unit == Unit::hour) {
        const Micros unit = range.unit == Unit::minute ? Micros{minutes{1}} : Micros{hours{1}};
        const Timestamp from = clock.now - count * unit;
        if (!in_years(from)) return out_of_range();
        return from;
    }

    const Micros wall = wall_time(clock.now, clock.zone);
    const local_days today{floor<date::days>(wall)};
    const Micros time_of_day = wall - std::chrono::duration_cast<Micros>(today.time_since_epoch());
    std::optional<local_days> day;
    if (range.unit == Unit::day || range.unit == Unit::week) {
        const std::int64_t back = range.unit == Unit::day ? count : 7 * count;
        day = day_numbered(today.time_since_epoch().count() - back);
    } else {
        const date::year_month_day ymd{today};
        const std::int64_t number =
            month_number(ymd) - (range.unit == Unit::month ? count : 12 * count);
        if (month_in_years(number)) {
            const date::year_month_day first{first_of_month(number)};
            const date::year_month_day_last last{first.year(), date::month_day_last{first.month()}};
            const date::day dom = std::min(ymd.day(), last.day());
            day = local_days{first} + date::days{static_cast<int>(static_cast<unsigned>(dom)) - 1};
        }
    }
    if (!day) return out_of_range();
    const Timestamp from = local_to_sys(
        std::chrono::duration_cast<Micros>(day->time_since_epoch()) + time_of_day, clock.zone);
    return from;
}

} // namespace

QueryResult<PointSpan> resolve_point(const TimePoint& point, const Clock& clock,
                                     std::optional<Timestamp> on_or_after) {
    if (!in_years(clock.now))
        return query_fail("now (" + format_utc(clock.now) + ") is outside " + year_range_text(),
                          point.span);
    if (on_or_after && !in_years(*on_or_after))
        return query_fail("the range starts (" + format_utc(*on_or_after) + ") outside " +
                              year_range_text(),
                          point.span);
    const local_days today = local_date(clock.now, clock.zone);
    std::optional<local_days> after;
    if (on_or_after) after = local_date(*on_or_after, clock.zone);

    switch (point.kind) {
    case TimePoint::Kind::instant: {
        if (!in_years(point.instant))
            return query_fail(format_utc(point.instant) + " is outside " + year_range_text(),
                              point.span);
        const Micros length = point.time ? precision_length(point.time->precision) : seconds{1};
        return PointSpan{point.instant, point.instant + length, false};
    }
    case TimePoint::Kind::time_only:
        if (!point.time) return query_fail("expected a time of day", point.span);
        [[fallthrough]];
    case TimePoint::Kind::today:
    case TimePoint::Kind::yesterday:
    case TimePoint::Kind::tomorrow:
    case TimePoint::Kind::weekday:
    case TimePoint::Kind::date: {
        auto day = named_day(point, today, after);
        if (!day) return tl::unexpected(day.error());
        if (point.time) return at_time_of_day(*day, *point.time, point.span, clock.zone);
        return days_span(*day, *day + date::days{1}, clock.zone);
    }
    default:
        break;
    }

    if (point.time)
        return query_fail("a time of day can only be given on a day, not on " + not_a_day(point),
                          point.span);
    if (point.kind == TimePoint::Kind::now)
        return PointSpan{clock.now, clock.now + one_micro, false};
    return calendar_unit(point, clock, today, after);
}

QueryResult<Interval> resolve_range(const TimeRange& range, const Clock& clock) {
    if (range.kind == TimeRange::Kind::last_n) {
        if (!in_years(clock.now))
            return query_fail("now (" + format_utc(clock.now) + ") is outside " + year_range_text(),
                              range.span);
        auto from = last_n_start(range, clock);
        if (!from) return tl::unexpected(from.error());
        return Interval{*from, clock.now};
    }

    auto a = resolve_point(range.a, clock);
    if (!a) return tl::unexpected(a.error());
    switch (range.kind) {
    case TimeRange::Kind::point:
        return Interval{a->start, a->end};
    case TimeRange::Kind::between: {
        auto b = resolve_point(range.b, clock, a->start);
        if (!b) return tl::unexpected(b.error());
        const Timestamp to = b->calendar ? b->end : b->start;
        if (to < a->start)
            return query_fail("the range ends (" + shown(to, clock.zone) + ") before it starts (" +
                                  shown(a->start, clock.zone) + ")",
                              range.span);
        return Interval{a->start, to};
    }
    case TimeRange::Kind::since:
        if (a->start > clock.now)
            return query_fail("the start (" + shown(a->start, clock.zone) + ") is after now (" +
                                  shown(clock.now, clock.zone) + ")",
                              range.a.span);
        return Interval{a->start, clock.now};
    case TimeRange::Kind::until:
        return Interval{std::nullopt, a->calendar ? a->end : a->start};
    case TimeRange::Kind::before:
        return Interval{std::nullopt, a->start};
    case TimeRange::Kind::after:
        return Interval{a->calendar ? a->end : a->start, std::nullopt};
    case TimeRange::Kind::last_n:
        break;
    }
    return query_fail("this time phrase is not supported", range.span);
}

} // namespace asof::query
