// The console's frame: menus, the panel layout with draggable splitters, the timeline's
// outputs applied to the shared state (see console.hpp).
#include "ui/console.hpp"

#include "eventlog/json_text.hpp"
#include "query/canonical.hpp"
#include "query/parser.hpp"
#include "ui/panels.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>

namespace asof::ui {
namespace {

// A draggable splitter bar; returns the dragged distance this frame.
float splitter(const char* id, bool vertical, float thickness, float length) {
    ImGui::InvisibleButton(id, vertical ? ImVec2(thickness, length) : ImVec2(length, thickness));
    bool active = ImGui::IsItemActive();
    if (ImGui::IsItemHovered() || active)
        ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRectFilled(
        min, max, ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive : ImGuiCol_Separator));
    if (!active) return 0;
    return vertical ? ImGui::GetIO().MouseDelta.x : ImGui::GetIO().MouseDelta.y;
}

} // namespace

Result<std::unique_ptr<Console>> Console::open(const ConsoleOptions& options) {
    auto db = open_case(options.case_path);
    if (!db) return tl::unexpected(db.error());
    ConsoleState state;
    state.case_path = options.case_path;
    state.db = std::move(*db);
    auto info = read_case_info(state.db);
    if (!info) return tl::unexpected(info.error());
    state.info = std::move(*info);
    state.background = options.background;
    state.wake = options.wake;
    if (state.background) {
        state.streams_task = std::make_unique<BackgroundTask<std::vector<StreamSummary>>>(
            [path = options.case_path](
                const std::atomic<bool>&) -> Result<std::vector<StreamSummary>> {
                auto counting = open_case(path);
                if (!counting) return tl::unexpected(counting.error());
                return read_stream_summaries(*counting);
            },
            state.wake);
    } else {
        auto streams = read_stream_summaries(state.db);
        if (!streams) return tl::unexpected(streams.error());
        state.streams = std::move(*streams);
    }
    auto projection = replay::case_projection(state.db);
    if (!projection) return tl::unexpected(projection.error());
    state.projection = projection->projection;

    state.zone = system_zone();
    if (options.tz) {
        auto zone = find_zone(*options.tz);
        if (!zone) return fail(zone.error().message, "--tz");
        state.zone = *zone;
    }
    state.now = std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
    if (options.now) {
        auto now = parse_iso8601(*options.now, state.zone);
        if (!now) return fail(now.error().message, "--now");
        state.now = now->at;
    }
    auto history = read_query_history(state.db);
    if (history) state.history = std::move(*history);
    auto bookmarks = read_bookmarks(state.db);
    if (bookmarks) state.bookmarks = std::move(*bookmarks);
    state.query_text = options.query;
    run_query(state);
    if (state.query_error)
        return fail("column " + std::to_string(state.query_error->span.begin + 1) + ": " +
                        state.query_error->message,
                    "--query");
    if (!state.run_error.empty()) return fail(state.run_error, "--query");

    // Cursor A: --at, else the last result (the state as it ended up).
    state.cursor_a = state.results.rows.empty() ? state.now.time_since_epoch().count()
                                                : state.results.rows.back().ts;
    state.cursor_on_last_result = state.background && !options.at;
    if (options.at) {
        auto point = query::parse_time_point(*options.at);
        if (!point) return fail(point.error().message, "--at");
        auto span = query::resolve_point(*point, query::Clock{state.now, state.zone});
        if (!span) return fail(span.error().message, "--at");
        state.cursor_a =
            (span->calendar ? span->end - Micros{1} : span->start).time_since_epoch().count();
    }
    if (options.select && state.background) {
        state.select_when_ready = options.select;
    } else if (options.select) {
        if (!state.results.find_seq(*options.select))
            return fail("seq " + std::to_string(*options.select) + " is not among the results",
                        "--select");
        state.selected_seq = options.select;
        state.scroll_to_selection = true;
    }
    return std::unique_ptr<Console>(new Console(std::move(state)));
}

void Console::apply_theme(bool dark) {
    if (dark)
        ImGui::StyleColorsDark();
    else
        ImGui::StyleColorsLight();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 0;
    style.FrameRounding = 3;
    style.ScrollbarRounding = 3;
    style.WindowBorderSize = 0;
    // Dialogs and menus are opaque: the table's text showed through the export dialogs' fields.
    // In the light theme fields are as white as a dialog, so they get a border to be seen by.
    // (Both seen in screenshots.)
    style.Colors[ImGuiCol_PopupBg].w = 1.0f;
    style.FrameBorderSize = dark ? 0.0f : 1.0f;
}

void Console::draw_menu(FrameRequests& requests) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open...", "Ctrl+O")) requests.browse = true;
        if (ImGui::BeginMenu("Recent", !recent_.empty())) {
            for (const auto& path : recent_)
                if (ImGui::MenuItem(printable(path).c_str())) requests.open_path = path;
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Export results...", nullptr, false, state_.prepared.has_value()))
            state_.show_export = true;
        if (ImGui::MenuItem("Export report...", nullptr, false, state_.prepared.has_value()))
            state_.show_report_export = true;
        if (ImGui::MenuItem("Export timeline image")) requests.screenshot = true;
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) requests.quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Dark theme", nullptr, state_.dark)) {
            state_.dark = true;
            apply_theme(true);
        }
        if (ImGui::MenuItem("Light theme", nullptr, !state_.dark)) {
            state_.dark = false;
            apply_theme(false);
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Query syntax", "F1")) state_.show_help = true;
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void Console::draw_layout() {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    // No background: the app clears the frame already, and each full-window fill costs
    // milliseconds under a software renderer.
    ImGui::Begin("asof", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoBackground);
    draw_query_bar(state_);
    ImGui::Separator();

    const float status_height = ImGui::GetFrameHeightWithSpacing();
    const float gap = 4;
    ImVec2 avail = ImGui::GetContentRegionAvail();
    float body_height = std::max(100.0f, avail.y - status_height);
    layout_.left_width = std::clamp(layout_.left_width, 120.0f, avail.x * 0.4f);
    layout_.right_width = std::clamp(layout_.right_width, 200.0f, avail.x * 0.5f);
    float middle_width =
        std::max(100.0f, avail.x - layout_.left_width - layout_.right_width - 2 * gap);
    layout_.timeline_height = std::clamp(layout_.timeline_height, 120.0f, body_height - 120.0f);

    ImGui::BeginChild("streams", ImVec2(layout_.left_width, body_height), true);
    draw_streams_panel(state_);
    ImGui::EndChild();
    ImGui::SameLine(0, 0);
    layout_.left_width += splitter("split-left", true, gap, body_height);
    ImGui::SameLine(0, 0);

    ImGui::BeginChild("middle", ImVec2(middle_width, body_height), false);
    ImGui::BeginChild("timeline", ImVec2(0, layout_.timeline_height), true,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    TimelineInput input;
    input.results = &state_.results;
    input.zone = state_.zone;
    input.selected_seq = state_.selected_seq;
    input.cursor_a = state_.cursor_a;
    if (!state_.inspection.attribute_marks.empty())
        input.attribute_changes = &state_.inspection.attribute_marks;
    input.cursor_b = state_.cursor_b;
    for (const auto& bookmark : state_.bookmarks)
        input.bookmarks.push_back(bookmark.at.time_since_epoch().count());
    TimelineOutput output;
    draw_timeline(state_.timeline, input, output);
    ImGui::EndChild();
    layout_.timeline_height += splitter("split-middle", false, gap, middle_width);
    ImGui::BeginChild("results", ImVec2(0, 0), true);
    draw_results_table(state_);
    ImGui::EndChild();
    ImGui::EndChild();

    // The timeline's outputs.
    if (output.selected_seq) {
        state_.selected_seq = output.selected_seq;
        state_.scroll_to_selection = true;
        if (auto row = state_.results.find_seq(*output.selected_seq))
            state_.cursor_a = state_.results.rows[*row].ts;
    }
    if (output.cursor_a) state_.cursor_a = *output.cursor_a;
    if (output.cursor_b) {
        state_.cursor_b = output.cursor_b;
        state_.right_tab = 1;
    }
    if (output.bookmark) {
        bookmark_cursor(state_);
        state_.right_tab = 4;
    }
    if (output.range && state_.prepared) {
        // Shift-drag: the range goes into the query as an interval.
        auto from = format_utc(Timestamp{Micros{output.range->first}});
        auto to = format_utc(Timestamp{Micros{output.range->second}});
        std::string targets;
        for (const auto& target : state_.prepared->query.targets)
            targets += (targets.empty() ? "" : " or ") + query::canonical_target(target);
        state_.query_text =
            (targets.empty() ? "" : targets + " ") + "between " + from + " and " + to;
        run_query(state_);
    }

    ImGui::SameLine(0, 0);
    layout_.right_width -= splitter("split-right", true, gap, body_height);
    ImGui::SameLine(0, 0);
    ImGui::BeginChild("right", ImVec2(0, body_height), true);
    if (ImGui::BeginTabBar("right-tabs")) {
        const char* names[] = {"State", "Diff", "Event", "Integrity", "Bookmarks"};
        for (int i = 0; i < 5; ++i) {
            ImGuiTabItemFlags flags = state_.right_tab == i ? ImGuiTabItemFlags_SetSelected : 0;
            if (ImGui::BeginTabItem(names[i], nullptr, flags)) {
                if (i == 0) draw_state_inspector(state_);
                if (i == 1) draw_diff_panel(state_);
                if (i == 2) draw_event_detail(state_);
                if (i == 3) draw_integrity_panel(state_);
                if (i == 4) draw_bookmarks(state_);
                ImGui::EndTabItem();
            }
        }
        state_.right_tab = -1;
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    draw_status_bar(state_);
    ImGui::End();
}

FrameRequests Console::frame() {
    FrameRequests requests;
    poll_background(state_);
    // ImGui 1.86 indexes keys by the backend's codes: GLFW's for F1 (290) and letters (ASCII).
    constexpr int key_f1 = 290;
    if (ImGui::IsKeyPressed(key_f1)) state_.show_help = true;
    if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('Q')) requests.quit = true;
    if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('O')) requests.browse = true;
    draw_menu(requests);
    draw_layout();
    draw_help(state_);
    draw_export_dialog(state_, state_.show_export);
    draw_report_dialog(state_, state_.show_report_export);
    return requests;
}

} // namespace asof::ui
