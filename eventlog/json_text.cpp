// Small helpers for writing JSON text by hand on hot paths (strings and excerpts).
#include "eventlog/json_text.hpp"

namespace asof {

static constexpr char hex_digits[] = "0123456789abcdef";

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (byte < 0x20) {
                out += "\\u00";
                out.push_back(hex_digits[byte >> 4]);
                out.push_back(hex_digits[byte & 0xf]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
static std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xe  ? 3
                         : (byte >> 3) == 0x1e ? 4
                                               : 0;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return 0;
    return length;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++width;
    return width;
}

std::string printable_excerpt(std::string_view text, std::size_t limit) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = utf8_sequence_length(text, i);
        bool escape = length == 0 || byte < 0x20 || byte == 0x7f;
        if (out.size() + (escape ? 4 : length) > limit) break;
        if (escape) {
            out += "\\x";
            out.push_back(hex_digits[byte >> 4]);
            out.push_back(hex_digits[byte & 0xf]);
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    if (i < text.size()) out += "\u2026";
    return out;
}

} // namespace asof
