// Computes a report's timeline geometry (see timeline_layout.hpp). Lanes are ranked by event
// count, then name; ticks come from the console's axis_ticks in the report's zone.
#include "report/timeline_layout.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

namespace asof::report {

namespace {

// Tableau 10 without its grey, which marks the grouped "other" lane.
constexpr std::array<unsigned, 9> palette = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F,
                                             0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F};
constexpr unsigned other_colour = 0xBAB0AC;
constexpr double min_tick_spacing = 70;
constexpr double bin_width = 2;
constexpr std::int64_t us_per_s = 1'000'000;

Rgb rgb(unsigned hex) {
    return Rgb{((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0, (hex & 0xFF) / 255.0};
}

std::string with_thousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

// The span shown: the bounded interval, else the events' extent (and the as-of instant).
std::pair<std::int64_t, std::int64_t> span_of(const Report& report) {
    const ReportManifest& m = report.manifest;
    std::optional<std::int64_t> lo, hi;
    for (const ReportEvent& e : report.events) {
        std::int64_t t = e.ts.time_since_epoch().count();
        lo = std::min(lo.value_or(t), t);
        hi = std::max(hi.value_or(t), t);
    }
    if (m.as_of) {
        std::int64_t t = m.as_of->time_since_epoch().count();
        lo = std::min(lo.value_or(t), t);
        hi = std::max(hi.value_or(t), t);
    }
    std::int64_t from = m.from ? m.from->time_since_epoch().count() : lo.value_or(0);
    std::int64_t to = m.to ? m.to->time_since_epoch().count() : hi.value_or(from) + 1;
    if (!m.from || !m.to) {
        // An open side: pad the extent by a twentieth so marks do not sit on the frame.
        std::int64_t pad = std::max<std::int64_t>((to - from) / 20, us_per_s / 2);
        if (!m.from) from -= pad;
        if (!m.to) to += pad;
    }
    if (to - from < us_per_s) to = from + us_per_s;
    return {from, to};
}

} // namespace

std::string Rgb::hex() const {
    auto channel = [](double v) {
        return static_cast<unsigned>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
    };
    std::array<char, 8> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "#%02x%02x%02x", channel(r), channel(g),
                  channel(b));
    return std::string(buffer.data(), 7);
}

double TimelineLayout::plot_height() const {
    auto n = static_cast<double>(std::max<std::size_t>(lanes.size(), 1));
    return n * metrics.lane_height + (n - 1) * metrics.lane_gap;
}

TimelineLayout layout_timeline(const Report& report, const TimelineMetrics& metrics) {
    TimelineLayout layout;
    layout.metrics = metrics;
    const double width = std::max(metrics.plot_width, 1.0);
    auto [from, to] = span_of(report);
    layout.from = Timestamp{Micros{from}};
    layout.to = Timestamp{Micros{to}};
    const double scale = width / static_cast<double>(to - from);
    auto x_of = [&](std::int64_t t) {
        return std::clamp(static_cast<double>(t - from) * scale, 0.0, width);
    };

    // Lanes: the most frequent types first; beyond the limit one grouped lane.
    std::map<std::optional<std::string>, std::int64_t> counts;
    for (const ReportEvent& e : report.events)
        ++counts[e.type];
    std::vector<std::pair<std::optional<std::string>, std::int64_t>> ranked(counts.begin(),
                                                                            counts.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    const bool grouped = ranked.size() > max_timeline_lanes;
    const std::size_t named = grouped ? max_timeline_lanes - 1 : ranked.size();
    std::map<std::optional<std::string>, std::size_t> lane_of;
    for (std::size_t i = 0; i < named; ++i) {
        lane_of[ranked[i].first] = i;
        layout.lanes.push_back(TimelineLane{ranked[i].first.value_or("(no type)"),
                                            rgb(palette[i % palette.size()]), ranked[i].second});
    }
    if (grouped) {
        TimelineLane other{"other (" +
                               with_thousands(static_cast<std::int64_t>(ranked.size() - named)) +
                               " types)",
                           rgb(other_colour), 0};
        for (std::size_t i = named; i < ranked.size(); ++i) {
            lane_of[ranked[i].first] = named;
            other.events += ranked[i].second;
        }
        layout.lanes.push_back(std::move(other));
    }

    const auto n_events = static_cast<std::int64_t>(report.events.size());
    layout.binned = report.events.size() > max_timeline_marks;
    if (!layout.binned) {
        for (std::size_t i = 0; i < report.events.size(); ++i) {
            const ReportEvent& e = report.events[i];
            layout.marks.push_back(
                TimelineMark{x_of(e.ts.time_since_epoch().count()), lane_of[e.type], i});
        }
        layout.caption = n_events == 0
                             ? "No event to show."
                             : with_thousands(n_events) + (n_events == 1 ? " event" : " events") +
                                   ", one mark each, one lane per type";
    } else {
        const auto bins = static_cast<std::size_t>(std::max(1.0, std::floor(width / bin_width)));
        const double step = width / static_cast<double>(bins);
        std::vector<std::int64_t> cells(bins * layout.lanes.size(), 0);
        for (const ReportEvent& e : report.events) {
            double x = x_of(e.ts.time_since_epoch().count());
            auto bin = std::min(static_cast<std::size_t>(x / step), bins - 1);
            ++cells[lane_of[e.type] * bins + bin];
        }
        for (std::size_t lane = 0; lane < layout.lanes.size(); ++lane)
            for (std::size_t bin = 0; bin < bins; ++bin) {
                std::int64_t count = cells[lane * bins + bin];
                if (count == 0) continue;
                double x0 = static_cast<double>(bin) * step;
                layout.bins.push_back(TimelineBin{x0, x0 + step, lane, count});
                layout.max_bin_count = std::max(layout.max_bin_count, count);
            }
        layout.caption = with_thousands(n_events) + " events in " +
                         with_thousands(static_cast<std::int64_t>(bins)) +
                         " time bins per lane; bar height shows the events in a bin (largest " +
                         with_thousands(layout.max_bin_count) + ")";
    }

    const date::time_zone* zone = nullptr;
    if (auto found = find_zone(report.manifest.zone)) zone = *found;
    layout.from_label = format_in_zone(layout.from, zone);
    layout.to_label = format_in_zone(layout.to, zone);
    for (Tick& tick : axis_ticks(from, to, width, min_tick_spacing, zone))
        layout.ticks.push_back(TimelineTick{x_of(tick.ts), std::move(tick.label), tick.major});

    if (report.manifest.as_of) {
        std::int64_t t = report.manifest.as_of->time_since_epoch().count();
        if (t >= from && t <= to) layout.as_of_x = x_of(t);
    }
    return layout;
}

} // namespace asof::report
