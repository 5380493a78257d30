// Turns one JSON Lines line into an EventRow, or into the reason it cannot be one.
#pragma once

#include "eventlog/event.hpp"
#include "eventlog/field_map.hpp"

#include <memory>
#include <string_view>

namespace date {
class time_zone;
}

namespace asof {

// Reusable per-thread parser state (simdjson's buffers). Not thread-safe.
class JsonlParser {
public:
    // Bytes that must be readable (any content) after every line passed to parse().
    static constexpr std::size_t padding = 64;
    // Lines longer than this are rejected without being parsed.
    static constexpr std::size_t max_line_bytes = std::size_t{16} << 20;

    JsonlParser(FieldMap map, const date::time_zone* source_zone);
    ~JsonlParser();
    JsonlParser(JsonlParser&&) noexcept;

    // Parses `line` (no line terminator; `padding` readable bytes must follow it) into `out`.
    // On failure the Error's message is the reject reason ("malformed JSON: ...").
    Result<void> parse(std::string_view line, EventRow& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace asof
