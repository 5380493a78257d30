// The one time type of asof (microseconds since the epoch, UTC) and its parsing and formatting.
// Zones are used only to read human or naive input and to show times; storage is always UTC.
#pragma once

#include "eventlog/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace asof {

using Micros = std::chrono::microseconds;
using Timestamp = std::chrono::sys_time<Micros>;

// A parsed instant, and whether the text carried no zone (then `zone` was used to read it).
struct ParsedTime {
    Timestamp at;
    bool naive = false;
};

// Looks up an IANA zone name ("Europe/Berlin") in the system tz database. Everywhere in asof a
// null zone stands for UTC: "UTC" and "Etc/UTC" give null without reading the tz database.
Result<const date::time_zone*> find_zone(std::string_view name);

// The system's zone ($TZ, else /etc/localtime), falling back to UTC (null when $TZ says UTC).
const date::time_zone* system_zone();

// Reads a wall time in `zone` (microseconds since 1970-01-01 00:00 local; UTC when null): a
// time in a DST gap moves forward by the gap, one in an overlap takes the earlier instant. Both
// amount to using the offset in force just before.
Timestamp local_to_sys(Micros local, const date::time_zone* zone);

// Parses ISO 8601 / RFC 3339: YYYY-MM-DD, optionally followed by 'T' or ' ' and
// hh:mm[:ss[.fraction]] and an optional zone: 'Z', '+hh:mm', '+hhmm' or '+hh'.
// A fraction of up to 9 digits is truncated to microseconds. A text with no zone is naive and
// is read as wall time in `zone` (UTC when null); a wall time that does not exist (DST gap) is
// moved forward by the gap, an ambiguous one (DST overlap) takes the earlier instant.
// Errors say what was expected at which character.
Result<ParsedTime> parse_iso8601(std::string_view text, const date::time_zone* zone = nullptr);

// Reads an epoch number, choosing the unit by magnitude: |v| < 1e11 seconds, < 1e14
// milliseconds, < 1e17 microseconds, else nanoseconds. Fails on NaN, infinities and values
// outside years 0001..9999.
Result<Timestamp> from_epoch(std::int64_t value);
Result<Timestamp> from_epoch(double value);

// Reads a time written as text in a source: digits (optionally signed, with a fraction) are an
// epoch number as from_epoch() reads it; anything else is parse_iso8601() in `zone`, which also
// takes the common "YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]" form. Errors are the reject reason's
// tail ("\"yesterday\"", "expected ... at character 5").
Result<ParsedTime> parse_time_text(std::string_view text, const date::time_zone* zone);

// "2026-04-14T09:12:33Z", with ".123" when the time has whole milliseconds and ".123456"
// otherwise.
std::string format_utc(Timestamp t);

// "2026-04-14 11:12:33 +02:00" in `zone` (fraction as in format_utc).
std::string format_in_zone(Timestamp t, const date::time_zone* zone);

} // namespace asof
