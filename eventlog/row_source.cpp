// Chooses the RowSource for a file: from --format, else the extension, else the content; and
// refuses, naming what was found, a file whose content is not what its extension says.
#include "eventlog/row_source.hpp"

#include "eventlog/format_sniff.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace asof {
namespace {

// The format an extension names ("" when it names none); `.gz` of a text format counts.
std::string format_of_extension(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool gz = name.ends_with(".gz");
    if (gz) name.resize(name.size() - 3);
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> table = {{
        {".jsonl", "jsonl"},
        {".ndjson", "jsonl"},
        {".json", "json"}, // JSON Lines or OCEL JSON: the content decides
        {".csv", "csv"},
        {".tsv", "csv"},
        {".xes", "xes"},
        {".jsonocel", "ocel-json"},
        {".xmlocel", "ocel-xml"},
        {".sqlite", "sqlite-any"}, // OCEL SQLite or a snapshot: the content decides
        {".sqlite3", "sqlite-any"},
        {".db", "sqlite-any"},
    }};
    for (auto [extension, format] : table)
        if (name.ends_with(extension)) {
            if (gz && format == "sqlite-any") return {};
            return std::string(format);
        }
    return {};
}

// Whether content sniffed as `found` may be read as `format`.
bool content_fits(const std::string& format, const SniffedFormat& found) {
    if (found.format == format) return true;
    if (found.format == "ocel-sqlite" && format == "sqlite") return true; // a table of it
    if (!found.certain) {
        // Weak guesses (a header row, unrecognised text) only rule out the binary formats.
        return format != "sqlite" && format != "ocel-sqlite";
    }
    // A line format read line by line reports bad lines as rejects; only a different kind of
    // document is refused.
    if (format == "jsonl" && found.format == "csv") return true;
    return false;
}

Result<std::unique_ptr<RowSource>> open_as(const std::string& format, const std::string& path,
                                           const RowSourceOptions& options) {
    if (format == "jsonl") return open_jsonl_source(path, options);
    if (format == "csv") return open_csv_source(path, options);
    if (format == "sqlite") return open_sqlite_table_source(path, options);
    if (format == "xes") return open_xes_source(path, options);
    if (format == "ocel-json") return open_ocel_json_source(path, options);
    if (format == "ocel-xml") return open_ocel_xml_source(path, options);
    if (format == "ocel-sqlite") return open_ocel_sqlite_source(path, options);
    return fail("unknown format \"" + format +
                    "\" (known: jsonl, csv, xes, ocel-json, ocel-xml, ocel-sqlite, sqlite)",
                "--format");
}

} // namespace

Result<std::unique_ptr<RowSource>> open_row_source(const std::string& path,
                                                   const std::string& format,
                                                   const RowSourceOptions& options) {
    auto sniffed = sniff_source(path);
    if (!sniffed) return tl::unexpected(sniffed.error());
    auto refuse = [&](std::string_view wanted) -> Result<std::unique_ptr<RowSource>> {
        return fail("not " + std::string(format_title(wanted)) + ": the file is " +
                        sniffed->description,
                    path);
    };
    RowSourceOptions adjusted = options;
    if (!adjusted.delimiter && path.ends_with(".tsv")) adjusted.delimiter = '\t';

    if (format != "auto") {
        if (!content_fits(format, *sniffed)) return refuse(format);
        return open_as(format, path, adjusted);
    }
    std::string by_extension = format_of_extension(path);
    if (by_extension == "json") {
        // .json holds JSON Lines or OCEL JSON.
        if (sniffed->format == "ocel-json") return open_as("ocel-json", path, adjusted);
        by_extension = "jsonl";
    }
    if (by_extension == "sqlite-any") {
        if (sniffed->format == "ocel-sqlite" || sniffed->format == "sqlite")
            return open_as(options.table ? "sqlite" : sniffed->format, path, adjusted);
        return refuse("sqlite");
    }
    if (!by_extension.empty()) {
        if (!content_fits(by_extension, *sniffed)) return refuse(by_extension);
        return open_as(by_extension, path, adjusted);
    }
    if (sniffed->format == "ocel-sqlite" && options.table) return open_as("sqlite", path, adjusted);
    if (!sniffed->format.empty()) return open_as(sniffed->format, path, adjusted);
    return fail("unrecognised format: the file is " + sniffed->description +
                    " (give --format: jsonl, csv, xes, ocel-json, ocel-xml, ocel-sqlite, sqlite)",
                path);
}

} // namespace asof
