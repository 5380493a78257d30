// Log text made safe to show in a document: valid UTF-8 only, and nothing invisible that could
// change what a reader sees (control characters, bidirectional overrides and isolates).
#pragma once

#include <string>
#include <string_view>

namespace asof::report {

// `text` with every invalid UTF-8 byte replaced by U+FFFD and every control character (C0, DEL,
// C1), bidirectional control (U+061C, U+200E/F, U+202A..E, U+2066..9) and line or paragraph
// separator (U+2028/9) written visibly as "[U+XXXX]". The result is valid UTF-8 with no
// character that can reorder or hide the text around it.
std::string visible_text(std::string_view text);

// visible_text() escaped for HTML and SVG text and attribute values: & < > " ' become entities.
void append_html_text(std::string& out, std::string_view text);

// append_html_text() wrapped in <bdi>...</bdi>, so right-to-left text stays inside its cell.
void append_html_bdi(std::string& out, std::string_view text);

// The offset just after the code point that starts at `offset` (one byte further on an invalid
// byte): used to wrap and cut text on character boundaries.
std::size_t next_code_point(std::string_view text, std::size_t offset);

// At most `max_chars` code points of valid UTF-8 `text`, ending in "…" when cut (for labels in
// a fixed space whose full text is printed elsewhere in the report).
std::string shortened(std::string_view text, std::size_t max_chars);

} // namespace asof::report
