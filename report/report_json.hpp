// The JSON shapes of a report's parts, shared by the JSON writer and the CSV writer's companion
// manifest file.
#pragma once

#include "report/report_model.hpp"

#include <nlohmann/json.hpp>

namespace asof::report {

nlohmann::ordered_json manifest_json(const ReportManifest& manifest);
nlohmann::ordered_json streams_json(const std::vector<ReportStream>& streams);

// A document as indented JSON text ending in a newline, made inert by json_inert().
std::string document_text(const nlohmann::ordered_json& document);

// The companion file of a CSV report: {"manifest", "csv_columns", "streams"}.
Result<void> write_report_csv_manifest(const Report& report, std::string& out);

} // namespace asof::report
