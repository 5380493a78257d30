// Derives a stream's kind and key from its full name ("discrepancy-4721" -> discrepancy, 4721).
#include "eventlog/stream_name.hpp"

namespace asof {

static bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_separator(char c) {
    return c == '-' || c == ':' || c == '/' || c == '_' || c == '.';
}

std::optional<StreamKindKey> derive_kind_key(std::string_view name) {
    std::size_t letters = 0;
    while (letters < name.size() && is_ascii_letter(name[letters]))
        ++letters;
    if (letters == 0 || letters + 1 >= name.size() || !is_separator(name[letters]))
        return std::nullopt;
    StreamKindKey result{std::string(name.substr(0, letters)),
                         std::string(name.substr(letters + 1))};
    for (char& c : result.kind)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return result;
}

} // namespace asof
