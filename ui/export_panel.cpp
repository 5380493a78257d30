// File > Export results (the current query's matching events as CSV, JSON or JSON Lines) and
// File > Export report (the timeline report of report/: HTML, PDF, CSV, JSON or Markdown, built
// on a thread of its own in the app), each written through a temporary file renamed into
// place, never over the case file or a source log (report::write_file_atomically).
#include "eventlog/json_text.hpp"
#include "report/event_writer.hpp"
#include "report/report_builder.hpp"
#include "report/report_writers.hpp"
#include "ui/panels.hpp"

#include <date/tz.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <functional>
#include <sstream>

namespace asof::ui {

namespace {

// The files an export must never overwrite: the case file and its source logs.
std::vector<std::string> protected_paths(const ConsoleState& state) {
    std::vector<std::string> paths{state.case_path};
    for (const auto& source : state.info.sources)
        paths.push_back(source.path);
    return paths;
}

} // namespace

std::string export_results(ConsoleState& state, const std::string& path, EventFormat format) {
    if (!state.prepared) return "run a query first";
    std::ostringstream out;
    EventWriter writer(out, format, state.zone);
    query::Executor executor(state.db, false);
    query::PreparedQuery listing = *state.prepared;
    listing.query.newest_first = false;
    auto written = executor.each_event(listing, query::effective_limit(listing.query, std::nullopt),
                                       [&](const StoredEvent& event) { writer.write(event); });
    if (!written) return written.error().describe();
    writer.finish();
    auto stored = report::write_file_atomically(path, out.str(), protected_paths(state));
    return stored ? std::string() : stored.error().describe();
}

namespace {

// What writing a report needs, taken from the console so that another thread can do it.
struct ReportJob {
    report::ReportRequest request;
    report::ReportFormat format;
    std::string path;
    std::vector<std::string> protected_paths;
};

ReportJob report_job(const ConsoleState& state, const std::string& path,
                     report::ReportFormat format, const std::string& title) {
    ReportJob job;
    job.request.query_text = state.prepared->text;
    job.request.clock = state.prepared->clock;
    job.request.title = title;
    job.request.projection = state.projection;
    job.request.case_path = state.case_path;
    job.format = format;
    job.path = path;
    job.protected_paths = protected_paths(state);
    return job;
}

// Builds and writes the report on `db`; an error message, empty on success.
std::string write_report(sql::Db& db, const ReportJob& job) {
    auto built = report::build_report(db, job.request);
    if (!built) return built.error().describe();
    auto written = report::export_report(*built, job.format, job.path, job.protected_paths);
    return written ? std::string() : written.error().describe();
}

} // namespace

std::string export_report(ConsoleState& state, const std::string& path, report::ReportFormat format,
                          const std::string& title) {
    if (!state.prepared) return "run a query first";
    return write_report(state.db, report_job(state, path, format, title));
}

void start_report_export(ConsoleState& state, const std::string& path, report::ReportFormat format,
                         const std::string& title) {
    if (state.report_task) return;
    if (!state.background || !state.prepared) {
        std::string error = export_report(state, path, format, title);
        state.report_message = error.empty() ? "Written to " + path : "Not written: " + error;
        return;
    }
    state.report_message.clear();
    state.report_task = std::make_unique<BackgroundTask<std::string>>(
        [job = report_job(state, path, format, title)](
            const std::atomic<bool>&) -> Result<std::string> {
            auto db = open_case(job.request.case_path);
            if (!db) return tl::unexpected(db.error());
            std::string error = write_report(*db, job);
            if (!error.empty()) return fail(error);
            return job.path;
        },
        state.wake);
}

namespace {

// Opens the modal `name` when asked; false while it is not showing.
bool begin_export_popup(const char* name, bool& open) {
    if (open) {
        ImGui::OpenPopup(name);
        open = false;
    }
    ImGui::SetNextWindowSize(ImVec2(560, 0));
    return ImGui::BeginPopupModal(name, nullptr, ImGuiWindowFlags_NoResize);
}

// The format list; choosing one gives the file name that format's ending.
void format_combo(int& format, std::string& path, const char* const* labels,
                  const char* const* endings, int count) {
    if (ImGui::Combo("format", &format, labels, count)) {
        auto dot = path.rfind('.');
        path = (dot == std::string::npos ? path : path.substr(0, dot)) + endings[format];
    }
}

// The outcome of the last export (or that one is being written), Export (runs `write`, which
// sets the message; disabled while `writing`) and Close; ends the popup.
void export_buttons(std::string& message, const std::function<void()>& write,
                    bool writing = false) {
    if (writing)
        ImGui::TextUnformatted("Writing... (the hash chain is verified first)");
    else if (!message.empty())
        ImGui::TextWrapped("%s", printable(message).c_str());
    if (writing) ImGui::BeginDisabled();
    if (ImGui::Button("Export")) write();
    if (writing) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Close")) {
        message.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

} // namespace

void draw_export_dialog(ConsoleState& state, bool& open) {
    if (!begin_export_popup("Export results", open)) return;
    static std::string path = "asof-results.csv";
    static int format = 0; // csv, json, jsonl
    static std::string message;
    ImGui::TextWrapped("The %zu events of \"%s\", oldest first, times in %s.",
                       state.results.rows.size(),
                       state.prepared ? printable(state.prepared->canonical).c_str() : "",
                       state.zone ? state.zone->name().c_str() : "UTC");
    const char* formats[] = {"CSV (RFC 4180, formula-safe)", "JSON", "JSON Lines"};
    const char* endings[] = {".csv", ".json", ".jsonl"};
    format_combo(format, path, formats, endings, 3);
    ImGui::InputText("file", &path);
    export_buttons(message, [&] {
        const EventFormat chosen[] = {EventFormat::csv, EventFormat::json, EventFormat::jsonl};
        std::string error = export_results(state, path, chosen[format]);
        message = error.empty() ? "Written to " + path : "Not written: " + error;
    });
}

void draw_report_dialog(ConsoleState& state, bool& open) {
    if (!begin_export_popup("Export report", open)) return;
    static std::string path = "asof-report.html", title;
    static int format = 0;
    const char* formats[] = {"HTML (with an SVG timeline)", "PDF", "CSV (+ .manifest.json)", "JSON",
                             "Markdown"};
    const char* endings[] = {".html", ".pdf", ".csv", ".json", ".md"};
    const report::ReportFormat chosen[] = {report::ReportFormat::html, report::ReportFormat::pdf,
                                           report::ReportFormat::csv, report::ReportFormat::json,
                                           report::ReportFormat::md};
    ImGui::TextWrapped("A report of \"%s\": the manifest (sources, hash chain, projection), every "
                       "matching event with its changes, each stream's states; times in %s.",
                       state.prepared ? printable(state.prepared->canonical).c_str() : "",
                       state.zone ? state.zone->name().c_str() : "UTC");
    format_combo(format, path, formats, endings, 5);
    ImGui::InputText("title", &title);
    if (ImGui::InputText("file", &path)) {
        // A typed extension chooses the format.
        if (auto named = report::report_format_from_path(path))
            for (int i = 0; i < 5; ++i)
                if (chosen[i] == *named) format = i;
    }
    export_buttons(
        state.report_message, [&] { start_report_export(state, path, chosen[format], title); },
        state.report_task != nullptr);
}

} // namespace asof::ui
