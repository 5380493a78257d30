// Classifies query words: keywords, weekday and month names, units, numbers, times of day and
// ISO 8601 dates. Matching is ASCII case-insensitive.
#pragma once

#include "query/ast.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace asof::query {

std::string lower_ascii(std::string_view word);

// Words with a meaning in the language; they never name a stream kind.
bool is_keyword(std::string_view word);

// "monday".."sunday" and "mon", "tue", "tues", ...: 0 = Monday .. 6 = Sunday.
std::optional<int> weekday_number(std::string_view word);

// "january".."december" and "jan", "feb", ..., "sept": 1..12.
std::optional<int> month_number(std::string_view word);

// "minute(s)", "min(s)", "hour(s)", "hr(s)", "day(s)", "week(s)", "wk(s)", "month(s)",
// "year(s)", "yr(s)".
std::optional<Unit> unit_word(std::string_view word);

// A decimal integer without sign that fits in int64.
std::optional<std::int64_t> integer_word(std::string_view word);

// A JSON-style number: -12, 3.5, 1e3.
std::optional<double> number_word(std::string_view word);

// "2pm", "2:30pm", "12am", "14:30", "14:30:15", "14:30:15.250". With `meridiem` ("am"/"pm")
// given separately, `word` is the hour part of "2 pm". Nothing for other words; an impossible
// time ("25:00", "13pm") is an error.
QueryResult<std::optional<TimeOfDay>> time_of_day(std::string_view word, Span span,
                                                  std::string_view meridiem = {});

// An ISO 8601 word: "2026-04" (a month), "2026-04-14" (a date), "2026-04-14T10:00" (a date and
// time, read in the query's zone) or with an offset or Z (an instant). Nothing when the word
// does not start like a date ("YYYY-"); an impossible date is an error.
QueryResult<std::optional<TimePoint>> iso_word(std::string_view word, Span span);

} // namespace asof::query
