// Parses query text into a Query. Clauses may come in any order after optional filler
// ("everything on", "show me", "what happened to"): targets, one time clause, filters (with or
// without "where"), "count by", "newest first", "limit N", "as of T", "changes".
#pragma once

#include "query/ast.hpp"

#include <string_view>

namespace asof::query {

// Nesting of parentheses and "not" deeper than this is refused (no recursion without bound).
inline constexpr int max_query_depth = 64;

// Parses `text`. Errors carry the span at fault and say what was expected there.
QueryResult<Query> parse_query(std::string_view text);

// Parses one time phrase alone ("wednesday 14:00", "2026-04-15", "now").
QueryResult<TimePoint> parse_time_point(std::string_view text);

} // namespace asof::query
