// Small helpers for writing JSON text by hand on hot paths (strings and excerpts).
#pragma once

#include <string>
#include <string_view>

namespace asof {

// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
void append_json_string(std::string& out, std::string_view text);

// A short, printable excerpt of possibly invalid input: at most `limit` bytes of the start of
// `text`, with control characters and invalid UTF-8 bytes written as \xNN, cut on a character
// boundary, and "…" appended when cut.
std::string printable_excerpt(std::string_view text, std::size_t limit = 120);

} // namespace asof
