// Import progress, file browser and error dialog (see open_panels.hpp).
#include "ui/open_panels.hpp"

#include "eventlog/json_text.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace asof::ui {
namespace {

std::string human_size(std::uintmax_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return text;
}

std::string modified_text(const std::filesystem::directory_entry& entry) {
    std::error_code ec;
    auto written = entry.last_write_time(ec);
    if (ec) return {};
    auto system = std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::file_clock::to_sys(written));
    std::time_t t = std::chrono::system_clock::to_time_t(system);
    std::tm local{};
    localtime_r(&t, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

void list_folder(FileBrowser& browser) {
    browser.entries.clear();
    browser.error.clear();
    browser.listed = browser.folder;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(browser.folder, ec), end; !ec && it != end;
         it.increment(ec)) {
        FileBrowser::Entry entry;
        entry.name = it->path().filename().string();
        if (!entry.name.empty() && entry.name[0] == '.') continue;
        entry.directory = it->is_directory(ec);
        if (!entry.directory && browser.filter == 0 && !openable_name(entry.name)) continue;
        if (!entry.directory) entry.size = it->file_size(ec);
        entry.modified = modified_text(*it);
        browser.entries.push_back(std::move(entry));
    }
    if (ec) browser.error = ec.message();
    std::sort(browser.entries.begin(), browser.entries.end(), [](const auto& a, const auto& b) {
        return a.directory != b.directory ? a.directory : a.name < b.name;
    });
}

} // namespace

bool openable_name(const std::string& name) {
    for (const char* ending : {".asof", ".jsonl", ".ndjson", ".json", ".gz", ".csv", ".tsv", ".xes",
                               ".jsonocel", ".xmlocel", ".sqlite", ".db"})
        if (name.size() >= std::char_traits<char>::length(ending) &&
            name.compare(name.size() - std::char_traits<char>::length(ending), std::string::npos,
                         ending) == 0)
            return true;
    return false;
}

bool draw_import_progress(const ImportJob::Snapshot& snapshot, const std::string& log) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x / 2,
                                   viewport->WorkPos.y + viewport->WorkSize.y / 2),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(560, 0));
    ImGui::Begin("Importing", nullptr,
                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextWrapped("%s", printable(log).c_str());
    const ImportProgress& progress = snapshot.progress;
    double fraction = progress.raw_total ? static_cast<double>(progress.raw_bytes) /
                                               static_cast<double>(progress.raw_total)
                                         : 0.0;
    const char* phase = progress.phase == ImportPhase::indexing   ? "building indexes"
                        : progress.phase == ImportPhase::checking ? "checking integrity"
                                                                  : "reading";
    char overlay[64];
    std::snprintf(overlay, sizeof overlay, "%s %.0f%%", phase, fraction * 100);
    ImGui::ProgressBar(static_cast<float>(fraction), ImVec2(-1, 0), overlay);
    double rate =
        snapshot.seconds > 0 ? static_cast<double>(progress.events) / snapshot.seconds : 0;
    double left = fraction > 0 ? snapshot.seconds / fraction - snapshot.seconds : 0;
    ImGui::Text("%s of %s   %lld events   %.0f events/s   %.0f s left",
                human_size(progress.raw_bytes).c_str(), human_size(progress.raw_total).c_str(),
                static_cast<long long>(progress.events), rate, left);
    if (progress.rejected > 0)
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.3f, 1), "%lld lines rejected so far",
                           static_cast<long long>(progress.rejected));
    bool cancel = ImGui::Button("Cancel");
    ImGui::End();
    return cancel;
}

std::optional<std::string> draw_file_browser(FileBrowser& browser) {
    if (!browser.open) return std::nullopt;
    if (browser.folder.empty()) browser.folder = std::filesystem::current_path();
    if (browser.listed != browser.folder) list_folder(browser);
    std::optional<std::string> chosen;
    ImGui::SetNextWindowSize(ImVec2(760, 520), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("Open", &browser.open, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return std::nullopt;
    }
    if (ImGui::Button("Up")) browser.folder = browser.folder.parent_path();
    ImGui::SameLine();
    ImGui::TextUnformatted(printable(browser.folder.string()).c_str());
    ImGui::SameLine(ImGui::GetWindowWidth() - 220);
    ImGui::SetNextItemWidth(200);
    if (ImGui::Combo("##filter", &browser.filter, "Logs and cases\0All files\0"))
        browser.listed.clear();
    if (!browser.error.empty())
        ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.35f, 1), "%s", printable(browser.error).c_str());
    if (ImGui::BeginTable("files", 3,
                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                              ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("size");
        ImGui::TableSetupColumn("modified");
        ImGui::TableHeadersRow();
        std::optional<std::filesystem::path> enter;
        for (std::size_t i = 0; i < browser.entries.size(); ++i) {
            const auto& entry = browser.entries[i];
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            std::string label = (entry.directory ? "[dir] " : "") + printable(entry.name);
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(label.c_str(), false,
                                  ImGuiSelectableFlags_SpanAllColumns |
                                      ImGuiSelectableFlags_AllowDoubleClick) &&
                (entry.directory || ImGui::IsMouseDoubleClicked(0))) {
                if (entry.directory)
                    enter = browser.folder / entry.name;
                else
                    chosen = (browser.folder / entry.name).string();
            }
            ImGui::PopID();
            ImGui::TableSetColumnIndex(1);
            if (!entry.directory) ImGui::TextUnformatted(human_size(entry.size).c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(entry.modified.c_str());
        }
        ImGui::EndTable();
        if (enter) browser.folder = *enter;
    }
    ImGui::End();
    if (chosen) browser.open = false;
    return chosen;
}

void draw_messages(std::deque<std::string>& messages) {
    if (messages.empty()) return;
    if (!ImGui::IsPopupOpen("asof-message")) ImGui::OpenPopup("asof-message");
    if (ImGui::BeginPopupModal("asof-message", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::PushTextWrapPos(560);
        ImGui::TextUnformatted(printable(messages.front()).c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::Button("OK") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) {
            messages.pop_front();
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

} // namespace asof::ui
