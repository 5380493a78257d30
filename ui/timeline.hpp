// The timeline panel: a horizontal time axis with adaptive tick labels, the density of the
// results over the visible interval, one mark per event coloured by type (in lanes per stream
// when the results span several streams and there are few enough, else per type), the "as of"
// cursor A, an optional cursor B, bookmarks; wheel zoom around the pointer, drag to pan, F to
// fit, a tooltip on hover, click to select. Marks merge into density when too many are in view.
#pragma once

#include "query/result_set.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace date {
class time_zone;
}

namespace asof::ui {

// What the timeline remembers between frames.
struct TimelineState {
    std::int64_t view_from = 0, view_to = 0; // visible interval [from, to), µs UTC
    bool fit_requested = true;               // fit the view to the results on the next frame
    // Drag state (panning, moving a cursor, selecting a range with Shift).
    enum class Drag { none, pan, cursor_a, cursor_b, range } drag = Drag::none;
    std::int64_t drag_anchor = 0;
    double drag_anchor_x = 0;
};

// A change of the inspected stream's state that is not an event (an OCEL object attribute value
// dated `ts`): drawn as a hollow diamond under the marks, with `label` in its tooltip.
struct AttributeMark {
    std::int64_t ts = 0;
    std::string label;
};

// What the timeline shows, owned by the caller.
struct TimelineInput {
    const query::ResultSet* results = nullptr; // time order (oldest first); may be null/empty
    const date::time_zone* zone = nullptr;     // nullptr: UTC
    std::optional<std::int64_t> selected_seq;
    std::int64_t cursor_a = 0;            // the "as of" instant
    std::optional<std::int64_t> cursor_b; // the second instant for a diff
    std::vector<std::int64_t> bookmarks;
    const std::vector<AttributeMark>* attribute_changes = nullptr; // by time; may be null
};

// What the user did this frame.
struct TimelineOutput {
    std::optional<std::int64_t> selected_seq; // a mark was clicked
    std::optional<std::int64_t> cursor_a;     // cursor A dragged or clicked to a new instant
    std::optional<std::int64_t> cursor_b;     // Alt-click set B
    std::optional<std::pair<std::int64_t, std::int64_t>> range; // Shift-drag selected [from, to)
    bool bookmark = false; // B pressed while hovered: bookmark cursor A
};

// Draws the timeline into the current window's remaining content region (or `height` pixels
// when > 0). Never allocates per event: cost grows with the pixels and the marks in view, not
// with the results.
void draw_timeline(TimelineState& state, const TimelineInput& input, TimelineOutput& output,
                   float height = 0.0f);

// The colour (ImU32) for event type index `type` (-1: none); stable, distinct for small
// indexes, readable on dark and light themes.
unsigned int type_colour(std::int32_t type);

// Pieces of draw_timeline's layout and policy, exposed so that tests can aim at lanes and check
// the rules; the console itself needs only draw_timeline and type_colour.
namespace timeline_detail {

// How the marks area is split: one lane per stream when the results hold 2..12 streams, else one
// per type (plus a last "(no type)" lane when some event has none) when they hold 2..12 types,
// else a single lane.
struct Lanes {
    enum class By { none, stream, type } by = By::none;
    int count = 1;
    bool untyped_lane = false; // by type: the last lane holds the events without a type
    // Whether `lane` is the "(no type)" lane.
    bool is_untyped(int lane) const { return untyped_lane && lane == count - 1; }
};
Lanes choose_lanes(const query::ResultSet* results);
// The lane of `row`, in [0, lanes.count).
int lane_of(const Lanes& lanes, const query::ResultRow& row);

// The panel's horizontal bands, top to bottom, in screen pixels: the axis with its labels, the
// density histogram, the lanes of marks, a strip for the inspected object's attribute changes
// (empty when there are none: then attributes_top == footer_top), and a footer with the view's
// edge times and the legend.
struct Layout {
    float left = 0, width = 0;
    float axis_top = 0, density_top = 0, marks_top = 0, attributes_top = 0, footer_top = 0,
          bottom = 0;
    int lanes = 1;
    float lane_height() const { return (attributes_top - marks_top) / static_cast<float>(lanes); }
    float lane_centre(int lane) const;
    // The lane at screen y, or -1 outside the marks area.
    int lane_at(float y) const;
};
// The layout of a panel at (left, top) of the given size, for `lanes` lanes and text of
// `line_height` pixels, with the attribute changes' strip when `attribute_strip`.
Layout make_layout(float left, float top, float width, float height, float line_height, int lanes,
                   bool attribute_strip = false);

// Whether `marks_in_view` marks are drawn as per-pixel-column aggregates: more than two per pixel
// column of `width`.
bool aggregates(std::size_t marks_in_view, float width);
// The number of density histogram bins for a panel `width` pixels wide (one per 2 pixels).
std::size_t density_bins(float width);

} // namespace timeline_detail

} // namespace asof::ui
