// An event as read from a source, before it is stored in the case file.
#pragma once

#include "eventlog/time.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace asof {

struct EventRow {
    std::int64_t line = 0;        // 1-based line in the source
    std::int64_t byte_offset = 0; // offset of the line in the (decompressed) source
    std::optional<std::string> event_id;
    Timestamp ts{};
    std::optional<Timestamp> recorded;
    std::optional<std::string> type;
    std::string stream;
    std::optional<std::int64_t> version;
    std::optional<std::string> actor;
    std::optional<std::string> data; // JSON text
    std::optional<std::string> meta; // JSON text
    bool naive_time = false;         // the time carried no zone and was read in the source zone
};

} // namespace asof
