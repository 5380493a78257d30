// The geometry of a report's timeline, computed once and drawn by both the HTML writer (as SVG)
// and the PDF writer (with cairo): the time span shown, one lane per event type (the most
// frequent types by name, the rest grouped), each event's mark or, for many events, per-lane
// density bins, the ticks of the axis in the report's zone, and the as-of instant.
#pragma once

#include "eventlog/time_axis.hpp"
#include "report/report_model.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asof::report {

struct Rgb {
    double r = 0, g = 0, b = 0; // 0..1
    std::string hex() const;    // "#4e79a7"
};

// Shared drawing constants (in the unit of the drawing: SVG user units or PDF points).
struct TimelineMetrics {
    double label_width = 0; // left of the plot: the lane names
    double plot_width = 0;  // the time axis
    double lane_height = 14;
    double lane_gap = 3;
    double axis_height = 26; // ticks and their labels below the lanes
    double font_size = 8;
};

struct TimelineLane {
    std::string label; // the type ("(no type)" for events without one, "other (N types)")
    Rgb colour;
    std::int64_t events = 0;
};

struct TimelineMark {
    double x = 0; // 0..plot_width
    std::size_t lane = 0;
    std::size_t event = 0; // index into Report::events
};

struct TimelineBin {
    double x0 = 0, x1 = 0;
    std::size_t lane = 0;
    std::int64_t count = 0;
};

struct TimelineTick {
    double x = 0;
    std::string label;
    bool major = false;
};

struct TimelineLayout {
    TimelineMetrics metrics;
    Timestamp from{}, to{};          // the span shown
    std::vector<TimelineLane> lanes; // top to bottom
    bool binned = false;             // density bins instead of one mark per event
    std::vector<TimelineMark> marks;
    std::vector<TimelineBin> bins;
    std::int64_t max_bin_count = 0;
    std::vector<TimelineTick> ticks;
    std::optional<double> as_of_x;    // when the as-of instant lies in the span
    std::string from_label, to_label; // the span's ends in the report's zone
    std::string caption;              // what is shown, in words ("12 events, 3 types, ...")

    double plot_height() const; // the lanes' total height
};

// One mark per event up to this many events; above it, density bins.
inline constexpr std::size_t max_timeline_marks = 2000;
// Lanes at most (the last one groups the remaining types when there are more).
inline constexpr std::size_t max_timeline_lanes = 10;

// Lays the report's events out on a plot `metrics.plot_width` wide. The span is the query's
// interval when it is bounded on both sides, else the events' extent (widened to at least a
// second, and to include the as-of instant). Deterministic.
TimelineLayout layout_timeline(const Report& report, const TimelineMetrics& metrics);

} // namespace asof::report
