// Small helpers for writing JSON text by hand on hot paths (strings and excerpts).
#include "eventlog/json_text.hpp"

namespace asof {

static constexpr char hex_digits[] = "0123456789abcdef";

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    // Runs of characters that need no escape are copied whole.
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
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
            out += "\\u00";
            out.push_back(hex_digits[byte >> 4]);
            out.push_back(hex_digits[byte & 0xf]);
        }
    }
    out.append(text.data() + run, text.size() - run);
    out.push_back('"');
}

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
    if (length == 0 || lead > 0xf4 || i + length > text.size()) return 0;
    std::uint32_t value = lead & (0x7fu >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
        value = (value << 6) | (byte(i + k) & 0x3fu);
    }
    bool overlong = (length == 3 && value < 0x800) || (length == 4 && value < 0x10000);
    bool surrogate = value >= 0xd800 && value <= 0xdfff;
    return overlong || surrogate || value > 0x10ffff ? 0 : length;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++width;
    return width;
}

std::size_t bidi_control_length(std::string_view text, std::size_t i) {
    if (i + 1 < text.size() && text[i] == '\xd8' && text[i + 1] == '\x9c') return 2; // U+061C
    if (i + 2 >= text.size() || text[i] != '\xe2') return 0;
    auto second = static_cast<unsigned char>(text[i + 1]);
    auto third = static_cast<unsigned char>(text[i + 2]);
    bool marks = second == 0x80 && (third == 0x8e || third == 0x8f ||  // U+200E, U+200F
                                    (third >= 0xaa && third <= 0xae)); // U+202A..U+202E
    bool isolates = second == 0x81 && third >= 0xa6 && third <= 0xa9;  // U+2066..U+2069
    return marks || isolates ? 3 : 0;
}

// The code point of the valid UTF-8 sequence of `length` bytes at text[i].
static std::uint32_t code_point(std::string_view text, std::size_t i, std::size_t length) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::uint32_t value = length == 1 ? byte : byte & (0x7fu >> length);
    for (std::size_t k = 1; k < length; ++k)
        value = (value << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3fu);
    return value;
}

static void append_code_escape(std::string& out, std::uint32_t value, EscapeStyle style) {
    if (style == EscapeStyle::backslash) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4)
            out.push_back(hex_digits[(value >> shift) & 0xf]);
        return;
    }
    constexpr char upper[] = "0123456789ABCDEF";
    out += "[U+";
    for (int shift = 12; shift >= 0; shift -= 4)
        out.push_back(upper[(value >> shift) & 0xf]);
    out += ']';
}

// Whether a code point is a control character: C0, DEL or C1.
static bool is_control(std::uint32_t value) {
    return value < 0x20 || (value >= 0x7f && value < 0xa0);
}

std::string inert_text(std::string_view text, std::string_view keep, EscapeStyle style) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += "\uFFFD"; // U+FFFD
            ++i;
            continue;
        }
        std::uint32_t value = code_point(text, i, length);
        bool kept = length == 1 && keep.find(text[i]) != std::string_view::npos;
        bool separator = value == 0x2028 || value == 0x2029;
        if (!kept && (is_control(value) || separator || bidi_control_length(text, i) != 0))
            append_code_escape(out, value, style);
        else
            out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::string printable_excerpt(std::string_view text, std::size_t limit) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = utf8_sequence_length(text, i);
        if (length != 0 && bidi_control_length(text, i) != 0) {
            if (out.size() + 6 > limit) break;
            append_code_escape(out, code_point(text, i, length), EscapeStyle::backslash);
            i += length;
            continue;
        }
        bool c1 = length == 2 && byte == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0;
        bool escape = length == 0 || byte < 0x20 || byte == 0x7f;
        if (c1) {
            if (out.size() + 4 > limit) break;
            out += "\\x";
            out.push_back(hex_digits[static_cast<unsigned char>(text[i + 1]) >> 4]);
            out.push_back(hex_digits[static_cast<unsigned char>(text[i + 1]) & 0xf]);
            i += 2;
            continue;
        }
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
