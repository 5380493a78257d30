// CSV (and TSV) as a RowSource: a header row names the columns; records follow RFC 4180 (quoted
// fields may hold delimiters, doubled quotes and line breaks). Columns take event roles by the
// JSON Lines aliases, the process-mining names (case:concept:name, concept:name,
// time:timestamp, org:resource) or --map; every other non-empty cell goes to `data` as text,
// exactly as written. A record is located by its data row number and its first line.
#include "eventlog/format_sniff.hpp"
#include "eventlog/json_text.hpp"
#include "eventlog/row_source.hpp"
#include "eventlog/source_reader.hpp"

#include <charconv>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace asof {
namespace {

constexpr std::int64_t batch_rows = 4096;
constexpr std::size_t read_chunk = std::size_t{1} << 20;
constexpr std::size_t max_record_bytes = std::size_t{16} << 20;
constexpr std::size_t none = no_column;

// The process-mining column names and the role each takes when no JSON Lines alias claims it.
const std::vector<ColumnName> process_mining_names = {
    {"case:concept:name", Role::stream},
    {"concept:name", Role::type},
    {"time:timestamp", Role::ts},
    {"org:resource", Role::actor},
};

// The delimiter of a header line: the most frequent of , ; tab | outside quotes (',' if none).
char sniff_delimiter(std::string_view header) {
    const char candidates[] = {',', ';', '\t', '|'};
    std::size_t counts[4] = {};
    bool quoted = false;
    for (char c : header) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        for (std::size_t i = 0; i < 4; ++i)
            if (c == candidates[i]) ++counts[i];
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < 4; ++i)
        if (counts[i] > counts[best]) best = i;
    return candidates[best];
}

std::string json_of_cell(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

// A cell of the data or meta role: JSON kept (compacted) when it is JSON, else a JSON string.
std::string json_of_payload(std::string_view text) {
    auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
    if (parsed.is_discarded()) return json_of_cell(text);
    return parsed.dump();
}

enum class Parse { complete, incomplete, bad };

class CsvSource final : public RowSource {
public:
    CsvSource(SourceReader reader, const RowSourceOptions& options)
        : reader_(std::move(reader)), map_(options.map), zone_(options.source_zone),
          delimiter_(options.delimiter.value_or('\0')) {}

    // Reads the header row and assigns the columns their roles.
    Result<void> start() {
        if (auto ok = fill(); !ok) return ok;
        std::string_view head(buffer_.data() + begin_, end_ - begin_);
        std::string what = describe_foreign_content(head);
        if (!what.empty()) return fail("not CSV: the file is " + what);
        if (head.starts_with("\xEF\xBB\xBF")) begin_ += 3;
        if (!delimiter_) {
            std::string_view rest(buffer_.data() + begin_, end_ - begin_);
            delimiter_ = sniff_delimiter(rest.substr(0, rest.find('\n')));
        }
        std::vector<std::string> header;
        for (;;) {
            std::size_t used = 0, newlines = 0;
            std::string reason;
            Parse got = parse_record(header, used, newlines, reason);
            if (got == Parse::incomplete) {
                if (auto ok = more(); !ok) return ok;
                continue;
            }
            if (got == Parse::bad) return fail("header row: " + reason, "line 1");
            begin_ += used;
            line_number_ += static_cast<std::int64_t>(newlines) + 1;
            offset_ += static_cast<std::int64_t>(used);
            break;
        }
        if (header.empty() || (header.size() == 1 && header[0].empty()))
            return fail("no header row (CSV needs one naming the columns)");
        columns_ = std::move(header);
        return assign_roles();
    }

    Result<bool> next(RowBatch& out) override {
        const std::int64_t units_before = out.units;
        while (out.units - units_before < batch_rows) {
            if (begin_ == end_ && eof_) return false;
            std::size_t used = 0, newlines = 0;
            std::string reason;
            Parse got = parse_record(fields_, used, newlines, reason);
            if (got == Parse::incomplete) {
                if (end_ - begin_ > max_record_bytes)
                    return fail("a record longer than 16 MiB (an unterminated quote?)",
                                "line " + std::to_string(line_number_));
                if (auto ok = more(); !ok) return tl::unexpected(ok.error());
                continue;
            }
            std::string_view text(buffer_.data() + begin_, used);
            handle_record(got == Parse::bad ? &reason : nullptr, text, out);
            begin_ += used;
            offset_ += static_cast<std::int64_t>(used);
            line_number_ += static_cast<std::int64_t>(newlines) + 1;
        }
        return true;
    }

    std::string format() const override { return "csv"; }
    std::uint64_t raw_size() const override { return reader_.raw_size(); }
    std::uint64_t raw_consumed() const override { return reader_.raw_consumed(); }
    Digest raw_digest() const override { return reader_.raw_digest(); }
    std::int64_t naive_times() const override { return naive_; }
    std::int64_t zoned_times() const override { return zoned_; }
    std::string mapping_json() const override {
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        for (std::size_t i = 0; i < role_count; ++i)
            out[std::string(role_name(static_cast<Role>(i)))] =
                role_column_[i] == none ? nlohmann::ordered_json()
                                        : nlohmann::ordered_json(columns_[role_column_[i]]);
        out["delimiter"] = std::string(1, delimiter_);
        return out.dump();
    }

private:
    // Reads more bytes after the unparsed rest of the buffer.
    Result<void> more() {
        if (eof_) return {};
        return fill();
    }
    Result<void> fill() {
        if (begin_ > 0) {
            buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(begin_));
            end_ -= begin_;
            begin_ = 0;
        }
        buffer_.resize(end_ + read_chunk);
        auto got = reader_.read(buffer_.data() + end_, read_chunk);
        if (!got) return tl::unexpected(got.error());
        end_ += *got;
        eof_ = *got == 0;
        buffer_.resize(end_);
        return {};
    }

    // Parses the record at begin_ into `fields`. `used` covers its terminator; `newlines`
    // counts the line breaks inside quoted fields. A bad record (text after a closing quote,
    // an unterminated quote at the end) still reports how far it reaches.
    Parse parse_record(std::vector<std::string>& fields, std::size_t& used, std::size_t& newlines,
                       std::string& reason) {
        fields.clear();
        const char* data = buffer_.data();
        std::size_t i = begin_;
        const std::size_t end = end_;
        std::string field;
        auto finish = [&](std::size_t after) {
            used = after - begin_;
            return reason.empty() ? Parse::complete : Parse::bad;
        };
        for (;;) {
            field.clear();
            if (i < end && data[i] == '"') {
                ++i;
                for (;;) {
                    const void* found = std::memchr(data + i, '"', end - i);
                    if (!found) {
                        if (!eof_) return Parse::incomplete;
                        for (std::size_t k = i; k < end; ++k)
                            newlines += data[k] == '\n';
                        reason = "unterminated quoted field";
                        return finish(end);
                    }
                    auto quote = static_cast<std::size_t>(static_cast<const char*>(found) - data);
                    for (std::size_t k = i; k < quote; ++k)
                        newlines += data[k] == '\n';
                    field.append(data + i, quote - i);
                    i = quote + 1;
                    if (i == end && !eof_) return Parse::incomplete;
                    if (i < end && data[i] == '"') {
                        field.push_back('"');
                        ++i;
                        continue;
                    }
                    break;
                }
                if (i < end && data[i] != delimiter_ && data[i] != '\n' &&
                    !(data[i] == '\r' && (i + 1 == end || data[i + 1] == '\n'))) {
                    reason = "text after a closing quote";
                    // Skip to the end of this line.
                    const void* newline = std::memchr(data + i, '\n', end - i);
                    if (!newline) {
                        if (!eof_) return Parse::incomplete;
                        return finish(end);
                    }
                    return finish(
                        static_cast<std::size_t>(static_cast<const char*>(newline) - data) + 1);
                }
            } else {
                std::size_t start = i;
                while (i < end && data[i] != delimiter_ && data[i] != '\n')
                    ++i;
                if (i == end && !eof_) return Parse::incomplete;
                std::size_t stop = i;
                if (stop > start && data[stop - 1] == '\r' && (i == end || data[i] == '\n')) --stop;
                field.assign(data + start, stop - start);
            }
            if (i < end && data[i] == '\r' && i + 1 < end && data[i + 1] == '\n') ++i;
            fields.push_back(std::move(field));
            field = std::string();
            if (i >= end) return finish(end);
            if (data[i] == '\n') return finish(i + 1);
            ++i; // the delimiter
        }
    }

    Result<void> assign_roles() {
        auto chosen = assign_columns(map_, columns_, process_mining_names, false);
        if (!chosen) return tl::unexpected(chosen.error());
        role_column_ = *chosen;
        std::size_t stream_column = role_column_[static_cast<std::size_t>(Role::stream)];
        case_stream_ = stream_column != none && columns_[stream_column] == "case:concept:name";
        std::set<std::string> seen;
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            bool has_role = false;
            for (std::size_t column : role_column_)
                has_role = has_role || column == c;
            if (has_role) continue;
            std::string key = columns_[c];
            for (int n = 2; !seen.insert(key).second; ++n)
                key = columns_[c] + "_" + std::to_string(n);
            other_columns_.emplace_back(c, std::move(key));
        }
        return {};
    }

    const std::string* cell(Role role) const {
        std::size_t column = role_column_[static_cast<std::size_t>(role)];
        if (column == none || fields_[column].empty()) return nullptr;
        return &fields_[column];
    }

    std::string looked_for(Role role) const {
        std::string names;
        for (auto alias : role_aliases(role))
            names += (names.empty() ? "" : ", ") + std::string(alias);
        for (const auto& name : process_mining_names)
            if (name.role == role) names += ", " + std::string(name.column);
        return names;
    }

    void handle_record(const std::string* bad, std::string_view text, RowBatch& out) {
        if (!bad && fields_.size() == 1 && fields_[0].empty()) return; // a blank line
        ++row_number_;
        ++out.units;
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
            text.remove_suffix(1);
        auto reject = [&](std::string reason) {
            out.rejects.push_back({line_number_, offset_, "row " + std::to_string(row_number_),
                                   std::move(reason), printable_excerpt(text)});
        };
        if (bad) return reject(*bad);
        if (fields_.size() != columns_.size())
            return reject("expected " + std::to_string(columns_.size()) + " fields, found " +
                          std::to_string(fields_.size()));
        EventRow row;
        row.line = line_number_;
        row.byte_offset = offset_;
        const std::string* stream = cell(Role::stream);
        if (!stream) {
            std::size_t column = role_column_[static_cast<std::size_t>(Role::stream)];
            return reject(column == none
                              ? "missing stream (no column named " + looked_for(Role::stream) + ")"
                              : "empty stream (column " + columns_[column] + ")");
        }
        row.stream = case_stream_ ? "case-" + *stream : *stream;
        const std::string* ts = cell(Role::ts);
        if (!ts) {
            std::size_t column = role_column_[static_cast<std::size_t>(Role::ts)];
            return reject(column == none
                              ? "missing time (no column named " + looked_for(Role::ts) + ")"
                              : "empty time (column " + columns_[column] + ")");
        }
        auto parsed = parse_time_text(*ts, zone_);
        if (!parsed) return reject("unparseable time: " + parsed.error().message);
        row.ts = parsed->at;
        row.naive_time = parsed->naive;
        if (const std::string* recorded = cell(Role::recorded)) {
            auto at = parse_time_text(*recorded, zone_);
            if (!at) return reject("unparseable recorded time: " + at.error().message);
            row.recorded = at->at;
        }
        if (const std::string* version = cell(Role::version)) {
            std::int64_t number = 0;
            auto [end, ec] =
                std::from_chars(version->data(), version->data() + version->size(), number);
            if (ec != std::errc() || end != version->data() + version->size())
                return reject("version is not an integer: " + printable_excerpt(*version, 40));
            row.version = number;
        }
        if (const std::string* id = cell(Role::id)) row.event_id = *id;
        if (const std::string* type = cell(Role::type)) row.type = *type;
        if (const std::string* actor = cell(Role::actor)) row.actor = *actor;
        const std::string* data = cell(Role::data);
        const std::string* meta = cell(Role::meta);
        if (data) row.data = json_of_payload(*data);
        if (meta) row.meta = json_of_payload(*meta);
        // The other cells: to data, or to meta when a column supplies data.
        std::string others;
        for (const auto& [column, key] : other_columns_) {
            if (fields_[column].empty()) continue;
            others += others.empty() ? "{" : ",";
            append_json_string(others, key);
            others.push_back(':');
            append_json_string(others, fields_[column]);
        }
        if (!others.empty()) {
            if (!data) {
                row.data = others + "}";
            } else if (!meta) {
                row.meta = others + "}";
            } else {
                std::string merged = "{\"meta\":" + *row.meta + "," + others.substr(1) + "}";
                row.meta = std::move(merged);
            }
        }
        if (row.naive_time)
            ++naive_;
        else
            ++zoned_;
        out.events.push_back(std::move(row));
    }

    SourceReader reader_;
    FieldMap map_;
    const date::time_zone* zone_;
    char delimiter_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0, end_ = 0;
    bool eof_ = false;
    std::int64_t line_number_ = 1; // line of the record at begin_
    std::int64_t offset_ = 0;      // decompressed offset of begin_
    std::int64_t row_number_ = 0;  // data rows so far (the header is not one)
    std::vector<std::string> columns_, fields_;
    std::array<std::size_t, role_count> role_column_{};
    std::vector<std::pair<std::size_t, std::string>> other_columns_;
    bool case_stream_ = false;
    std::int64_t naive_ = 0, zoned_ = 0;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_csv_source(const std::string& path,
                                                   const RowSourceOptions& options) {
    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());
    auto source = std::make_unique<CsvSource>(std::move(*reader), options);
    if (auto ok = source->start(); !ok) {
        Error error = ok.error();
        if (error.where.empty())
            error.where = path;
        else if (error.where != "--map")
            error.where = path + ":" + error.where;
        return tl::unexpected(std::move(error));
    }
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
