// Text shared by the report writers: a change in one line, and the escaping that keeps text
// from the log inert in Markdown and in JSON documents.
#pragma once

#include "report/report_model.hpp"

#include <string>
#include <string_view>

namespace asof::report {

// "/amount: 1840 -> 2052.4", "/note: (absent) -> \"x\"", "/old: 3 -> (removed)".
std::string change_text(const ReportChange& change);

// All of a report's changes of one event in one line, "; " between them ("" when none).
std::string changes_text(const std::vector<ReportChange>& changes);

// `text` for Markdown running text or a table cell: inert_text() (no control or bidi
// character, valid UTF-8), then '\', '|', '`', '*', '_', '[', ']', '#', '!' backslash-escaped
// and '<', '>', '&' written as entities, so that no markup, link, image or HTML forms.
std::string markdown_text(std::string_view text);

// Rewrites, in JSON text that nlohmann dumped, the characters that a viewer could misread as
// \uXXXX escapes (they only occur inside strings, so the values stay the same): DEL and C1
// controls, bidirectional controls, U+2028 and U+2029.
std::string json_inert(std::string_view json);

} // namespace asof::report
