// The event detail and the integrity panel (see panels.hpp).
#include "eventlog/json_text.hpp"
#include "ui/panels.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

namespace asof::ui {
namespace {

// Pretty JSON text, one line at a time with control characters escaped.
void json_block(const char* title, const std::optional<std::string>& text) {
    ImGui::TextDisabled("%s", title);
    if (!text) {
        ImGui::TextDisabled("  (none)");
        return;
    }
    auto value = nlohmann::json::parse(*text, nullptr, false);
    std::string pretty = value.is_discarded()
                             ? *text
                             : value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::size_t start = 0;
    while (start <= pretty.size()) {
        std::size_t end = std::min(pretty.find('\n', start), pretty.size());
        ImGui::TextUnformatted(
            printable(std::string_view(pretty).substr(start, end - start)).c_str());
        start = end + 1;
    }
}

} // namespace

void draw_event_detail(ConsoleState& state) {
    if (!state.selected_seq) {
        ImGui::TextDisabled("No event selected.");
        return;
    }
    const EventDetail* detail = event_detail(state, *state.selected_seq);
    if (!detail) {
        ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.35f, 1), "Cannot read event seq %lld",
                           static_cast<long long>(*state.selected_seq));
        return;
    }
    const StoredEvent& e = detail->event;
    ImGui::Text("seq %lld  %s", static_cast<long long>(e.seq),
                printable(e.event_id.value_or("")).c_str());
    ImGui::Text("%s", format_in_zone(e.ts, state.zone).c_str());
    ImGui::Text("%s  %s  version %s  by %s", printable(e.stream).c_str(),
                printable(e.type.value_or("-")).c_str(),
                e.version ? std::to_string(*e.version).c_str() : "-",
                printable(e.actor.value_or("-")).c_str());
    if (detail->recorded_at)
        ImGui::TextDisabled("recorded %s",
                            format_in_zone(*detail->recorded_at, state.zone).c_str());
    ImGui::TextDisabled("source %s, line %lld, byte %lld", printable(detail->source).c_str(),
                        static_cast<long long>(detail->line),
                        static_cast<long long>(detail->byte_offset));
    if (detail->streams.size() > 1)
        for (const auto& [name, qualifier] : detail->streams)
            ImGui::BulletText("%s%s", printable(name).c_str(),
                              qualifier ? (" (" + printable(*qualifier) + ")").c_str() : "");
    if (!detail->relations.empty()) {
        ImGui::TextDisabled("related objects");
        for (const auto& relation : detail->relations)
            ImGui::BulletText(
                "%s -> %s%s", printable(relation.from).c_str(), printable(relation.to).c_str(),
                relation.qualifier ? (" (" + printable(*relation.qualifier) + ")").c_str() : "");
        if (detail->more_relations)
            ImGui::TextDisabled("(only the first %zu relations are shown)",
                                EventDetail::max_relations);
    }
    for (const auto& finding : detail->findings)
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.3f, 1), "%s: %s", printable(finding.kind).c_str(),
                           printable(finding.detail).c_str());
    ImGui::Separator();
    ImGui::BeginChild("payload");
    json_block("data", e.data);
    json_block("meta", e.meta);
    ImGui::EndChild();
}

void draw_integrity_panel(ConsoleState& state) {
    const CaseInfo& info = state.info;
    ImGui::TextDisabled("Sources");
    for (const auto& source : info.sources) {
        ImGui::BulletText("%s", printable(source.name).c_str());
        ImGui::Indent();
        ImGui::TextDisabled("sha256 %s", source.sha256.c_str());
        ImGui::TextDisabled("%lld bytes, %s, naive times read in %s",
                            static_cast<long long>(source.size), source.format.c_str(),
                            source.source_tz.c_str());
        ImGui::TextDisabled(
            "%lld events, %lld rejected, %lld naive times", static_cast<long long>(source.events),
            static_cast<long long>(source.rejected), static_cast<long long>(source.naive_times));
        ImGui::Unindent();
    }
    ImGui::Separator();
    ImGui::TextDisabled("Findings (%zu)", info.findings.size());
    for (std::size_t i = 0; i < info.findings.size(); ++i) {
        const FindingInfo& finding = info.findings[i];
        std::string label = printable(finding.kind) + "  " + printable(finding.stream) + "  " +
                            printable(finding.detail);
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(label.c_str(), finding.seq && state.selected_seq == finding.seq) &&
            finding.seq)
            select_event(state, *finding.seq);
        ImGui::PopID();
    }
    ImGui::Separator();
    static std::optional<std::vector<RejectInfo>> rejects;
    if (!rejects) {
        auto read = read_rejects(state.db);
        rejects = read ? std::move(*read) : std::vector<RejectInfo>{};
    }
    ImGui::TextDisabled("Rejected lines (%zu)", rejects->size());
    for (const auto& reject : *rejects)
        ImGui::BulletText("%s:%lld  %s  %s", printable(reject.source).c_str(),
                          static_cast<long long>(reject.line), printable(reject.reason).c_str(),
                          printable(reject.excerpt).c_str());
}

} // namespace asof::ui
