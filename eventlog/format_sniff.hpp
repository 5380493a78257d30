// Recognises a source's format from its first bytes: what open_row_source() falls back on when
// the extension says nothing, and what checks that a file is what its extension says.
#pragma once

#include "eventlog/result.hpp"

#include <string>
#include <string_view>

namespace asof {

// What the first bytes of a source look like.
struct SniffedFormat {
    // A format name open_row_source() knows ("jsonl", "csv", "xes", "ocel-json", "ocel-xml",
    // "ocel-sqlite", "sqlite"), or empty when the content is none of them.
    std::string format;
    // For messages: "JSON Lines", "a SQLite database", "a ZIP archive", "XML (root <html>)".
    std::string description;
    // Whether the content says so unmistakably (a magic number, an XML root, a JSON document
    // with OCEL's members); a header row that merely has delimiters is a weak guess.
    bool certain = false;
};

// Classifies the first bytes of a (decompressed) source. SQLite files are classified as
// "sqlite"; sniff_source() looks inside them for OCEL tables.
SniffedFormat sniff_head(std::string_view head);

// Reads the start of `path` (gunzipped when it is gzip) and classifies it; a SQLite file with
// OCEL 2.0 tables (event, object, event_object, ...) is "ocel-sqlite".
Result<SniffedFormat> sniff_source(const std::string& path);

// For line-based readers: a description of content that is clearly binary or another kind of
// document ("a SQLite database", "XML", "a ZIP archive"), or empty when it may be text lines.
std::string describe_foreign_content(std::string_view head);

// The human name of a format for messages: "jsonl" -> "JSON Lines", "ocel-xml" -> "OCEL XML".
std::string_view format_title(std::string_view format);

} // namespace asof
