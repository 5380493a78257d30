// An event as read from a source, before it is stored in the case file.
#pragma once

#include "eventlog/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asof {

// A further stream an event belongs to besides its primary one (an OCEL event-to-object link),
// with the link's qualifier.
struct StreamLink {
    std::string stream; // full stream name
    std::optional<std::string> qualifier;
};

struct EventRow {
    std::int64_t line = 0;        // 1-based line in the source (XML: the element's line; a
                                  // SQLite table: the rowid; JSON array: the element's index)
    std::int64_t byte_offset = 0; // offset of the line or element in the (decompressed) source
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
    std::vector<StreamLink> links;   // further streams (not the primary one)
};

} // namespace asof
