// The JSON report: one document {manifest, events, streams} (see report_json.hpp).
#include "report/report_json.hpp"

#include "report/report_text.hpp"
#include "report/report_writers.hpp"

namespace asof::report {
namespace {

using ordered_json = nlohmann::ordered_json;

template <class T> ordered_json optional_json(const std::optional<T>& value) {
    return value ? ordered_json(*value) : ordered_json();
}

// A compact JSON text from the model back as a value (a string when it does not parse).
ordered_json value_of(const std::string& text) {
    if (text.empty()) return ordered_json();
    auto value = ordered_json::parse(text, nullptr, false);
    return value.is_discarded() ? ordered_json(text) : value;
}

ordered_json changes_json(const std::vector<ReportChange>& changes) {
    ordered_json out = ordered_json::array();
    for (const auto& change : changes) {
        ordered_json item;
        item["path"] = change.pointer;
        item["kind"] = change.kind;
        if (!change.before.empty()) item["old"] = value_of(change.before);
        if (!change.after.empty()) item["new"] = value_of(change.after);
        out.push_back(std::move(item));
    }
    return out;
}

} // namespace

ordered_json manifest_json(const ReportManifest& m) {
    ordered_json out;
    out["title"] = m.title;
    out["case"] = m.case_name;
    out["query"] = {{"text", m.query_text}, {"canonical", m.query_canonical}};
    out["zone"] = m.zone;
    out["interval"] = {{"from", m.from ? ordered_json(format_utc(*m.from)) : ordered_json()},
                       {"to", m.to ? ordered_json(format_utc(*m.to)) : ordered_json()},
                       {"utc", m.interval_utc},
                       {"in_zone", m.interval_zone}};
    out["now"] = m.now_text;
    out["as_of"] = m.as_of ? ordered_json(m.as_of_text) : ordered_json();
    ordered_json sources = ordered_json::array();
    for (const auto& source : m.sources)
        sources.push_back({{"name", source.name},
                           {"size", source.size},
                           {"sha256", source.sha256},
                           {"format", source.format},
                           {"source_tz", source.source_tz},
                           {"events", source.events},
                           {"rejected", source.rejected}});
    out["sources"] = std::move(sources);
    out["chain_head"] = m.chain_head;
    out["verify"] = {{"passes", m.verified}, {"summary", m.verify_summary}};
    out["projection"] = {{"name", m.projection_name}, {"sha256", m.projection_sha256}};
    out["asof_version"] = m.asof_version;
    out["generated_at"] = m.generated_at_text;
    out["counts"] = {{"matching_events", m.matching_events},
                     {"listed_events", m.listed_events},
                     {"streams", m.stream_count}};
    out["notes"] = m.notes;
    ordered_json findings = ordered_json::array();
    for (const auto& finding : m.findings)
        findings.push_back({{"kind", finding.kind},
                            {"stream", finding.stream},
                            {"seq", optional_json(finding.seq)},
                            {"detail", finding.detail}});
    out["findings"] = std::move(findings);
    return out;
}

ordered_json streams_json(const std::vector<ReportStream>& streams) {
    ordered_json out = ordered_json::array();
    for (const auto& stream : streams) {
        ordered_json item;
        item["name"] = stream.name;
        item["listed_events"] = stream.listed_events;
        item["start"] = {{"at", stream.start_label}, {"state", ordered_json(stream.state_start)}};
        item["end"] = {{"at", stream.end_label}, {"state", ordered_json(stream.state_end)}};
        item["diff"] = changes_json(stream.diff);
        if (stream.state_at) item["state_at"] = ordered_json(*stream.state_at);
        item["warnings"] = stream.warnings;
        out.push_back(std::move(item));
    }
    return out;
}

std::string document_text(const ordered_json& document) {
    return json_inert(document.dump(2, ' ', false, ordered_json::error_handler_t::replace)) + "\n";
}

Result<void> write_report_json(const Report& report, std::string& out) {
    ordered_json doc;
    doc["manifest"] = manifest_json(report.manifest);
    ordered_json events = ordered_json::array();
    for (const auto& event : report.events) {
        ordered_json item;
        item["seq"] = event.seq;
        item["id"] = optional_json(event.event_id);
        item["time"] = event.time_local;
        item["time_utc"] = event.time_utc;
        item["stream"] = event.stream;
        item["type"] = optional_json(event.type);
        item["version"] = optional_json(event.version);
        item["actor"] = optional_json(event.actor);
        item["changes"] = changes_json(event.changes);
        item["data"] = value_of(event.data);
        events.push_back(std::move(item));
    }
    doc["events"] = std::move(events);
    doc["streams"] = streams_json(report.streams);
    out += document_text(doc);
    return {};
}

Result<void> write_report_csv_manifest(const Report& report, std::string& out) {
    ordered_json doc;
    doc["manifest"] = manifest_json(report.manifest);
    doc["csv_columns"] = {"time", "time_utc", "seq",   "id",     "stream",
                          "type", "version",  "actor", "changes"};
    doc["streams"] = streams_json(report.streams);
    out += document_text(doc);
    return {};
}

} // namespace asof::report
