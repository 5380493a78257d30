// Writes listed events as a table, CSV, one JSON document or JSON Lines, streaming.
#pragma once

#include "eventlog/case_reader.hpp"

#include <array>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace asof {

enum class EventFormat { table, csv, json, jsonl };

std::optional<EventFormat> event_format_from_name(std::string_view name);

// Streams events to `out` in one format. Times are shown in `zone` in the table and in UTC
// ISO 8601 elsewhere. The table sizes its columns from the first rows it sees (it holds at most
// a screenful), so its memory does not grow with the number of events.
class EventWriter {
public:
    EventWriter(std::ostream& out, EventFormat format, const date::time_zone* zone);

    // For `json`: members written before "events" (each a complete `"key":value` text).
    void set_json_members(std::vector<std::string> members) { json_members_ = std::move(members); }
    // For `table`: lines written above the table.
    void set_table_heading(std::vector<std::string> lines) { heading_ = std::move(lines); }
    // For `table`: the line written below the table instead of "N events".
    void set_table_footer(std::string line) { footer_ = std::move(line); }
    // For `json`: whether "count" follows "events" (false when json_members carry the count).
    void set_trailing_count(bool trailing) { trailing_count_ = trailing; }

    void write(const StoredEvent& event);
    // Writes what is pending and the closing parts (the table's count line, JSON's count).
    void finish();

private:
    struct TableRow {
        std::string time, stream, type, version, actor, summary;
    };
    void flush_table_rows();
    void write_table_row(const TableRow& row);

    std::ostream& out_;
    EventFormat format_;
    const date::time_zone* zone_;
    std::vector<std::string> json_members_, heading_;
    std::optional<std::string> footer_;
    bool trailing_count_ = true;
    std::vector<TableRow> pending_;
    std::array<std::size_t, 5> widths_{};
    bool started_ = false;
    bool table_flushed_ = false;
    std::int64_t count_ = 0;
    std::string buffer_;
};

// The event as one compact JSON object: seq, id, stream, type, version, ts (UTC), actor, data,
// meta. Absent values are null.
void append_event_json(std::string& out, const StoredEvent& event);

} // namespace asof
