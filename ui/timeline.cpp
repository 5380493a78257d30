// The timeline panel (see timeline.hpp): the view's mapping between instants and pixels, the
// mouse and keyboard state machine, and the drawing of the axis, the density strip, the marks
// (one per event, or one run per lane and pixel column when there are too many), the cursors,
// bookmarks, legend and tooltip. Every loop is bounded by pixels or by the marks in view.
#include "ui/timeline.hpp"

#include "eventlog/time.hpp"
#include "eventlog/time_axis.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace asof::ui {

namespace {

using query::ResultRow;
using query::ResultSet;
using timeline_detail::Lanes;
using timeline_detail::Layout;

constexpr std::int64_t us_per_ms = 1'000;
constexpr std::int64_t us_per_s = 1'000'000;
constexpr std::int64_t min_span = us_per_ms;                     // the closest zoom: 1 ms
constexpr std::int64_t max_span = 200LL * 31'556'952 * us_per_s; // the widest: 200 years
constexpr std::int64_t earliest = -62'135'596'800LL * us_per_s;  // 0001-01-01T00:00Z
constexpr std::int64_t latest = 253'402'300'800LL * us_per_s;    // 10000-01-01T00:00Z
constexpr int max_lanes = 13;                                    // 12 types and "(no type)"
constexpr int max_lane_groups = 12;        // more streams or types than this: a single lane
constexpr float pick_radius = 4.0f;        // px: how near a click or the pointer must be to a mark
constexpr float cursor_grab = 5.0f;        // px: how near a press must be to a cursor to drag it
constexpr std::size_t scan_limit = 256;    // rows examined on each side when picking a mark
constexpr std::size_t column_samples = 16; // rows sampled per aggregated pixel column
constexpr double zoom_per_notch = 0.8;     // span factor per wheel notch towards the user

// Colours for the first type indexes: medium lightness and saturation, so that each reads on
// both the dark and the light ImGui themes (Tableau 10, with a darker gold and tab10's pink and
// cyan in place of the pale yellow, pink and grey).
constexpr std::array<ImU32, 10> palette = {
    IM_COL32(78, 121, 167, 255),  // blue
    IM_COL32(242, 142, 43, 255),  // orange
    IM_COL32(89, 161, 79, 255),   // green
    IM_COL32(225, 87, 89, 255),   // red
    IM_COL32(176, 122, 161, 255), // purple
    IM_COL32(118, 183, 178, 255), // teal
    IM_COL32(212, 167, 44, 255),  // gold
    IM_COL32(227, 119, 194, 255), // pink
    IM_COL32(156, 117, 95, 255),  // brown
    IM_COL32(23, 190, 207, 255),  // cyan
};
constexpr ImU32 no_type_colour = IM_COL32(140, 140, 140, 255);

ImU32 with_alpha(ImU32 colour, float alpha) {
    auto a = static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f);
    return (colour & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

ImU32 style_colour(ImGuiCol which, float alpha = 1.0f) {
    return ImGui::GetColorU32(which, alpha);
}

// The mapping between instants and screen x for the visible interval [from, to).
struct View {
    std::int64_t from = 0, to = 1;
    float left = 0, width = 1;

    double us_per_px() const { return static_cast<double>(to - from) / width; }
    float x_of(std::int64_t ts) const {
        return left + static_cast<float>(static_cast<double>(ts - from) / us_per_px());
    }
    std::int64_t at(float x) const {
        return from + std::llround(static_cast<double>(x - left) * us_per_px());
    }
    bool shows(std::int64_t ts) const { return ts >= from && ts < to; }
};

std::int64_t clamp_instant(std::int64_t ts) {
    return std::clamp(ts, earliest, latest - 1);
}

// Sets the view to [from, from + span), the span clamped to [1 ms, 200 years] and the interval
// kept inside years 0001..9999.
void set_view(TimelineState& state, double from, double span) {
    span = std::clamp(span, static_cast<double>(min_span), static_cast<double>(max_span));
    from = std::clamp(from, static_cast<double>(earliest), static_cast<double>(latest) - span);
    state.view_from = std::llround(from);
    state.view_to = state.view_from + std::llround(span);
}

// Fits the view to the results' first and last instants with a 2% margin at the right and
// `left_share` of the width at the left (room for the lane labels, which would hide the first
// marks); a minute around a single instant.
void fit(TimelineState& state, const ResultSet& results, double left_share) {
    const std::int64_t first = results.rows.front().ts, last = results.rows.back().ts;
    if (last - first < min_span) {
        set_view(state, static_cast<double>(first) - 30.0 * us_per_s, 60.0 * us_per_s);
        return;
    }
    left_share = std::clamp(left_share, 0.02, 0.4);
    const double total = static_cast<double>(last - first) / (1.0 - left_share - 0.02);
    set_view(state, static_cast<double>(first) - total * left_share, total);
}

// Zooms by `notches` of the wheel (positive: closer) keeping the instant at screen x fixed.
void zoom(TimelineState& state, const View& view, float x, float notches) {
    const double offset = static_cast<double>(x - view.left);
    const double at = static_cast<double>(view.from) + offset * view.us_per_px();
    const double span =
        static_cast<double>(view.to - view.from) * std::pow(zoom_per_notch, notches);
    const double clamped =
        std::clamp(span, static_cast<double>(min_span), static_cast<double>(max_span));
    set_view(state, at - offset * clamped / view.width, clamped);
}

// The index of the mark nearest to screen x within pick_radius in `lane` (-1: any lane), looking
// at no more than scan_limit rows on each side of the pointer's instant.
std::optional<std::size_t> nearest_mark(const ResultSet& results, const View& view,
                                        const Lanes& lanes, int lane, float x) {
    const std::size_t middle = results.lower_bound(view.at(x));
    std::optional<std::size_t> best;
    float best_distance = pick_radius + 0.001f;
    auto consider = [&](std::size_t i) {
        const ResultRow& row = results.rows[i];
        if (lane >= 0 && timeline_detail::lane_of(lanes, row) != lane) return;
        float distance = std::fabs(view.x_of(row.ts) - x);
        if (distance < best_distance) {
            best_distance = distance;
            best = i;
        }
    };
    for (std::size_t i = middle, n = 0; i < results.rows.size() && n < scan_limit; ++i, ++n) {
        if (view.x_of(results.rows[i].ts) - x > pick_radius) break;
        consider(i);
    }
    for (std::size_t i = middle, n = 0; i > 0 && n < scan_limit; --i, ++n) {
        if (x - view.x_of(results.rows[i - 1].ts) > pick_radius) break;
        consider(i - 1);
    }
    return best;
}

// What was drawn for the marks this frame, for the tooltip: the per-column counts when the marks
// were aggregated (empty otherwise).
struct MarksDrawn {
    bool aggregated = false;
    std::vector<std::int64_t> column_counts;
    float column_width = 1;
};

void draw_axis(ImDrawList* draw, const View& view, const Layout& layout,
               const date::time_zone* zone) {
    const float axis_bottom = layout.density_top;
    draw->AddRectFilled(ImVec2(layout.left, layout.axis_top),
                        ImVec2(layout.left + layout.width, axis_bottom),
                        style_colour(ImGuiCol_TableHeaderBg));
    const float spacing = ImGui::CalcTextSize("00:00:00").x + 14.0f;
    const std::vector<Tick> ticks = axis_ticks(view.from, view.to, layout.width, spacing, zone);
    for (const Tick& tick : ticks) {
        const float x = std::floor(view.x_of(tick.ts)) + 0.5f;
        draw->AddLine(ImVec2(x, axis_bottom - (tick.major ? 9.0f : 5.0f)), ImVec2(x, axis_bottom),
                      style_colour(ImGuiCol_Text, tick.major ? 0.8f : 0.5f));
        draw->AddLine(ImVec2(x, axis_bottom), ImVec2(x, layout.footer_top),
                      style_colour(ImGuiCol_Text, tick.major ? 0.14f : 0.06f));
    }
    // Labels right of their tick, major ones first; a label that would overlap one already
    // placed is left out.
    std::vector<std::pair<float, float>> placed;
    placed.reserve(ticks.size());
    for (bool major : {true, false})
        for (const Tick& tick : ticks) {
            if (tick.major != major) continue;
            const float x = view.x_of(tick.ts) + 3.0f;
            const float w = ImGui::CalcTextSize(tick.label.c_str()).x;
            bool overlaps = std::any_of(placed.begin(), placed.end(), [&](const auto& span) {
                return x < span.second + 6.0f && span.first < x + w + 6.0f;
            });
            if (overlaps) continue;
            placed.emplace_back(x, x + w);
            draw->AddText(ImVec2(x, layout.axis_top + 2.0f),
                          style_colour(major ? ImGuiCol_Text : ImGuiCol_TextDisabled),
                          tick.label.c_str());
        }
}

void draw_density(ImDrawList* draw, const View& view, const Layout& layout,
                  const ResultSet& results) {
    const std::size_t bins = timeline_detail::density_bins(layout.width);
    const std::vector<std::int64_t> counts = results.density(view.from, view.to, bins);
    const std::int64_t most = *std::max_element(counts.begin(), counts.end());
    if (most == 0) return;
    const float bottom = layout.marks_top - 1.0f;
    const float room = bottom - layout.density_top - 2.0f;
    const float bin_width = layout.width / static_cast<float>(bins);
    const ImU32 colour = style_colour(ImGuiCol_PlotHistogram, 0.85f);
    for (std::size_t i = 0; i < bins; ++i) {
        if (counts[i] == 0) continue;
        const float h =
            std::max(2.0f, room * static_cast<float>(counts[i]) / static_cast<float>(most));
        const float x = layout.left + bin_width * static_cast<float>(i);
        draw->AddRectFilled(ImVec2(x, bottom - h),
                            ImVec2(x + std::max(1.0f, bin_width - 0.5f), bottom), colour);
    }
}

void draw_lane_backgrounds(ImDrawList* draw, const Layout& layout) {
    for (int lane = 0; lane < layout.lanes; ++lane) {
        if (lane % 2 == 0) continue;
        const float top = layout.marks_top + layout.lane_height() * static_cast<float>(lane);
        draw->AddRectFilled(ImVec2(layout.left, top),
                            ImVec2(layout.left + layout.width, top + layout.lane_height()),
                            style_colour(ImGuiCol_TableRowBgAlt));
    }
}

const char* lane_label(const Lanes& lanes, int lane, const ResultSet& results) {
    switch (lanes.by) {
    case Lanes::By::stream: {
        const std::string& name = results.streams()[static_cast<std::size_t>(lane)];
        return name.empty() ? "?" : name.c_str();
    }
    case Lanes::By::type:
        return lanes.is_untyped(lane) ? "(no type)"
                                      : results.types()[static_cast<std::size_t>(lane)].c_str();
    default:
        return nullptr;
    }
}

// The width the lane labels take from the left edge of the marks, in pixels (0 without labels).
float lane_labels_width(const Layout& layout, const Lanes& lanes, const ResultSet& results) {
    if (lanes.by == Lanes::By::none || layout.lane_height() < ImGui::GetTextLineHeight()) return 0;
    float widest = 0;
    for (int lane = 0; lane < layout.lanes; ++lane)
        widest = std::max(widest, ImGui::CalcTextSize(lane_label(lanes, lane, results)).x);
    return 2.0f + std::min(widest, layout.width * 0.3f) + 6.0f;
}

void draw_lane_labels(ImDrawList* draw, const Layout& layout, const Lanes& lanes,
                      const ResultSet& results) {
    if (lanes.by == Lanes::By::none) return;
    const float line = ImGui::GetTextLineHeight();
    if (layout.lane_height() < line) return;
    const float max_width = layout.width * 0.3f;
    for (int lane = 0; lane < layout.lanes; ++lane) {
        const char* label = lane_label(lanes, lane, results);
        const float top = layout.marks_top + layout.lane_height() * static_cast<float>(lane);
        const float w = std::min(ImGui::CalcTextSize(label).x, max_width);
        const ImVec2 min(layout.left + 2.0f, top + 1.0f), max(min.x + w + 6.0f, min.y + line);
        draw->AddRectFilled(min, max, style_colour(ImGuiCol_WindowBg, 0.75f), 2.0f);
        draw->PushClipRect(min, max, true);
        draw->AddText(ImVec2(min.x + 3.0f, min.y), style_colour(ImGuiCol_Text, 0.85f), label);
        draw->PopClipRect();
    }
}

// One mark per event in view: diamonds when they are sparse (under one per 8 pixels), else
// thin vertical ticks.
void draw_marks(ImDrawList* draw, const View& view, const Layout& layout, const Lanes& lanes,
                const ResultSet& results, std::size_t first, std::size_t last) {
    const bool sparse = static_cast<float>(last - first) * 8.0f < layout.width;
    const float half = std::max(2.0f, std::min(layout.lane_height() * 0.32f, 12.0f));
    const float radius = std::min(half, 5.0f);
    for (std::size_t i = first; i < last; ++i) {
        const ResultRow& row = results.rows[i];
        const float x = view.x_of(row.ts);
        const float y = layout.lane_centre(timeline_detail::lane_of(lanes, row));
        const ImU32 colour = type_colour(row.type);
        if (sparse)
            draw->AddQuadFilled(ImVec2(x, y - radius), ImVec2(x + radius, y), ImVec2(x, y + radius),
                                ImVec2(x - radius, y), colour);
        else
            draw->AddRectFilled(ImVec2(x - 1.0f, y - half), ImVec2(x + 1.0f, y + half), colour);
    }
}

// One bar per lane and pixel column with the events in that column, sampled (at most
// column_samples rows per column) to split the column's count between lanes and to find each
// lane's commonest type, which gives the colour; the share sets the opacity on a log scale.
// Adjacent columns of one lane with the same colour merge into one rectangle.
MarksDrawn draw_aggregates(ImDrawList* draw, const View& view, const Layout& layout,
                           const Lanes& lanes, const ResultSet& results, std::size_t first) {
    MarksDrawn out;
    out.aggregated = true;
    const auto columns = static_cast<std::size_t>(std::max(1.0f, std::floor(layout.width)));
    out.column_width = layout.width / static_cast<float>(columns);
    out.column_counts = results.density(view.from, view.to, columns);
    const std::int64_t most = *std::max_element(out.column_counts.begin(), out.column_counts.end());
    const double log_most = std::log1p(static_cast<double>(std::max<std::int64_t>(most, 1)));
    const float half = std::max(2.0f, layout.lane_height() * 0.35f);

    struct Run {
        float x0 = 0, x1 = 0;
        ImU32 colour = 0;
    };
    std::array<Run, max_lanes> runs{};
    auto flush = [&](int lane) {
        Run& run = runs[static_cast<std::size_t>(lane)];
        if (run.x1 > run.x0) {
            const float y = layout.lane_centre(lane);
            draw->AddRectFilled(ImVec2(run.x0, y - half), ImVec2(run.x1, y + half), run.colour);
        }
        run = Run{};
    };

    std::size_t begin = first;
    for (std::size_t column = 0; column < columns; ++column) {
        const std::int64_t count = out.column_counts[column];
        const std::size_t start = begin;
        begin += static_cast<std::size_t>(count);
        if (count == 0) continue;
        const auto n = static_cast<std::size_t>(count);
        const std::size_t samples = std::min(n, column_samples);
        std::array<int, max_lanes> tally{};
        std::array<std::int32_t, max_lanes> type{};
        std::array<int, max_lanes> votes{};
        for (std::size_t k = 0; k < samples; ++k) {
            const ResultRow& row = results.rows[start + k * n / samples];
            const auto lane = static_cast<std::size_t>(timeline_detail::lane_of(lanes, row));
            ++tally[lane];
            // Boyer-Moore majority vote for the lane's commonest type.
            if (votes[lane] == 0) type[lane] = row.type;
            votes[lane] += type[lane] == row.type ? 1 : -1;
        }
        const float x0 = layout.left + out.column_width * static_cast<float>(column);
        const float x1 = x0 + out.column_width;
        for (int lane = 0; lane < layout.lanes; ++lane) {
            const auto l = static_cast<std::size_t>(lane);
            if (tally[l] == 0) continue;
            const double share =
                static_cast<double>(count) * tally[l] / static_cast<double>(samples);
            const double level = std::log1p(share) / log_most;
            const float alpha =
                std::round((0.35f + 0.65f * static_cast<float>(level)) * 8.0f) / 8.0f;
            const std::int32_t colour_type =
                lanes.by == Lanes::By::type ? (lanes.is_untyped(lane) ? -1 : lane) : type[l];
            const ImU32 colour = with_alpha(type_colour(colour_type), alpha);
            Run& run = runs[l];
            if (run.colour == colour && std::fabs(run.x1 - x0) < 0.01f) {
                run.x1 = x1;
                continue;
            }
            flush(lane);
            runs[l] = Run{x0, x1, colour};
        }
    }
    for (int lane = 0; lane < layout.lanes; ++lane)
        flush(lane);
    return out;
}

// A box with `text` at (x, y), moved left of x when it would cross the panel's right edge.
void draw_tag(ImDrawList* draw, const Layout& layout, float x, float y, const char* text,
              ImU32 background, ImU32 foreground) {
    const ImVec2 size = ImGui::CalcTextSize(text);
    float left = x + 4.0f;
    if (left + size.x + 6.0f > layout.left + layout.width) left = x - 4.0f - size.x - 6.0f;
    draw->AddRectFilled(ImVec2(left, y), ImVec2(left + size.x + 6.0f, y + size.y), background,
                        2.0f);
    draw->AddText(ImVec2(left + 3.0f, y), foreground, text);
}

void draw_range_band(ImDrawList* draw, const Layout& layout, float x0, float x1) {
    const ImVec2 min(std::min(x0, x1), layout.density_top),
        max(std::max(x0, x1), layout.footer_top);
    draw->AddRectFilled(min, max, style_colour(ImGuiCol_TextSelectedBg));
    draw->AddLine(ImVec2(min.x, min.y), ImVec2(min.x, max.y), style_colour(ImGuiCol_NavHighlight));
    draw->AddLine(ImVec2(max.x, min.y), ImVec2(max.x, max.y), style_colour(ImGuiCol_NavHighlight));
}

void draw_bookmarks(ImDrawList* draw, const View& view, const Layout& layout,
                    const std::vector<std::int64_t>& bookmarks) {
    const ImU32 colour = style_colour(ImGuiCol_PlotHistogramHovered);
    for (std::int64_t at : bookmarks) {
        if (!view.shows(at)) continue;
        const float x = std::floor(view.x_of(at)) + 0.5f;
        const float top = layout.density_top + 1.0f;
        draw->AddLine(ImVec2(x, top), ImVec2(x, layout.marks_top), colour, 1.5f);
        draw->AddTriangleFilled(ImVec2(x, top), ImVec2(x + 7.0f, top + 3.5f), ImVec2(x, top + 7.0f),
                                colour);
    }
}

// The middle of the attribute changes' strip, under the lanes.
float attribute_row(const Layout& layout) {
    return (layout.attributes_top + layout.footer_top) * 0.5f;
}

void draw_attribute_changes(ImDrawList* draw, const View& view, const Layout& layout,
                            const std::vector<AttributeMark>& changes) {
    const ImU32 colour = style_colour(ImGuiCol_Text, 0.8f);
    const float y = attribute_row(layout);
    auto first =
        std::lower_bound(changes.begin(), changes.end(), view.from,
                         [](const AttributeMark& mark, std::int64_t at) { return mark.ts < at; });
    float last_x = -1e9f;
    for (auto it = first; it != changes.end() && view.shows(it->ts); ++it) {
        const float x = std::floor(view.x_of(it->ts)) + 0.5f;
        if (x - last_x < 2.0f) continue; // one diamond per couple of pixels
        last_x = x;
        draw->AddQuad(ImVec2(x, y - 4.0f), ImVec2(x + 4.0f, y), ImVec2(x, y + 4.0f),
                      ImVec2(x - 4.0f, y), colour, 1.2f);
    }
}

// The attribute change nearest the pointer at `x` (within a few pixels), if any.
const AttributeMark* attribute_change_at(const View& view,
                                         const std::vector<AttributeMark>& changes, float x) {
    const AttributeMark* best = nullptr;
    float best_distance = 5.0f;
    for (const AttributeMark& mark : changes) { // hover only: a stream's own attribute values
        if (!view.shows(mark.ts)) continue;
        const float distance = std::fabs(view.x_of(mark.ts) - x);
        if (distance <= best_distance) best = &mark, best_distance = distance;
    }
    return best;
}

void draw_cursor_b(ImDrawList* draw, const View& view, const Layout& layout, std::int64_t at) {
    if (!view.shows(at)) return;
    const float x = std::floor(view.x_of(at)) + 0.5f;
    const ImU32 colour = style_colour(ImGuiCol_PlotLinesHovered);
    for (float y = layout.axis_top; y < layout.footer_top; y += 7.0f)
        draw->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 4.0f, layout.footer_top)), colour, 1.5f);
    draw_tag(draw, layout, x, layout.marks_top + 2.0f, "B", colour, IM_COL32(0, 0, 0, 255));
}

void draw_cursor_a(ImDrawList* draw, const View& view, const Layout& layout, std::int64_t at,
                   const date::time_zone* zone) {
    if (!view.shows(at)) return;
    const float x = std::floor(view.x_of(at)) + 0.5f;
    const ImU32 colour = style_colour(ImGuiCol_Text);
    draw->AddLine(ImVec2(x, layout.axis_top), ImVec2(x, layout.footer_top), colour, 1.5f);
    draw->AddTriangleFilled(ImVec2(x - 6.0f, layout.axis_top), ImVec2(x + 6.0f, layout.axis_top),
                            ImVec2(x, layout.axis_top + 8.0f), colour);
    const std::string label = format_in_zone(Timestamp{Micros{at}}, zone);
    draw_tag(draw, layout, x, layout.marks_top + 2.0f + ImGui::GetTextLineHeight(), label.c_str(),
             style_colour(ImGuiCol_PopupBg, 0.9f), colour);
}

void draw_selected(ImDrawList* draw, const View& view, const Layout& layout, const Lanes& lanes,
                   const ResultSet& results, std::optional<std::int64_t> seq) {
    if (!seq) return;
    const std::optional<std::size_t> index = results.find_seq(*seq);
    if (!index) return;
    const ResultRow& row = results.rows[*index];
    if (!view.shows(row.ts)) return;
    const ImVec2 centre(view.x_of(row.ts),
                        layout.lane_centre(timeline_detail::lane_of(lanes, row)));
    draw->AddCircle(centre, 7.0f, style_colour(ImGuiCol_Text), 16, 2.0f);
}

// The footer: the view's first instant at the left, its end at the right, and the legend of
// types between them, cut short with "+N" when it does not fit.
void draw_footer(ImDrawList* draw, const View& view, const Layout& layout, const ResultSet* results,
                 const date::time_zone* zone) {
    draw->AddRectFilled(ImVec2(layout.left, layout.footer_top),
                        ImVec2(layout.left + layout.width, layout.bottom),
                        style_colour(ImGuiCol_TableHeaderBg));
    const float y = layout.footer_top + 3.0f;
    const std::string from = format_in_zone(Timestamp{Micros{view.from}}, zone);
    const std::string to = format_in_zone(Timestamp{Micros{view.to}}, zone);
    const ImU32 dim = style_colour(ImGuiCol_TextDisabled);
    draw->AddText(ImVec2(layout.left + 4.0f, y), dim, from.c_str());
    const float from_end = layout.left + 4.0f + ImGui::CalcTextSize(from.c_str()).x;
    float to_x = layout.left + layout.width - 4.0f - ImGui::CalcTextSize(to.c_str()).x;
    if (to_x >= from_end + 8.0f)
        draw->AddText(ImVec2(to_x, y), dim, to.c_str());
    else
        to_x = layout.left + layout.width; // too narrow for both times: the start only
    if (results == nullptr) return;
    float x = layout.left + 4.0f + ImGui::CalcTextSize(from.c_str()).x + 16.0f;
    const float limit = to_x - 16.0f;
    const float swatch = ImGui::GetTextLineHeight() * 0.6f;
    const std::vector<std::string>& types = results->types();
    for (std::size_t i = 0; i < types.size(); ++i) {
        const float w = swatch + 4.0f + ImGui::CalcTextSize(types[i].c_str()).x + 12.0f;
        if (x + w > limit) {
            char more[32];
            std::snprintf(more, sizeof more, "+%zu", types.size() - i);
            if (x + ImGui::CalcTextSize(more).x <= limit + 16.0f)
                draw->AddText(ImVec2(x, y), dim, more);
            break;
        }
        const float top = y + (ImGui::GetTextLineHeight() - swatch) * 0.5f;
        draw->AddRectFilled(ImVec2(x, top), ImVec2(x + swatch, top + swatch),
                            type_colour(static_cast<std::int32_t>(i)), 2.0f);
        draw->AddText(ImVec2(x + swatch + 4.0f, y), style_colour(ImGuiCol_Text), types[i].c_str());
        x += w;
    }
}

void mark_tooltip(const ResultSet& results, const ResultRow& row, const date::time_zone* zone) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(format_in_zone(Timestamp{Micros{row.ts}}, zone).c_str());
    const std::string* type = results.type_name(row);
    ImGui::Text("type     %s", type ? type->c_str() : "(none)");
    ImGui::Text("stream   %s", results.stream_name(row).c_str());
    if (row.version >= 0) ImGui::Text("version  %lld", static_cast<long long>(row.version));
    if (const std::string* actor = results.actor_name(row))
        ImGui::Text("actor    %s", actor->c_str());
    ImGui::TextDisabled("seq %lld", static_cast<long long>(row.seq));
    ImGui::EndTooltip();
}

void column_tooltip(const View& view, const MarksDrawn& marks, float x,
                    const date::time_zone* zone) {
    const auto column =
        static_cast<std::size_t>(std::max(0.0f, (x - view.left) / marks.column_width));
    if (column >= marks.column_counts.size()) return;
    const float x0 = view.left + marks.column_width * static_cast<float>(column);
    ImGui::BeginTooltip();
    ImGui::Text("%lld events", static_cast<long long>(marks.column_counts[column]));
    ImGui::TextDisabled("from %s", format_in_zone(Timestamp{Micros{view.at(x0)}}, zone).c_str());
    ImGui::TextDisabled(
        "to   %s",
        format_in_zone(Timestamp{Micros{view.at(x0 + marks.column_width)}}, zone).c_str());
    ImGui::EndTooltip();
}

} // namespace

namespace timeline_detail {

Lanes choose_lanes(const query::ResultSet* results) {
    if (results == nullptr) return {};
    const auto streams = results->streams().size();
    if (streams >= 2 && streams <= max_lane_groups)
        return Lanes{Lanes::By::stream, static_cast<int>(streams)};
    const auto types = results->types().size();
    if (types >= 2 && types <= max_lane_groups) {
        const bool untyped = results->untyped_rows() > 0;
        return Lanes{Lanes::By::type, static_cast<int>(types) + (untyped ? 1 : 0), untyped};
    }
    return {};
}

int lane_of(const Lanes& lanes, const query::ResultRow& row) {
    switch (lanes.by) {
    case Lanes::By::stream:
        return std::clamp(row.stream, 0, lanes.count - 1);
    case Lanes::By::type:
        return row.type >= 0 && row.type < lanes.count && !lanes.is_untyped(row.type)
                   ? row.type
                   : lanes.count - 1;
    default:
        return 0;
    }
}

float Layout::lane_centre(int lane) const {
    return marks_top + lane_height() * (static_cast<float>(lane) + 0.5f);
}

int Layout::lane_at(float y) const {
    if (y < marks_top || y >= attributes_top) return -1;
    return std::min(static_cast<int>((y - marks_top) / lane_height()), lanes - 1);
}

Layout make_layout(float left, float top, float width, float height, float line_height, int lanes,
                   bool attribute_strip) {
    Layout layout;
    layout.left = left;
    layout.width = std::max(width, 1.0f);
    layout.lanes = std::clamp(lanes, 1, max_lanes);
    layout.axis_top = top;
    layout.density_top = top + line_height + 10.0f;
    layout.marks_top = layout.density_top + std::clamp(height * 0.15f, 12.0f, 40.0f);
    layout.bottom = std::max(top + height, layout.marks_top + 8.0f + line_height + 6.0f);
    layout.footer_top = layout.bottom - (line_height + 6.0f);
    layout.attributes_top = attribute_strip
                                ? std::max(layout.marks_top + 8.0f, layout.footer_top - 12.0f)
                                : layout.footer_top;
    return layout;
}

bool aggregates(std::size_t marks_in_view, float width) {
    return static_cast<double>(marks_in_view) > 2.0 * std::max(1.0, static_cast<double>(width));
}

std::size_t density_bins(float width) {
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::max(0.0f, width) / 2.0f));
}

} // namespace timeline_detail

unsigned int type_colour(std::int32_t type) {
    if (type < 0) return no_type_colour;
    if (static_cast<std::size_t>(type) < palette.size())
        return palette[static_cast<std::size_t>(type)];
    // Further types: hues a golden angle apart, at the palette's lightness.
    const float hue = std::fmod(static_cast<float>(type) * 0.618034f, 1.0f);
    float r = 0, g = 0, b = 0;
    ImGui::ColorConvertHSVtoRGB(hue, 0.55f, 0.80f, r, g, b);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, 1.0f));
}

void draw_timeline(TimelineState& state, const TimelineInput& input, TimelineOutput& output,
                   float height) {
    output = TimelineOutput{};
    ImGuiIO& io = ImGui::GetIO();
    const ResultSet* results = input.results;
    const bool has_rows = results != nullptr && !results->rows.empty();

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 size(std::max(avail.x, 1.0f), std::max(height > 0.0f ? height : avail.y, 1.0f));
    const Lanes lanes = timeline_detail::choose_lanes(results);
    const bool attribute_strip = input.attribute_changes && !input.attribute_changes->empty();
    const Layout layout =
        timeline_detail::make_layout(origin.x, origin.y, size.x, size.y, ImGui::GetTextLineHeight(),
                                     lanes.count, attribute_strip);

    ImGui::InvisibleButton("##timeline", size,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool hovered = ImGui::IsItemHovered();
    const bool active = ImGui::IsItemActive();
    // The wheel zooms the panel rather than scrolling the window around it.
    if (hovered) ImGui::GetCurrentContext()->HoveredIdUsingMouseWheel = true;
    if (active) ImGui::GetCurrentContext()->ActiveIdUsingMouseWheel = true;

    // Fitting leaves the lane labels their room, plus a few pixels.
    auto label_share = [&] {
        return (lane_labels_width(layout, lanes, *results) + 6.0) / layout.width;
    };
    if (has_rows && state.fit_requested) {
        fit(state, *results, label_share());
        state.fit_requested = false;
    }
    if (state.view_to <= state.view_from)
        set_view(state, static_cast<double>(input.cursor_a) - 12.0 * 3600 * us_per_s,
                 24.0 * 3600 * us_per_s);
    auto view = [&] { return View{state.view_from, state.view_to, layout.left, layout.width}; };
    const float mx = io.MousePos.x;

    // Keys and wheel, only while the pointer is over the panel.
    if (hovered && !io.WantTextInput && !io.KeyCtrl) {
        if (has_rows && ImGui::IsKeyPressed('F', false)) fit(state, *results, label_share());
        if (ImGui::IsKeyPressed('B', false)) output.bookmark = true;
    }
    if (hovered && io.MouseWheel != 0.0f) zoom(state, view(), mx, io.MouseWheel);

    // Press: decide what the drag does.
    if (ImGui::IsItemActivated()) {
        const View v = view();
        const bool left = io.MouseClicked[0];
        state.drag_anchor_x = mx;
        auto near = [&](std::int64_t at) {
            return v.shows(at) && std::fabs(v.x_of(at) - mx) <= cursor_grab;
        };
        if (left && io.KeyShift) {
            state.drag = TimelineState::Drag::range;
            state.drag_anchor = v.at(mx);
        } else if (left && near(input.cursor_a)) {
            state.drag = TimelineState::Drag::cursor_a;
            state.drag_anchor = input.cursor_a;
        } else if (left && input.cursor_b && near(*input.cursor_b)) {
            state.drag = TimelineState::Drag::cursor_b;
            state.drag_anchor = *input.cursor_b;
        } else {
            state.drag = TimelineState::Drag::pan;
            state.drag_anchor = v.at(mx);
        }
    }
    // Moving a cursor keeps the offset between the pointer and the cursor from the press.
    auto dragged_cursor = [&] {
        const double moved = static_cast<double>(mx) - state.drag_anchor_x;
        return clamp_instant(state.drag_anchor + std::llround(moved * view().us_per_px()));
    };
    if (active) {
        const int button = io.MouseDown[0] ? 0 : 1;
        switch (state.drag) {
        case TimelineState::Drag::pan:
            if (ImGui::IsMouseDragging(button))
                set_view(state,
                         static_cast<double>(state.drag_anchor) -
                             static_cast<double>(mx - layout.left) * view().us_per_px(),
                         static_cast<double>(state.view_to - state.view_from));
            break;
        case TimelineState::Drag::cursor_a:
            if (io.MouseDragMaxDistanceSqr[0] > 0.0f) output.cursor_a = dragged_cursor();
            break;
        case TimelineState::Drag::cursor_b:
            if (io.MouseDragMaxDistanceSqr[0] > 0.0f) output.cursor_b = dragged_cursor();
            break;
        default:
            break;
        }
    }

    const View v = view();
    const std::size_t first = has_rows ? results->lower_bound(v.from) : 0;
    const std::size_t last = has_rows ? results->lower_bound(v.to) : 0;
    const int pointer_lane = layout.lane_at(io.MousePos.y);

    // Release: a click (the pointer moved less than the drag threshold) or the end of a drag.
    if (state.drag != TimelineState::Drag::none && !active) {
        const float threshold = io.MouseDragThreshold;
        const bool clicked =
            io.MouseReleased[0] && io.MouseDragMaxDistanceSqr[0] < threshold * threshold;
        const auto drag = state.drag;
        state.drag = TimelineState::Drag::none;
        if (drag == TimelineState::Drag::range) {
            const std::int64_t a = state.drag_anchor, b = v.at(mx);
            if (io.MouseReleased[0] && std::fabs(v.x_of(a) - mx) >= 1.0f && a != b)
                output.range = std::make_pair(std::min(a, b), std::max(a, b));
        } else if (clicked) {
            std::optional<std::size_t> mark;
            if (has_rows) mark = nearest_mark(*results, v, lanes, pointer_lane, mx);
            if (io.KeyAlt)
                output.cursor_b = clamp_instant(v.at(mx));
            else if (mark)
                output.selected_seq = results->rows[*mark].seq;
            else
                output.cursor_a = clamp_instant(v.at(mx));
        } else if (io.MouseReleased[0] && drag == TimelineState::Drag::cursor_a) {
            output.cursor_a = dragged_cursor();
        } else if (io.MouseReleased[0] && drag == TimelineState::Drag::cursor_b) {
            output.cursor_b = dragged_cursor();
        }
    }

    // Drawing, back to front.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 panel_min(layout.left, layout.axis_top),
        panel_max(layout.left + layout.width, layout.bottom);
    draw->PushClipRect(panel_min, panel_max, true);
    draw->AddRectFilled(panel_min, panel_max, style_colour(ImGuiCol_FrameBg));
    draw_lane_backgrounds(draw, layout);
    draw_axis(draw, v, layout, input.zone);
    MarksDrawn marks;
    if (has_rows) {
        draw_density(draw, v, layout, *results);
        if (timeline_detail::aggregates(last - first, layout.width))
            marks = draw_aggregates(draw, v, layout, lanes, *results, first);
        else
            draw_marks(draw, v, layout, lanes, *results, first, last);
        draw_lane_labels(draw, layout, lanes, *results);
        draw_selected(draw, v, layout, lanes, *results, input.selected_seq);
    } else {
        const char* empty = "No events";
        const ImVec2 text = ImGui::CalcTextSize(empty);
        draw->AddText(ImVec2(layout.left + (layout.width - text.x) * 0.5f,
                             (layout.marks_top + layout.footer_top - text.y) * 0.5f),
                      style_colour(ImGuiCol_TextDisabled), empty);
    }
    if (active && state.drag == TimelineState::Drag::range)
        draw_range_band(draw, layout, v.x_of(state.drag_anchor), mx);
    draw_bookmarks(draw, v, layout, input.bookmarks);
    if (input.attribute_changes) draw_attribute_changes(draw, v, layout, *input.attribute_changes);
    if (input.cursor_b) draw_cursor_b(draw, v, layout, output.cursor_b.value_or(*input.cursor_b));
    draw_cursor_a(draw, v, layout, output.cursor_a.value_or(input.cursor_a), input.zone);
    draw_footer(draw, v, layout, results, input.zone);

    // What is under the pointer (unless a drag is under way): the nearest mark, ringed, with its
    // details, or the count of an aggregated column.
    const AttributeMark* attribute = nullptr;
    if (hovered && !active && input.attribute_changes &&
        std::fabs(io.MousePos.y - attribute_row(layout)) <= 6.0f)
        attribute = attribute_change_at(v, *input.attribute_changes, mx);
    if (attribute) {
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(attribute->label.c_str());
        ImGui::TextDisabled("%s  (a change of the object's state, not an event)",
                            format_in_zone(Timestamp{Micros{attribute->ts}}, input.zone).c_str());
        ImGui::EndTooltip();
    } else if (hovered && has_rows && !active) {
        if (marks.aggregated) {
            column_tooltip(v, marks, mx, input.zone);
        } else if (auto mark = nearest_mark(*results, v, lanes, pointer_lane, mx)) {
            const ResultRow& row = results->rows[*mark];
            draw->AddCircle(
                ImVec2(v.x_of(row.ts), layout.lane_centre(timeline_detail::lane_of(lanes, row))),
                6.0f, style_colour(ImGuiCol_Text, 0.5f), 12, 1.0f);
            mark_tooltip(*results, row, input.zone);
        }
    }
    draw->PopClipRect();
}

} // namespace asof::ui
