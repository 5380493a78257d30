// Writes listed events as a table, CSV, one JSON document or JSON Lines, streaming.
#include "report/event_writer.hpp"

#include "eventlog/json_text.hpp"
#include "report/csv_writer.hpp"

#include <algorithm>
#include <ostream>

namespace asof {
namespace {

constexpr std::size_t table_sample_rows = 200;
constexpr std::size_t summary_chars = 80;

// The first `limit` code points of `text`, with "…" when cut.
std::string shorten(std::string_view text, std::size_t limit) {
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) continue;
        if (points++ == limit - 1 && display_width(text.substr(i)) > 1)
            return std::string(text.substr(0, i)) + "\u2026";
    }
    return std::string(text);
}

void append_opt_string(std::string& out, const std::optional<std::string>& text) {
    if (text)
        append_json_string(out, *text);
    else
        out += "null";
}

void append_opt_json(std::string& out, const std::optional<std::string>& json) {
    out += json ? *json : "null";
}

} // namespace

std::optional<EventFormat> event_format_from_name(std::string_view name) {
    if (name == "table") return EventFormat::table;
    if (name == "csv") return EventFormat::csv;
    if (name == "json") return EventFormat::json;
    if (name == "jsonl") return EventFormat::jsonl;
    return std::nullopt;
}

void append_event_json(std::string& out, const StoredEvent& event) {
    out += "{\"seq\":";
    out += std::to_string(event.seq);
    out += ",\"id\":";
    append_opt_string(out, event.event_id);
    out += ",\"stream\":";
    append_json_string(out, event.stream);
    out += ",\"type\":";
    append_opt_string(out, event.type);
    out += ",\"version\":";
    out += event.version ? std::to_string(*event.version) : "null";
    out += ",\"ts\":\"";
    out += format_utc(event.ts);
    out += "\",\"actor\":";
    append_opt_string(out, event.actor);
    out += ",\"data\":";
    append_opt_json(out, event.data);
    out += ",\"meta\":";
    append_opt_json(out, event.meta);
    out += "}";
}

EventWriter::EventWriter(std::ostream& out, EventFormat format, const date::time_zone* zone)
    : out_(out), format_(format), zone_(zone) {
}

void EventWriter::write(const StoredEvent& event) {
    buffer_.clear();
    switch (format_) {
    case EventFormat::jsonl:
        append_event_json(buffer_, event);
        buffer_.push_back('\n');
        break;
    case EventFormat::json:
        if (!started_) {
            buffer_ += "{";
            for (const auto& member : json_members_)
                buffer_ += member + ",";
            buffer_ += "\"events\":[\n";
        } else {
            buffer_ += ",\n";
        }
        append_event_json(buffer_, event);
        break;
    case EventFormat::csv:
        if (!started_) buffer_ += "seq,id,stream,type,version,ts,actor,data,meta\r\n";
        buffer_ += std::to_string(event.seq);
        for (auto field :
             {event.event_id, std::optional<std::string>(event.stream), event.type,
              event.version ? std::optional(std::to_string(*event.version)) : std::nullopt,
              std::optional(format_utc(event.ts)), event.actor, event.data, event.meta}) {
            buffer_.push_back(',');
            if (field) append_csv_field(buffer_, *field);
        }
        buffer_ += "\r\n";
        break;
    case EventFormat::table: {
        TableRow row{format_in_zone(event.ts, zone_),
                     printable(event.stream),
                     printable(event.type.value_or("")),
                     event.version ? std::to_string(*event.version) : "",
                     printable(event.actor.value_or("")),
                     shorten(printable(event.data.value_or("")), summary_chars)};
        if (!table_flushed_ && pending_.size() < table_sample_rows) {
            pending_.push_back(std::move(row));
        } else {
            flush_table_rows();
            write_table_row(row);
        }
        break;
    }
    }
    started_ = true;
    ++count_;
    out_ << buffer_;
}

void EventWriter::flush_table_rows() {
    if (table_flushed_) return;
    table_flushed_ = true;
    const TableRow header{"time", "stream", "type", "version", "actor", "data"};
    widths_ = {display_width(header.time), display_width(header.stream), display_width(header.type),
               display_width(header.version), display_width(header.actor)};
    for (const auto& row : pending_) {
        std::array<std::size_t, 5> w = {display_width(row.time), display_width(row.stream),
                                        display_width(row.type), display_width(row.version),
                                        display_width(row.actor)};
        for (std::size_t i = 0; i < w.size(); ++i)
            widths_[i] = std::max(widths_[i], w[i]);
    }
    std::vector<TableRow> rows = std::move(pending_);
    pending_.clear();
    for (const auto& line : heading_)
        out_ << line << '\n';
    if (rows.empty()) return;
    write_table_row(header);
    for (const auto& row : rows)
        write_table_row(row);
}

void EventWriter::write_table_row(const TableRow& row) {
    std::string line;
    const std::string* cells[] = {&row.time, &row.stream, &row.type, &row.version, &row.actor};
    for (std::size_t i = 0; i < 5; ++i) {
        line += *cells[i];
        std::size_t width = std::max(widths_[i], display_width(*cells[i]));
        line.append(width - display_width(*cells[i]) + 2, ' ');
    }
    line += row.summary;
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    out_ << line << '\n';
}

void EventWriter::finish() {
    switch (format_) {
    case EventFormat::json:
        if (!started_) {
            out_ << "{";
            for (const auto& member : json_members_)
                out_ << member << ",";
            out_ << "\"events\":[";
        }
        out_ << (started_ ? "\n" : "") << "]";
        if (trailing_count_) out_ << ",\"count\":" << count_;
        out_ << "}\n";
        break;
    case EventFormat::csv:
        if (!started_) out_ << "seq,id,stream,type,version,ts,actor,data,meta\r\n";
        break;
    case EventFormat::table:
        flush_table_rows();
        if (footer_)
            out_ << *footer_ << '\n';
        else
            out_ << count_ << (count_ == 1 ? " event" : " events") << '\n';
        break;
    case EventFormat::jsonl:
        break;
    }
}

} // namespace asof
