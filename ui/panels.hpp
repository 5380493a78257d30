// The console's panels, each drawing into the current ImGui window from the shared state.
#pragma once

#include "report/event_writer.hpp"
#include "report/report_model.hpp"
#include "ui/console_state.hpp"

namespace asof::ui {

// The query input (Enter runs, Up/Down walk the history), the error with its span underlined,
// and the canonical query, interval, zone and pinned now under it.
void draw_query_bar(ConsoleState& state);

// Streams with kind, event count, first and last time; a filter box; a click targets one.
void draw_streams_panel(ConsoleState& state);

// The results, virtualised: time (zone, offset), stream, type, version, actor, summary;
// sortable; arrows, Page Up/Down, Home/End move the selection; Ctrl+C copies it as JSON.
void draw_results_table(ConsoleState& state);

// The inspected stream's state at cursor A as a JSON tree, the selected event's changes
// highlighted, blame on hover.
void draw_state_inspector(ConsoleState& state);

// A versus B: added, removed and changed places with old and new values and their causes.
void draw_diff_panel(ConsoleState& state);

// The selected event: payload and metadata, source file, line and offset, streams, findings.
void draw_event_detail(ConsoleState& state);

// The import manifest, rejects and integrity findings; a click on a finding selects its event.
void draw_integrity_panel(ConsoleState& state);

// The bookmarked instants: a click puts cursor A there; B (over the timeline) adds one.
void draw_bookmarks(ConsoleState& state);

// Case, counts, zone, rejects and findings (a click opens the integrity panel), timing.
void draw_status_bar(ConsoleState& state);

// Writes the current query's events to `path` in `format` (through a temporary file; never
// over the case file or a source log). Returns an error message, empty on success.
std::string export_results(ConsoleState& state, const std::string& path, EventFormat format);

// File > Export results: CSV, JSON or JSON Lines of the current query's events. `open` asks
// for the dialog (reset once it opens).
void draw_export_dialog(ConsoleState& state, bool& open);

// Writes the timeline report of the current query (report::build_report) to `path` in
// `format`, never over the case file or a source log. Returns an error message, empty on
// success.
std::string export_report(ConsoleState& state, const std::string& path, report::ReportFormat format,
                          const std::string& title);

// Writes the report as export_report does: in the app's background mode on its own thread and
// connection, so the window keeps drawing while the chain is verified and the report built
// (poll_background puts the outcome in state.report_message), else at once. Does nothing while
// a report is being written.
void start_report_export(ConsoleState& state, const std::string& path, report::ReportFormat format,
                         const std::string& title);

// File > Export report: the report in a format chosen from a list or by the file's extension.
// `open` asks for the dialog (reset once it opens).
void draw_report_dialog(ConsoleState& state, bool& open);

// Help > Query syntax: examples that run on click.
void draw_help(ConsoleState& state);

// A one-line summary of a payload (JSON text): "amount=2052.4 currency=EUR ...", at most
// `max_chars` characters, control characters escaped.
std::string payload_summary(const std::optional<std::string>& data, std::size_t max_chars = 160);

} // namespace asof::ui
