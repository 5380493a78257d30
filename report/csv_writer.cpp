// RFC 4180 CSV output that spreadsheets cannot turn into formulas.
#include "report/csv_writer.hpp"

#include <charconv>

namespace asof {

static bool is_plain_number(std::string_view text) {
    if (text.starts_with('+')) text.remove_prefix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

static bool starts_like_formula(std::string_view field) {
    if (field.empty()) return false;
    char first = field.front();
    if (first == '=' || first == '@' || first == '\t' || first == '\r') return true;
    return (first == '+' || first == '-') && !is_plain_number(field);
}

void append_csv_field(std::string& out, std::string_view field) {
    bool neutralise = starts_like_formula(field);
    bool quote = neutralise || field.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
        out.append(field);
        return;
    }
    out.push_back('"');
    if (neutralise) out.push_back('\'');
    for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

} // namespace asof
