// The query bar (see panels.hpp).
#include "eventlog/json_text.hpp"
#include "query/canonical.hpp"
#include "ui/panels.hpp"

#include <date/tz.h>
#include <imgui.h>
#include <imgui_stdlib.h>

namespace asof::ui {
namespace {

// Walks the history with Up/Down inside the input.
int history_callback(ImGuiInputTextCallbackData* data) {
    auto& state = *static_cast<ConsoleState*>(data->UserData);
    if (data->EventFlag != ImGuiInputTextFlags_CallbackHistory || state.history.empty()) return 0;
    int size = static_cast<int>(state.history.size());
    if (data->EventKey == ImGuiKey_UpArrow)
        state.history_pos = state.history_pos < 0 ? size - 1 : std::max(0, state.history_pos - 1);
    else if (data->EventKey == ImGuiKey_DownArrow && state.history_pos >= 0)
        state.history_pos = state.history_pos + 1 >= size ? -1 : state.history_pos + 1;
    data->DeleteChars(0, data->BufTextLen);
    if (state.history_pos >= 0)
        data->InsertChars(0, state.history[static_cast<std::size_t>(state.history_pos)].c_str());
    return 0;
}

std::string interval_text(const ConsoleState& state) {
    if (!state.prepared) return {};
    const auto& interval = state.prepared->interval;
    if (!interval.from && !interval.to) return "all time";
    std::string text = "[" + (interval.from ? format_in_zone(*interval.from, state.zone) : "...") +
                       ", " + (interval.to ? format_in_zone(*interval.to, state.zone) : "...") +
                       ")";
    return text;
}

// The zone button: a searchable list of every IANA zone; picking one shows every time in it
// and re-runs the query (its dates and times of day are read in the zone).
void draw_zone_selector(ConsoleState& state) {
    std::string current = state.zone ? state.zone->name() : std::string("UTC");
    if (ImGui::Button(current.c_str())) ImGui::OpenPopup("zones");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The zone every time is shown and read in");
    if (!ImGui::BeginPopup("zones")) return;
    static ImGuiTextFilter filter;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    filter.Draw("##zone-filter", 260);
    ImGui::BeginChild("zone-list", ImVec2(260, 320));
    const auto& zones = date::get_tzdb().zones;
    for (const auto& zone : zones) {
        const std::string& name = zone.name();
        if (!filter.PassFilter(name.c_str())) continue;
        if (ImGui::Selectable(name.c_str(), name == current)) {
            state.zone = name == "UTC" || name == "Etc/UTC" ? nullptr : &zone;
            state.detail_cache.clear();
            run_query(state);
            ImGui::CloseCurrentPopup();
        }
    }
    ImGui::EndChild();
    ImGui::EndPopup();
}

} // namespace

void draw_query_bar(ConsoleState& state) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Query");
    ImGui::SameLine();
    std::string zone_label = state.zone ? state.zone->name() : std::string("UTC");
    float run_width = ImGui::CalcTextSize("Run").x + ImGui::CalcTextSize(zone_label.c_str()).x +
                      ImGui::GetStyle().FramePadding.x * 8;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - run_width);
    bool enter = ImGui::InputTextWithHint(
        "##query", "discrepancy #4721 tuesday to thursday where data.amount > 1000",
        &state.query_text,
        ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackHistory,
        history_callback, &state);
    ImVec2 input_min = ImGui::GetItemRectMin();
    ImGui::SameLine();
    if (ImGui::Button("Run") || enter) {
        run_query(state);
        ImGui::SetKeyboardFocusHere(-1);
    }
    ImGui::SameLine();
    draw_zone_selector(state);
    if (state.query_error) {
        // Underline the span the error points at, under the text in the input.
        const auto& span = state.query_error->span;
        const std::string& text = state.query_text;
        auto begin = std::min(span.begin, text.size()), end = std::min(span.end, text.size());
        float x0 = input_min.x + ImGui::GetStyle().FramePadding.x +
                   ImGui::CalcTextSize(text.c_str(), text.c_str() + begin).x;
        float x1 = input_min.x + ImGui::GetStyle().FramePadding.x +
                   ImGui::CalcTextSize(text.c_str(), text.c_str() + std::max(end, begin + 1)).x;
        float y = input_min.y + ImGui::GetFrameHeight() - 3;
        ImGui::GetWindowDrawList()->AddLine(ImVec2(x0, y), ImVec2(x1, y),
                                            IM_COL32(235, 80, 70, 255), 2.0f);
        ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.35f, 1), "column %zu: %s", begin + 1,
                           printable(state.query_error->message).c_str());
    } else if (!state.run_error.empty()) {
        ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.35f, 1), "%s", printable(state.run_error).c_str());
    } else if (state.prepared) {
        ImGui::TextDisabled("%s", ("query " + printable(state.prepared->canonical) +
                                   "   interval " + interval_text(state) + "   zone " +
                                   (state.zone ? state.zone->name() : std::string("UTC")) +
                                   "   now " + format_in_zone(state.now, state.zone))
                                      .c_str());
    } else {
        ImGui::TextDisabled("Type a question and press Enter (F1: query syntax)");
    }
}

} // namespace asof::ui
