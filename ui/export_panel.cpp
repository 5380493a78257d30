// File > Export results: the current query's matching events written as CSV, JSON or JSON
// Lines with the report writers (the timeline reports of issue 6 will join them), through a
// temporary file renamed into place, never over the case file or a source log.
#include "eventlog/json_text.hpp"
#include "report/event_writer.hpp"
#include "ui/panels.hpp"

#include <date/tz.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <filesystem>
#include <fstream>

namespace asof::ui {

std::string export_results(ConsoleState& state, const std::string& path, EventFormat format) {
    if (!state.prepared) return "run a query first";
    std::error_code ec;
    auto target = std::filesystem::weakly_canonical(path, ec);
    auto is_same = [&](const std::string& other) {
        std::error_code e;
        return std::filesystem::exists(other, e) && std::filesystem::equivalent(target, other, e);
    };
    if (is_same(state.case_path)) return "that is the case file; choose another name";
    for (const auto& source : state.info.sources)
        if (is_same(source.path)) return "that is a source log; choose another name";
    std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return "cannot write " + temporary;
        EventWriter writer(out, format, state.zone);
        query::Executor executor(state.db, false);
        query::PreparedQuery listing = *state.prepared;
        listing.query.newest_first = false;
        auto written =
            executor.each_event(listing, query::effective_limit(listing.query, std::nullopt),
                                [&](const StoredEvent& event) { writer.write(event); });
        if (!written) {
            std::filesystem::remove(temporary, ec);
            return written.error().describe();
        }
        writer.finish();
        out.flush();
        if (!out) {
            std::filesystem::remove(temporary, ec);
            return "cannot write " + temporary + " (disk full?)";
        }
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) return "cannot rename " + temporary + ": " + ec.message();
    return {};
}

void draw_export_dialog(ConsoleState& state, bool& open) {
    if (open) {
        ImGui::OpenPopup("Export results");
        open = false;
    }
    ImGui::SetNextWindowSize(ImVec2(560, 0));
    if (!ImGui::BeginPopupModal("Export results", nullptr, ImGuiWindowFlags_NoResize)) return;
    static std::string path = "asof-results.csv";
    static int format = 0; // csv, json, jsonl
    static std::string message;
    ImGui::TextWrapped("The %zu events of \"%s\", oldest first, times in %s.",
                       state.results.rows.size(),
                       state.prepared ? printable(state.prepared->canonical).c_str() : "",
                       state.zone ? state.zone->name().c_str() : "UTC");
    const char* formats[] = {"CSV (RFC 4180, formula-safe)", "JSON", "JSON Lines"};
    const char* endings[] = {".csv", ".json", ".jsonl"};
    if (ImGui::Combo("format", &format, formats, 3)) {
        auto dot = path.rfind('.');
        path = (dot == std::string::npos ? path : path.substr(0, dot)) + endings[format];
    }
    ImGui::InputText("file", &path);
    if (!message.empty()) ImGui::TextWrapped("%s", printable(message).c_str());
    if (ImGui::Button("Export")) {
        const EventFormat chosen[] = {EventFormat::csv, EventFormat::json, EventFormat::jsonl};
        std::string error = export_results(state, path, chosen[format]);
        message = error.empty() ? "Written to " + path : "Not written: " + error;
    }
    ImGui::SameLine();
    if (ImGui::Button("Close")) {
        message.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

} // namespace asof::ui
