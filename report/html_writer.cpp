// The HTML report (write_report_html): one self-contained page whose Content-Security-Policy
// forbids every script and external resource, with the manifest, an inline SVG timeline, the
// events table and each stream's states, and print CSS for A4. Everything from the log goes
// through append_html_bdi (escaped, visible controls, isolated direction).
#include "report/report_writers.hpp"
#include "report/svg_timeline.hpp"
#include "report/visible_text.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace asof::report {

namespace {

constexpr std::string_view style = R"css(
body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 10pt; color: #111; margin: 1.5em; }
h1 { font-size: 16pt; margin: 0 0 .4em; }
h2 { font-size: 12pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #999; }
h3 { font-size: 10.5pt; margin: 1em 0 .3em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 2px 4px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
table.manifest th { width: 13em; }
.mono, pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.notes { border: 2px solid #c60; background: #fff4e5; padding: .4em .8em; margin: .6em 0; }
.notes strong { color: #a40; }
.ok { color: #060; } .bad { color: #a00; font-weight: bold; }
.caption { color: #555; font-size: 8.5pt; }
svg.timeline { width: 100%; height: auto; }
.change { display: block; }
.removed { color: #a00; } .added { color: #060; }
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
@media print {
  body { margin: 0; font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, .notes, svg.timeline { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
)css";

void bdi(std::string& out, std::string_view text) {
    append_html_bdi(out, text);
}

// One table cell of log text (isolated for bidirectional text), with an optional class.
void td(std::string& out, std::string_view text, const char* cls = nullptr) {
    out += cls ? std::string("<td class=\"") + cls + "\">" : std::string("<td>");
    bdi(out, text);
    out += "</td>";
}

// A cell of text that may be absent (then empty).
void td_optional(std::string& out, const std::optional<std::string>& text) {
    out += "<td>";
    if (text) bdi(out, *text);
    out += "</td>";
}

// A cell of our own text (a number): nothing to isolate.
void td_plain(std::string& out, std::string_view text) {
    out += "<td>";
    out += text;
    out += "</td>";
}

// A manifest row: its header and value.
void row(std::string& out, std::string_view header, std::string_view value,
         const char* cls = nullptr) {
    out += "<tr><th>";
    out += header;
    out += "</th>";
    td(out, value, cls);
    out += "</tr>\n";
}

std::string to_text(std::int64_t n) {
    return std::to_string(n);
}

void manifest_section(std::string& out, const ReportManifest& m) {
    if (!m.notes.empty()) {
        out += "<div class=\"notes\"><strong>Notes: what this report leaves out</strong><ul>";
        for (const std::string& note : m.notes) {
            out += "<li>";
            bdi(out, note);
            out += "</li>";
        }
        out += "</ul></div>\n";
    }
    out += "<h2>Manifest</h2>\n<table class=\"manifest\"><tbody>\n";
    row(out, "Title", m.title);
    row(out, "Case file", m.case_name);
    row(out, "Query", m.query_text, "mono");
    row(out, "Canonical query", m.query_canonical, "mono");
    row(out, "Interval (UTC)", m.interval_utc);
    row(out, "Interval (in the zone)", m.interval_zone);
    row(out, "Zone", m.zone);
    row(out, "Now (pinned)", m.now_text);
    if (m.as_of) row(out, "As of", m.as_of_text);
    row(out, "Hash-chain head", m.chain_head, "mono");
    out += "<tr><th>Verify</th><td class=\"";
    out += m.verified ? "ok" : "bad";
    out += "\">";
    if (!m.verified) out += "does not pass: ";
    bdi(out, m.verify_summary);
    out += "</td></tr>\n<tr><th>Projection</th><td>";
    bdi(out, m.projection_name);
    out += " <span class=\"mono\">";
    bdi(out, m.projection_sha256);
    out += "</span></td></tr>\n";
    row(out, "asof version", m.asof_version);
    row(out, "Generated at", m.generated_at_text);
    row(out, "Matching events", to_text(m.matching_events));
    row(out, "Listed events", to_text(m.listed_events));
    row(out, "Streams", to_text(m.stream_count));
    out += "</tbody></table>\n";

    out += "<h3>Sources</h3>\n<table><thead><tr><th>File</th><th>Size (bytes)</th><th>SHA-256</th>"
           "<th>Format</th><th>Source zone</th><th>Events</th><th>Rejected</th></tr></thead>"
           "<tbody>\n";
    for (const ReportSource& s : m.sources) {
        out += "<tr>";
        td(out, s.name);
        td_plain(out, to_text(s.size));
        td(out, s.sha256, "mono");
        td(out, s.format);
        td(out, s.source_tz);
        td_plain(out, to_text(s.events));
        td_plain(out, to_text(s.rejected));
        out += "</tr>\n";
    }
    if (m.sources.empty()) out += "<tr><td colspan=\"7\">(none recorded)</td></tr>\n";
    out += "</tbody></table>\n";

    out += "<h3>Integrity findings touching the listed events</h3>\n";
    if (m.findings.empty()) {
        out += "<p>None.</p>\n";
        return;
    }
    out += "<table><thead><tr><th>Kind</th><th>Stream</th><th>Seq</th><th>Detail</th></tr>"
           "</thead><tbody>\n";
    for (const ReportFinding& f : m.findings) {
        out += "<tr>";
        td(out, f.kind);
        td(out, f.stream);
        td_plain(out, f.seq ? to_text(*f.seq) : std::string());
        td(out, f.detail);
        out += "</tr>\n";
    }
    out += "</tbody></table>\n";
}

void change_lines(std::string& out, const std::vector<ReportChange>& changes) {
    for (const ReportChange& c : changes) {
        out += "<span class=\"change ";
        out += c.kind == "removed" ? "removed" : c.kind == "added" ? "added" : "changed";
        out += "\"><code>";
        bdi(out, c.pointer);
        out += "</code> ";
        if (c.kind == "added") {
            out += "+ <code>";
            bdi(out, c.after);
        } else if (c.kind == "removed") {
            out += "&minus; <code>";
            bdi(out, c.before);
        } else {
            out += "<code>";
            bdi(out, c.before);
            out += "</code> &rarr; <code>";
            bdi(out, c.after);
        }
        out += "</code></span>";
    }
}

void events_section(std::string& out, const Report& report) {
    out += "<h2>Events</h2>\n";
    if (report.events.empty()) {
        out += "<p>No event matches the query.</p>\n";
        return;
    }
    out += "<table class=\"events\"><thead><tr><th>Time (";
    bdi(out, report.manifest.zone);
    out += ")</th><th>Stream</th><th>Type</th><th>Version</th><th>Actor</th>"
           "<th>Changed fields (old &rarr; new)</th></tr></thead><tbody>\n";
    for (const ReportEvent& e : report.events) {
        out += "<tr>";
        td(out, e.time_local, "mono");
        td(out, e.stream);
        td_optional(out, e.type);
        td_plain(out, e.version ? to_text(*e.version) : std::string());
        td_optional(out, e.actor);
        out += "<td>";
        change_lines(out, e.changes);
        out += "</td></tr>\n";
    }
    out += "</tbody></table>\n";
}

std::string json_text(const nlohmann::json& value) {
    return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

void state_block(std::string& out, std::string_view label, const nlohmann::json& state) {
    out += "<h4>";
    bdi(out, label);
    out += "</h4><pre>";
    bdi(out, json_text(state));
    out += "</pre>\n";
}

void streams_section(std::string& out, const Report& report) {
    out += "<h2>Streams</h2>\n";
    if (report.streams.empty()) {
        out += "<p>No stream.</p>\n";
        return;
    }
    for (const ReportStream& s : report.streams) {
        out += "<section class=\"stream\"><h3>";
        bdi(out, s.name);
        out += " <span class=\"caption\">(" + to_text(s.listed_events) +
               " listed events)</span></h3>\n";
        for (const std::string& warning : s.warnings) {
            out += "<p class=\"bad\">";
            bdi(out, warning);
            out += "</p>\n";
        }
        state_block(out, "State at the start, " + s.start_label, s.state_start);
        state_block(out, "State at the end, " + s.end_label, s.state_end);
        out += "<h4>Diff, start &rarr; end</h4>";
        if (s.diff.empty()) {
            out += "<p>No change.</p>\n";
        } else {
            out += "<table><thead><tr><th>Field</th><th>Change</th><th>Old</th><th>New</th></tr>"
                   "</thead><tbody>\n";
            for (const ReportChange& c : s.diff) {
                out += "<tr>";
                td(out, c.pointer, "mono");
                td(out, c.kind);
                td(out, c.before, "mono");
                td(out, c.after, "mono");
                out += "</tr>\n";
            }
            out += "</tbody></table>\n";
        }
        if (s.state_at) state_block(out, "State as of " + report.manifest.as_of_text, *s.state_at);
        out += "</section>\n";
    }
}

} // namespace

Result<void> write_report_html(const Report& report, std::string& out) {
    const ReportManifest& m = report.manifest;
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<meta name=\"generator\" content=\"asof ";
    append_html_text(out, m.asof_version);
    out += "\">\n<title>";
    append_html_text(out, m.title);
    out += "</title>\n<style>";
    out += style;
    out += "</style>\n</head>\n<body>\n<header><h1>";
    bdi(out, m.title);
    out += "</h1><p class=\"caption\">Timeline report generated by asof ";
    bdi(out, m.asof_version);
    out += " at ";
    bdi(out, m.generated_at_text);
    out += "</p></header>\n";
    manifest_section(out, m);
    out += "<h2>Timeline</h2>\n";
    append_svg_timeline(out, report);
    out += "\n";
    events_section(out, report);
    streams_section(out, report);
    out += "</body>\n</html>\n";
    return {};
}

} // namespace asof::report
