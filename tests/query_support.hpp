// Shared helpers for the query tests: a pinned clock in a zone, and a query that must prepare.
#pragma once

#include "query/executor.hpp"

#include <catch2/catch.hpp>

namespace asof::test {

// The clock at `now` (ISO 8601) read in `zone_name`.
inline query::Clock clock_at(const char* zone_name, const char* now) {
    auto zone = find_zone(zone_name);
    REQUIRE(zone.has_value());
    auto at = parse_iso8601(now);
    REQUIRE(at.has_value());
    return query::Clock{at->at, *zone};
}

// Friday 2026-04-17 10:00 in Berlin: the clock of the required examples.
inline query::Clock berlin_friday() {
    return clock_at("Europe/Berlin", "2026-04-17T10:00:00+02:00");
}

// `text` parsed and resolved against `clock`, which must succeed.
inline query::PreparedQuery prepared_ok(std::string_view text, const query::Clock& clock) {
    auto prepared = query::prepare_query(text, clock);
    INFO(text << " -> " << (prepared ? std::string() : prepared.error().message));
    REQUIRE(prepared.has_value());
    return *prepared;
}

} // namespace asof::test
