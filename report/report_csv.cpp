// The CSV report: RFC 4180, a header row and one row per event (CRLF line ends); the manifest
// and the streams' states go to the companion FILE.manifest.json (report_json.hpp), since
// comment lines are not RFC 4180. Cells are made inert (inert_text keeping tab, CR and LF,
// which a quoted cell may hold) and neutralised against formulas (append_csv_field).
#include "eventlog/json_text.hpp"
#include "report/csv_writer.hpp"
#include "report/report_text.hpp"
#include "report/report_writers.hpp"

namespace asof::report {

Result<void> write_report_csv(const Report& report, std::string& out) {
    out += "time,time_utc,seq,id,stream,type,version,actor,changes\r\n";
    auto cell = [&](std::string_view text, bool last = false) {
        append_csv_field(out, inert_text(text, "\t\r\n"));
        out += last ? "\r\n" : ",";
    };
    for (const auto& event : report.events) {
        cell(event.time_local);
        cell(event.time_utc);
        cell(std::to_string(event.seq));
        cell(event.event_id.value_or(""));
        cell(event.stream);
        cell(event.type.value_or(""));
        cell(event.version ? std::to_string(*event.version) : "");
        cell(event.actor.value_or(""));
        cell(changes_text(event.changes), true);
    }
    return {};
}

} // namespace asof::report
