// Small helpers for writing JSON text by hand on hot paths (strings and excerpts).
#pragma once

#include <string>
#include <string_view>

namespace asof {

// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
void append_json_string(std::string& out, std::string_view text);

// A short, printable excerpt of possibly invalid input: the start of `text` in at most `limit`
// bytes, with control characters (C0, DEL, C1) and invalid UTF-8 bytes written as \xNN,
// bidirectional controls (which could reorder what follows them) as \u202e, cut on a character
// boundary, and "…" appended (beyond the limit) when cut.
std::string printable_excerpt(std::string_view text, std::size_t limit = 120);

// All of `text`, made safe to print on a terminal as printable_excerpt() does (no escape
// sequences, carriage returns or line breaks from the data reach the screen).
inline std::string printable(std::string_view text) {
    return printable_excerpt(text, std::string_view::npos);
}

// The length of the bidirectional control character (U+061C, U+200E, U+200F, U+202A..U+202E,
// U+2066..U+2069) that starts at text[i] in UTF-8, or 0 when none does.
std::size_t bidi_control_length(std::string_view text, std::size_t i);

// The length of the valid UTF-8 sequence at text[i] (1 to 4), or 0 when the bytes there are
// not one (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, cut short).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// How inert_text() writes a character it must not pass through.
enum class EscapeStyle {
    backslash, // "\u202e": CSV, Markdown, the terminal
    bracketed, // "[U+202E]": HTML and PDF, where a reader sees it
};

// `text` made inert for a document: valid UTF-8 kept, each invalid byte replaced by U+FFFD,
// bidirectional controls, line and paragraph separators (U+2028/9), C0 controls, DEL and C1
// controls written visibly in `style`, except the characters listed in `keep` (such as
// "\t\r\n" for a quoted CSV cell).
std::string inert_text(std::string_view text, std::string_view keep = {},
                       EscapeStyle style = EscapeStyle::backslash);

// The number of code points in UTF-8 text: the columns it takes in a terminal table (wide and
// combining characters aside).
std::size_t display_width(std::string_view text);

} // namespace asof
