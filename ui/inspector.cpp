// The state inspector and the A/B diff panel (see panels.hpp).
#include "eventlog/json_text.hpp"
#include "replay/merge_patch.hpp"
#include "ui/panels.hpp"

#include <imgui.h>

#include <algorithm>

namespace asof::ui {
namespace {

using nlohmann::json;

std::string compact(const json& value) {
    return printable(replay::compact_json(value));
}

const ImVec4 highlight(0.95f, 0.75f, 0.25f, 1.0f);

bool changed_by_selection(const Inspection& inspection, const std::string& pointer) {
    return std::any_of(inspection.changed.begin(), inspection.changed.end(),
                       [&](const replay::Change& c) {
                           return replay::pointer_within(c.pointer, pointer) ||
                                  replay::pointer_within(pointer, c.pointer);
                       });
}

// The leaf's whole value (the tree line may be cut at the panel's edge) and who set it.
void blame_tooltip(const ConsoleState& state, const std::string& pointer, const json& value) {
    const auto& replayed = *state.inspection.state;
    auto blamed = replayed.blame.find(pointer);
    if (blamed == replayed.blame.end()) return;
    auto event = replayed.events.find(blamed->second);
    if (event == replayed.events.end()) return;
    const replay::EventRef& ref = event->second;
    ImGui::BeginTooltip();
    ImGui::Text("%s", printable(pointer).c_str());
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
    ImGui::TextUnformatted(compact(value).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (ref.attribute) { // a stream attribute value, not an event
        ImGui::TextUnformatted(printable(replay::describe_ref(ref)).c_str());
        ImGui::EndTooltip();
        return;
    }
    ImGui::Text("set by seq %lld %s", static_cast<long long>(ref.seq),
                printable(ref.id.value_or("")).c_str());
    ImGui::Text("%s", format_in_zone(ref.ts, state.zone).c_str());
    ImGui::Text("%s by %s", printable(ref.type.value_or("-")).c_str(),
                printable(ref.actor.value_or("-")).c_str());
    ImGui::EndTooltip();
}

// One member of the state tree; `pointer` is its JSON pointer.
void draw_value(ConsoleState& state, const std::string& label, const json& value,
                const std::string& pointer) {
    bool changed = changed_by_selection(state.inspection, pointer);
    if (changed) ImGui::PushStyleColor(ImGuiCol_Text, highlight);
    bool container = (value.is_object() || value.is_array()) && !value.empty();
    if (container) {
        bool open = ImGui::TreeNodeEx(
            pointer.empty() ? "state" : pointer.c_str(),
            ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_SpanFullWidth, "%s %s",
            printable(label).c_str(),
            value.is_array() ? ("[" + std::to_string(value.size()) + "]").c_str() : "{...}");
        if (changed) ImGui::PopStyleColor();
        if (!open) return;
        if (value.is_object()) {
            for (const auto& [key, member] : value.items())
                draw_value(state, key, member, replay::child_pointer(pointer, key));
        } else {
            for (std::size_t i = 0; i < value.size(); ++i)
                draw_value(state, std::to_string(i), value[i], pointer + "/" + std::to_string(i));
        }
        ImGui::TreePop();
        return;
    }
    ImGui::TreeNodeEx(pointer.c_str(),
                      ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen |
                          ImGuiTreeNodeFlags_SpanFullWidth,
                      "%s: %s", printable(label).c_str(), compact(value).c_str());
    if (changed) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) blame_tooltip(state, pointer, value);
}

} // namespace

void draw_state_inspector(ConsoleState& state) {
    update_inspection(state);
    const Inspection& inspection = state.inspection;
    if (inspection.stream_id < 0) {
        ImGui::TextWrapped("Select an event (or query one stream) to see its stream's state as of "
                           "the cursor.");
        return;
    }
    ImGui::Text("%s", printable(inspection.stream_name).c_str());
    ImGui::TextDisabled("as of %s",
                        format_in_zone(Timestamp{Micros{state.cursor_a}}, state.zone).c_str());
    if (!inspection.error.empty()) {
        ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.35f, 1), "%s",
                           printable(inspection.error).c_str());
        return;
    }
    if (!inspection.state) return;
    const replay::ReplayState& replayed = *inspection.state;
    ImGui::TextDisabled("version %s, %lld events, projection %s",
                        replayed.version ? std::to_string(*replayed.version).c_str() : "-",
                        static_cast<long long>(replayed.applied),
                        printable(state.projection->name()).c_str());
    if (!inspection.changed.empty())
        ImGui::TextColored(highlight, "%zu places changed by the selected event",
                           inspection.changed.size());
    ImGui::Separator();
    ImGui::BeginChild("state-tree");
    if (replayed.state.empty()) ImGui::TextDisabled("(empty: no event at or before the cursor)");
    for (const auto& [key, member] : replayed.state.items())
        draw_value(state, key, member, replay::child_pointer("", key));
    for (const auto& warning : replayed.warnings)
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.3f, 1), "warning: %s", printable(warning).c_str());
    ImGui::EndChild();
}

void draw_diff_panel(ConsoleState& state) {
    update_inspection(state);
    if (!state.cursor_b) {
        ImGui::TextWrapped("Alt-click the timeline to set cursor B; the diff compares the state "
                           "as of A with the state as of B.");
        return;
    }
    const auto& inspection = state.inspection;
    if (!inspection.diff) {
        ImGui::TextDisabled("No stream under inspection.");
        return;
    }
    const replay::StateDiff& diff = *inspection.diff;
    ImGui::Text("%s", printable(inspection.stream_name).c_str());
    ImGui::TextDisabled("from %s", format_in_zone(diff.from.at, state.zone).c_str());
    ImGui::TextDisabled("to   %s", format_in_zone(diff.to.at, state.zone).c_str());
    ImGui::Separator();
    if (diff.entries.empty()) ImGui::TextDisabled("No difference.");
    if (!ImGui::BeginTable("diff", 4,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_Resizable |
                               ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit))
        return;
    ImGui::TableSetupColumn("kind");
    ImGui::TableSetupColumn("path");
    ImGui::TableSetupColumn("old -> new", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("by");
    ImGui::TableHeadersRow();
    for (const auto& entry : diff.entries) {
        const replay::Change& change = entry.change;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImVec4 colour = !change.before  ? ImVec4(0.4f, 0.85f, 0.4f, 1)
                        : !change.after ? ImVec4(0.95f, 0.45f, 0.4f, 1)
                                        : ImVec4(0.95f, 0.75f, 0.25f, 1);
        ImGui::TextColored(colour, "%s", change.kind());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(printable(change.pointer).c_str());
        ImGui::TableSetColumnIndex(2);
        std::string values = change.before && change.after
                                 ? compact(*change.before) + " -> " + compact(*change.after)
                                 : compact(change.before ? *change.before : *change.after);
        ImGui::TextUnformatted(values.c_str());
        ImGui::TableSetColumnIndex(3);
        for (std::int64_t seq : entry.causes) {
            auto event = diff.to.events.find(seq);
            std::string label = "seq " + std::to_string(seq);
            if (event != diff.to.events.end() && event->second.attribute) {
                ImGui::TextUnformatted(printable(replay::describe_ref(event->second)).c_str());
                continue; // an attribute value: no event to select
            }
            if (event != diff.to.events.end() && event->second.type)
                label += " " + *event->second.type;
            ImGui::PushID(static_cast<int>(seq));
            if (ImGui::SmallButton(printable(label).c_str())) select_event(state, seq);
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

} // namespace asof::ui
