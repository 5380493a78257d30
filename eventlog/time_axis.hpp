// Tick marks for a horizontal time axis (the console's timeline and the reports' timelines):
// where to put them and how to label them, adapting from years down to milliseconds as the
// visible interval shrinks, in the zone times are shown in (so ticks fall on local midnights,
// hours, ... across daylight-saving changes). Headless: no drawing here.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace asof {

struct Tick {
    std::int64_t ts = 0; // microseconds since the epoch, UTC
    std::string label;   // short: "2026", "Apr", "Wed 15", "14:00", "14:05:30", ".250"
    bool major = false;  // a boundary of the next coarser unit (year, month, day, ...): drawn
                         // taller, with a fuller label ("Wed 15 Apr 2026", "14:00")
};

// Ticks within [from, to) for an axis `pixels` wide, spaced at least `min_spacing` pixels
// apart, on round boundaries of one unit (1/2/5/10/... years, months, days, hours, minutes,
// seconds, milliseconds) in `zone` (nullptr: UTC). Deterministic; never more than
// pixels / min_spacing + 2 ticks.
std::vector<Tick> axis_ticks(std::int64_t from, std::int64_t to, double pixels, double min_spacing,
                             const date::time_zone* zone);

} // namespace asof
