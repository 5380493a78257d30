// The status bar and the query-syntax help (see panels.hpp).
#include "eventlog/case_cache.hpp"
#include "eventlog/json_text.hpp"
#include "ui/panels.hpp"

#include <date/tz.h>
#include <imgui.h>

#include <filesystem>

namespace asof::ui {

void draw_status_bar(ConsoleState& state) {
    const CaseInfo& info = state.info;
    // A log opened directly lives in the cache under a hash: name the log instead.
    std::filesystem::path path(state.case_path);
    std::string shown = path.filename().string();
    if (path.parent_path() == std::filesystem::path(cache_directory()) &&
        !state.info.sources.empty())
        shown = state.info.sources.front().name + " (cached case)";
    ImGui::Text("%s", printable(shown).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", printable(state.case_path).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("|  %lld events  %lld streams  |  zone %s  |",
                        static_cast<long long>(info.events), static_cast<long long>(info.streams),
                        state.zone ? state.zone->name().c_str() : "UTC");
    ImGui::SameLine();
    ImVec4 warn(0.95f, 0.7f, 0.3f, 1);
    std::string integrity = std::to_string(info.findings.size()) + " findings, " +
                            std::to_string(info.rejected) + " rejected lines";
    if (info.findings.empty() && info.rejected == 0)
        ImGui::TextDisabled("%s", integrity.c_str());
    else
        ImGui::TextColored(warn, "%s", integrity.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Click: the integrity panel");
    if (ImGui::IsItemClicked()) state.right_tab = 3;
    ImGui::SameLine();
    if (state.query_task)
        ImGui::TextColored(ImVec4(0.45f, 0.7f, 0.95f, 1), "|  querying...");
    else
        ImGui::TextDisabled("|  %zu results in %.0f ms%s", state.results.rows.size(),
                            state.query_ms, state.results.cancelled ? " (stopped)" : "");
    if (state.streams_task) {
        ImGui::SameLine();
        ImGui::TextDisabled("  counting streams...");
    }
    if (state.snapshot_task) {
        ImGui::SameLine();
        ImGui::TextDisabled("  storing snapshots of %s...",
                            printable(state.inspection.stream_name).c_str());
    }
}

void draw_bookmarks(ConsoleState& state) {
    ImGui::TextDisabled("Press B over the timeline to bookmark cursor A.");
    if (!state.store_note.empty())
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.3f, 1), "%s", printable(state.store_note).c_str());
    std::optional<std::size_t> remove;
    for (std::size_t i = 0; i < state.bookmarks.size(); ++i) {
        const Bookmark& bookmark = state.bookmarks[i];
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::SmallButton("x")) remove = i;
        ImGui::SameLine();
        std::string label = format_in_zone(bookmark.at, state.zone);
        if (ImGui::Selectable(label.c_str(),
                              state.cursor_a == bookmark.at.time_since_epoch().count()))
            state.cursor_a = bookmark.at.time_since_epoch().count();
        ImGui::PopID();
    }
    if (remove) remove_bookmark_at(state, *remove);
}

void draw_help(ConsoleState& state) {
    if (!state.show_help) return;
    ImGui::SetNextWindowSize(ImVec2(640, 520), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("Query syntax", &state.show_help)) {
        ImGui::End();
        return;
    }
    ImGui::TextWrapped("A query reads like the question: a target, a time, filters and a shape, "
                       "in any order. Click an example to run it.");
    struct Example {
        const char* query;
        const char* meaning;
    };
    static const Example examples[] = {
        {"discrepancy #4721 tuesday to thursday",
         "one aggregate, an interval (zone of the window)"},
        {"discrepancy #4721 as of wednesday 14:00", "the state at an instant (see the inspector)"},
        {"discrepancy #4721 changes between tuesday and thursday", "what each event changed"},
        {"type:AmountAdjusted last week where data.amount > 1000",
         "type, time, payload comparison"},
        {"actor:alice since yesterday newest first", "an actor's recent events"},
        {"\"reweigh\" in april", "full-text search in payloads"},
        {"shipment #88 or invoice #12 count by type", "several targets, a count"},
        {"count by day last month", "events per day, in the zone"},
        {"not type:NoteAdded and data.status exists limit 100", "negation, existence, a limit"},
    };
    if (ImGui::BeginTable("examples", 2,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        for (const auto& example : examples) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            if (ImGui::Selectable(example.query)) {
                state.query_text = example.query;
                run_query(state);
            }
            ImGui::TableSetColumnIndex(1);
            ImGui::TextDisabled("%s", example.meaning);
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::TextWrapped("Targets: kind #key, stream:NAME. Times: today, yesterday, monday, "
                       "last week, this month, in april, on 2026-04-14, 09:00 to 17:00, since, "
                       "before, between A and B. Filters: type:X, actor:X, data.PATH op value "
                       "(= != < <= > >= ~ in exists), \"text\", and/or/not, parentheses. Shape: "
                       "count by type|actor|stream|day|hour|week, newest first, limit N.");
    ImGui::Separator();
    ImGui::TextWrapped(
        "Timeline: wheel zooms, drag pans, F fits, click sets the \"as of\" cursor, "
        "Alt-click sets cursor B, Shift-drag selects a range, B bookmarks the cursor.");
    ImGui::End();
}

} // namespace asof::ui
