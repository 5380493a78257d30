// Implements visible_text (see visible_text.hpp): one pass that decodes UTF-8 strictly
// (no overlong forms, no surrogates, nothing above U+10FFFF) and writes each code point through
// or as a visible escape.
#include "report/visible_text.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

namespace asof::report {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

// The code point starting at `i` and its length in bytes; length 0 when the bytes there are not
// a valid UTF-8 sequence.
struct Decoded {
    char32_t cp = 0;
    std::size_t length = 0;
};

Decoded decode(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) return {b0, 1};
    std::size_t length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
    if (length == 0 || b0 > 0xF4 || i + length > text.size()) return {};
    char32_t cp = b0 & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (b & 0x3F);
    }
    bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) return {};
    return {cp, length};
}

bool shown_escaped(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

} // namespace

std::string visible_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        Decoded d = decode(text, i);
        if (d.length == 0) {
            out += replacement;
            ++i;
            continue;
        }
        if (shown_escaped(d.cp)) {
            std::array<char, 16> buffer{};
            int n = std::snprintf(buffer.data(), buffer.size(), "[U+%04X]",
                                  static_cast<unsigned>(d.cp));
            out.append(buffer.data(), static_cast<std::size_t>(n));
        } else {
            out.append(text.substr(i, d.length));
        }
        i += d.length;
    }
    return out;
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
    Decoded d = decode(text, offset);
    return offset + (d.length == 0 ? 1 : d.length);
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
