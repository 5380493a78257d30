// Writes the timeline as SVG (see svg_timeline.hpp) from the shared layout. Numbers are written
// with a fixed two decimals so the bytes do not depend on the locale or on float printing.
#include "report/svg_timeline.hpp"

#include "report/timeline_layout.hpp"
#include "report/visible_text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

namespace asof::report {

namespace {

constexpr double total_width = 1000;
constexpr double label_width = 150;
constexpr double right_margin = 20;
constexpr double top_margin = 18;
constexpr double legend_row = 16;

std::string num(double v) {
    std::array<char, 32> buffer{};
    int n = std::snprintf(buffer.data(), buffer.size(), "%.2f", std::round(v * 100) / 100);
    std::string s(buffer.data(), static_cast<std::size_t>(std::max(n, 0)));
    if (s == "-0.00") s = "0.00";
    return s;
}

// One <text> element with extra attributes (fixed text) and escaped content.
void text(std::string& out, double x, double y, const char* attributes, std::string_view content) {
    out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" " + attributes + ">";
    append_html_text(out, content);
    out += "</text>";
}

} // namespace

void append_svg_timeline(std::string& out, const Report& report) {
    TimelineMetrics metrics;
    metrics.label_width = label_width;
    metrics.plot_width = total_width - label_width - right_margin;
    metrics.font_size = 11;
    metrics.lane_height = 16;
    metrics.lane_gap = 4;
    metrics.axis_height = 30;
    const TimelineLayout layout = layout_timeline(report, metrics);
    const double left = label_width;
    const double plot_top = top_margin;
    const double plot_bottom = plot_top + layout.plot_height();
    const double legend_top = plot_bottom + metrics.axis_height + 8;
    // The legend's entries, placed left to right and wrapped onto further rows.
    struct LegendEntry {
        double x, y;
        std::string label;
    };
    std::vector<LegendEntry> legend;
    double lx = left, ly = legend_top;
    for (const TimelineLane& lane : layout.lanes) {
        std::string label =
            shortened(visible_text(lane.label), 40) + " (" + std::to_string(lane.events) + ")";
        double w = 14 + 6.5 * static_cast<double>(label.size()) + 12;
        if (lx > left && lx + w > total_width) {
            lx = left;
            ly += legend_row;
        }
        legend.push_back(LegendEntry{lx, ly, std::move(label)});
        lx += w;
    }
    const double caption_y = ly + legend_row + 12;
    const double height = caption_y + 6;
    auto lane_y = [&](std::size_t lane) {
        return plot_top + static_cast<double>(lane) * (metrics.lane_height + metrics.lane_gap);
    };

    out += "<svg class=\"timeline\" viewBox=\"0 0 " + num(total_width) + " " + num(height) +
           "\" role=\"img\" aria-label=\"Timeline of the listed events\" font-family=\"DejaVu "
           "Sans, Verdana, sans-serif\" font-size=\"" +
           num(metrics.font_size) + "\">";
    // The plot's frame and lane backgrounds with the lane names.
    out += "<rect x=\"" + num(left) + "\" y=\"" + num(plot_top) + "\" width=\"" +
           num(metrics.plot_width) + "\" height=\"" + num(layout.plot_height()) +
           "\" fill=\"#fafafa\" stroke=\"#999\" stroke-width=\"0.5\"/>";
    for (std::size_t lane = 0; lane < layout.lanes.size(); ++lane) {
        double y = lane_y(lane);
        text(out, left - 6, y + metrics.lane_height * 0.75, "text-anchor=\"end\"",
             shortened(visible_text(layout.lanes[lane].label), 22));
    }
    // Ticks: a grid line through the lanes and a label below.
    for (const TimelineTick& tick : layout.ticks) {
        double x = left + tick.x;
        out += "<line x1=\"" + num(x) + "\" y1=\"" + num(plot_top) + "\" x2=\"" + num(x) +
               "\" y2=\"" + num(plot_bottom + (tick.major ? 8 : 4)) + "\" stroke=\"" +
               (tick.major ? "#888" : "#ccc") + "\" stroke-width=\"0.5\"/>";
        text(out, x, plot_bottom + 18,
             tick.major ? "text-anchor=\"middle\" font-weight=\"bold\"" : "text-anchor=\"middle\"",
             tick.label);
    }
    // Marks, or density bins whose height shows their count.
    if (!layout.binned) {
        for (const TimelineMark& mark : layout.marks) {
            const ReportEvent& e = report.events[mark.event];
            out += "<rect x=\"" + num(left + mark.x - 1) + "\" y=\"" + num(lane_y(mark.lane)) +
                   "\" width=\"2\" height=\"" + num(metrics.lane_height) + "\" fill=\"" +
                   layout.lanes[mark.lane].colour.hex() + "\"><title>";
            append_html_text(out,
                             e.time_local + "  " + e.stream + "  " + e.type.value_or("(no type)"));
            out += "</title></rect>";
        }
    } else {
        for (const TimelineBin& bin : layout.bins) {
            double fraction = static_cast<double>(bin.count) /
                              static_cast<double>(std::max<std::int64_t>(layout.max_bin_count, 1));
            double h = std::max(1.0, metrics.lane_height * std::sqrt(fraction));
            out += "<rect x=\"" + num(left + bin.x0) + "\" y=\"" +
                   num(lane_y(bin.lane) + metrics.lane_height - h) + "\" width=\"" +
                   num(bin.x1 - bin.x0) + "\" height=\"" + num(h) + "\" fill=\"" +
                   layout.lanes[bin.lane].colour.hex() + "\"/>";
        }
    }
    if (layout.as_of_x) {
        double x = left + *layout.as_of_x;
        out += "<line x1=\"" + num(x) + "\" y1=\"" + num(plot_top - 6) + "\" x2=\"" + num(x) +
               "\" y2=\"" + num(plot_bottom) +
               "\" stroke=\"#c00\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>";
        // Anchored so that the label stays inside the drawing near either end.
        const double fraction = *layout.as_of_x / metrics.plot_width;
        const char* anchor = fraction < 0.15   ? "text-anchor=\"start\" fill=\"#c00\""
                             : fraction > 0.85 ? "text-anchor=\"end\" fill=\"#c00\""
                                               : "text-anchor=\"middle\" fill=\"#c00\"";
        text(out, x, plot_top - 8, anchor, "as of " + report.manifest.as_of_text);
    }
    // The span's ends, and the legend: a swatch and the event count per lane.
    text(out, left, plot_bottom + metrics.axis_height + 2, "fill=\"#555\"", layout.from_label);
    text(out, left + metrics.plot_width, plot_bottom + metrics.axis_height + 2,
         "text-anchor=\"end\" fill=\"#555\"", layout.to_label);
    for (std::size_t i = 0; i < legend.size(); ++i) {
        out += "<rect x=\"" + num(legend[i].x) + "\" y=\"" + num(legend[i].y + 3) +
               "\" width=\"10\" height=\"10\" fill=\"" + layout.lanes[i].colour.hex() + "\"/>";
        text(out, legend[i].x + 14, legend[i].y + 12, "", legend[i].label);
    }
    text(out, left, caption_y, "fill=\"#555\"", layout.caption);
    out += "</svg>";
}

} // namespace asof::report
