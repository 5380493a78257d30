// The Markdown report: the manifest as a table, the notes and findings, the events as a table
// with their changes, and each stream's states in fenced JSON blocks. Every text from the log
// goes through markdown_text() (or into a fence longer than any backtick run inside it), so
// that it cannot form markup, links or HTML, or reorder the document.
#include "eventlog/json_text.hpp"
#include "report/report_text.hpp"
#include "report/report_writers.hpp"

namespace asof::report {
namespace {

void row(std::string& out, std::initializer_list<std::string> cells) {
    out += "|";
    for (const auto& cell : cells)
        out += " " + cell + " |";
    out += "\n";
}

void header(std::string& out, std::initializer_list<std::string> cells) {
    row(out, cells);
    out += "|";
    for (std::size_t i = 0; i < cells.size(); ++i)
        out += "---|";
    out += "\n";
}

// `json` (indented) in a fenced block whose fence is longer than any run of backticks in it.
void json_block(std::string& out, const nlohmann::json& json) {
    std::string text =
        inert_text(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace), "\n");
    std::size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    std::string fence(std::max<std::size_t>(3, longest + 1), '`');
    out += fence + "json\n" + text + "\n" + fence + "\n\n";
}

std::string text_or_dash(const std::optional<std::string>& text) {
    return text ? markdown_text(*text) : "-";
}

void write_manifest(std::string& out, const ReportManifest& m) {
    out += "## Manifest\n\n";
    header(out, {"", ""});
    row(out, {"Query", markdown_text(m.query_text)});
    row(out, {"Canonical query", markdown_text(m.query_canonical)});
    row(out, {"Interval (UTC)", markdown_text(m.interval_utc)});
    row(out, {"Interval (" + markdown_text(m.zone) + ")", markdown_text(m.interval_zone)});
    row(out, {"Zone", markdown_text(m.zone)});
    row(out, {"Now (pinned)", m.now_text});
    if (m.as_of) row(out, {"As of", m.as_of_text});
    row(out, {"Case", markdown_text(m.case_name)});
    row(out, {"Hash-chain head", m.chain_head});
    row(out, {"Verify", markdown_text(m.verify_summary)});
    row(out,
        {"Projection", markdown_text(m.projection_name) + " (sha256 " + m.projection_sha256 + ")"});
    row(out, {"asof version", markdown_text(m.asof_version)});
    row(out, {"Generated at", m.generated_at_text});
    row(out, {"Matching events", std::to_string(m.matching_events)});
    row(out, {"Listed events", std::to_string(m.listed_events)});
    row(out, {"Streams", std::to_string(m.stream_count)});
    out += "\n### Sources\n\n";
    header(out, {"File", "Size", "SHA-256", "Format", "Source zone", "Events", "Rejected"});
    for (const auto& s : m.sources)
        row(out,
            {markdown_text(s.name), std::to_string(s.size), s.sha256, markdown_text(s.format),
             markdown_text(s.source_tz), std::to_string(s.events), std::to_string(s.rejected)});
    out += "\n### Notes\n\n";
    if (m.notes.empty()) out += "Nothing is cut off or left out.\n";
    for (const auto& note : m.notes)
        out += "- " + markdown_text(note) + "\n";
    out += "\n### Integrity findings\n\n";
    if (m.findings.empty())
        out += "No integrity finding touches the listed events.\n";
    else {
        header(out, {"Kind", "Stream", "Seq", "Detail"});
        for (const auto& f : m.findings)
            row(out, {markdown_text(f.kind), markdown_text(f.stream),
                      f.seq ? std::to_string(*f.seq) : "-", markdown_text(f.detail)});
    }
    out += "\n";
}

} // namespace

Result<void> write_report_md(const Report& report, std::string& out) {
    out += "# " + markdown_text(report.manifest.title) + "\n\n";
    write_manifest(out, report.manifest);

    out += "## Events\n\n";
    if (report.events.empty())
        out += "No event matches.\n";
    else {
        header(out, {"Time (" + markdown_text(report.manifest.zone) + ")", "Seq", "Id", "Stream",
                     "Type", "Version", "Actor", "Changes"});
        for (const auto& e : report.events)
            row(out, {e.time_local, std::to_string(e.seq), text_or_dash(e.event_id),
                      markdown_text(e.stream), text_or_dash(e.type),
                      e.version ? std::to_string(*e.version) : "-", text_or_dash(e.actor),
                      e.changes.empty() ? "-" : markdown_text(changes_text(e.changes))});
    }
    out += "\n## Streams\n\n";
    if (report.streams.empty()) out += "No stream was replayed.\n\n";
    for (const auto& s : report.streams) {
        out += "### " + markdown_text(s.name) + "\n\n";
        out += std::to_string(s.listed_events) + (s.listed_events == 1 ? " event" : " events") +
               " listed.\n\n";
        out += "State at the start (" + markdown_text(s.start_label) + "):\n\n";
        json_block(out, s.state_start);
        out += "State at the end (" + markdown_text(s.end_label) + "):\n\n";
        json_block(out, s.state_end);
        if (s.state_at) {
            out += "State as of " + report.manifest.as_of_text + ":\n\n";
            json_block(out, *s.state_at);
        }
        out += "Changes from start to end:\n\n";
        if (s.diff.empty())
            out += "None.\n\n";
        else {
            for (const auto& change : s.diff)
                out += "- " + markdown_text(change_text(change)) + "\n";
            out += "\n";
        }
        for (const auto& warning : s.warnings)
            out += "Warning: " + markdown_text(warning) + "\n\n";
    }
    return {};
}

} // namespace asof::report
