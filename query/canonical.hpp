// The canonical text of a query: one spelling per meaning (lower-case keywords, filler dropped,
// targets, then the time clause, filters after "where", then the shape). Parsing the canonical
// text gives the same query again.
#pragma once

#include "query/ast.hpp"

#include <string>

namespace asof::query {

std::string canonical_text(const Query& query);

// Pieces, for messages and the replay commands.
std::string canonical_target(const Target& target);
std::string canonical_point(const TimePoint& point);
std::string canonical_range(const TimeRange& range);
std::string canonical_filter(const Filter& filter);
// "type", "actor", "stream", "day", "hour", "week".
std::string count_by_name(CountBy key);

} // namespace asof::query
