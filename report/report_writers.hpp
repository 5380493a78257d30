// The report writers, one per format, each rendering a whole Report into bytes, and the file
// writer that puts those bytes in place atomically (temporary name, then rename), refusing to
// overwrite a source log or the case file.
#pragma once

#include "eventlog/result.hpp"
#include "report/report_model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asof::report {

std::optional<ReportFormat> report_format_from_name(std::string_view name);
// From the output file's extension (.html/.htm, .pdf, .csv, .json, .md/.markdown).
std::optional<ReportFormat> report_format_from_path(const std::string& path);

// Each appends the whole report to `out`. Same report, same bytes.
Result<void> write_report_html(const Report& report, std::string& out); // with inline SVG
Result<void> write_report_pdf(const Report& report, std::string& out);  // cairo
Result<void> write_report_csv(const Report& report, std::string& out);
Result<void> write_report_json(const Report& report, std::string& out);
Result<void> write_report_md(const Report& report, std::string& out);

Result<void> write_report(const Report& report, ReportFormat format, std::string& out);

// Writes `bytes` to `path` through a temporary file in the same folder and a rename. Refuses
// (with a message saying so) when `path` is one of `protected_paths` (the case file, its
// sources), compared by file identity as well as by name.
Result<void> write_file_atomically(const std::string& path, std::string_view bytes,
                                   const std::vector<std::string>& protected_paths);

// Where a CSV report's manifest goes: PATH + ".manifest.json" (report.csv.manifest.json).
std::string csv_manifest_path(const std::string& path);

// Renders `report` in `format` and writes it to `path` atomically; a CSV report also writes
// its companion manifest (csv_manifest_path). Both are checked against `protected_paths`
// before anything is written. Returns the paths written.
Result<std::vector<std::string>> export_report(const Report& report, ReportFormat format,
                                               const std::string& path,
                                               const std::vector<std::string>& protected_paths);

} // namespace asof::report
