// Text shared by the report writers (see report_text.hpp).
#include "report/report_text.hpp"

#include "eventlog/json_text.hpp"

namespace asof::report {

std::string change_text(const ReportChange& change) {
    std::string before = change.before.empty() ? "(absent)" : change.before;
    std::string after = change.after.empty() ? "(removed)" : change.after;
    return (change.pointer.empty() ? "/" : change.pointer) + ": " + before + " -> " + after;
}

std::string changes_text(const std::vector<ReportChange>& changes) {
    std::string text;
    for (const auto& change : changes)
        text += (text.empty() ? "" : "; ") + change_text(change);
    return text;
}

std::string markdown_text(std::string_view text) {
    std::string out;
    for (char c : inert_text(text)) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '\\':
        case '|':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '#':
        case '!':
            out.push_back('\\');
            out.push_back(c);
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

std::string json_inert(std::string_view json) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(json.size());
    auto escape = [&](unsigned value) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4)
            out.push_back(hex[(value >> shift) & 0xfu]);
    };
    for (std::size_t i = 0; i < json.size(); ++i) {
        auto byte = static_cast<unsigned char>(json[i]);
        auto next = i + 1 < json.size() ? static_cast<unsigned char>(json[i + 1]) : 0u;
        auto third = i + 2 < json.size() ? static_cast<unsigned char>(json[i + 2]) : 0u;
        if (byte == 0x7f) {
            escape(0x7f);
        } else if (byte == 0xc2 && next >= 0x80 && next < 0xa0) { // C1 controls
            escape(next);
            ++i;
        } else if (bidi_control_length(json, i) == 2) { // U+061C
            escape(0x061c);
            ++i;
        } else if (bidi_control_length(json, i) == 3 ||
                   (byte == 0xe2 && next == 0x80 && (third == 0xa8 || third == 0xa9))) {
            escape(((byte & 0x0fu) << 12) | ((next & 0x3fu) << 6) | (third & 0x3fu));
            i += 2;
        } else {
            out.push_back(json[i]);
        }
    }
    return out;
}

} // namespace asof::report
