// Log text made safe to show in HTML, SVG and PDF: inert_text (eventlog/json_text) with
// visible [U+XXXX] escapes, HTML escaping on top, and cutting on character boundaries.
#include "report/visible_text.hpp"

#include "eventlog/json_text.hpp"

namespace asof::report {

std::string visible_text(std::string_view text) {
    return inert_text(text, {}, EscapeStyle::bracketed);
}

void append_html_text(std::string& out, std::string_view text) {
    for (char c : visible_text(text)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
}

void append_html_bdi(std::string& out, std::string_view text) {
    out += "<bdi>";
    append_html_text(out, text);
    out += "</bdi>";
}

std::size_t next_code_point(std::string_view text, std::size_t offset) {
    if (offset >= text.size()) return text.size();
    std::size_t length = utf8_sequence_length(text, offset);
    return offset + (length == 0 ? 1 : length);
}

std::string shortened(std::string_view text, std::size_t max_chars) {
    std::size_t end = 0, chars = 0;
    while (end < text.size() && chars + 1 < max_chars) {
        end = next_code_point(text, end);
        ++chars;
    }
    if (end >= text.size() || next_code_point(text, end) >= text.size()) return std::string(text);
    return std::string(text.substr(0, end)) + "\u2026";
}

} // namespace asof::report
