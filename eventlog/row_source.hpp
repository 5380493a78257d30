// The one interface every source format is read through: a RowSource turns a source file (or a
// table inside one) into batches of rows, in source order, without holding the source whole.
// The importer (import.cpp) drains a RowSource on its reader thread, numbers the events, extends
// the hash chain and writes everything to the case file; formats only parse.
#pragma once

#include "eventlog/event.hpp"
#include "eventlog/field_map.hpp"
#include "eventlog/result.hpp"
#include "eventlog/sha256.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace asof {

// A row or element that could not become an event. `line` and `byte_offset` locate it in
// line-based and XML sources (0 when unknown); `place` names it otherwise or in addition:
// "row 17" (CSV data row / table rowid), "/log/trace[3]/event[12]" (XML element path),
// "events[41]" (JSON array index).
struct RejectRow {
    std::int64_t line = 0;
    std::int64_t byte_offset = 0;
    std::string place;
    std::string reason;
    std::string excerpt; // short and printable (printable_excerpt)
};

// A value of a stream's state that does not come from an event: an OCEL object attribute
// (initial value, or a change at a time) or an XES trace attribute (initial). Replay folds these
// into the stream's state by time: the state as of T holds every attribute dated at or before T;
// attributes without a time are the initial state. They are not events: queries never list or
// count them.
struct StreamAttribute {
    std::string stream;          // full stream name
    std::optional<Timestamp> ts; // absent: initial value
    std::string name;            // attribute name (a top-level member of the state)
    std::string value;           // JSON text; "null" removes the member
    bool naive_time = false;
};

// An object-to-object relation (OCEL), kept and shown; not folded into state.
struct StreamRelation {
    std::string from, to; // full stream names
    std::optional<std::string> qualifier;
};

// An integrity finding a format detects while reading (a link to an object that does not
// exist, a mix of zoned and naive times, ...). `event_index` points into the same batch's
// `events` when the finding is about one of them.
struct SourceFinding {
    std::string kind; // e.g. "dangling_link"
    std::string stream;
    std::optional<std::size_t> event_index;
    std::string detail;
};

// A declared stream: one that exists even when no event belongs to it (an OCEL object), with
// its kind and key when the format says them (object type and id).
struct DeclaredStream {
    std::string name;
    std::optional<std::string> kind, key;
};

struct RowBatch {
    std::vector<EventRow> events; // EventRow::links: further streams with qualifiers
    std::vector<RejectRow> rejects;
    std::vector<DeclaredStream> streams;
    std::vector<StreamAttribute> attributes;
    std::vector<StreamRelation> relations;
    std::vector<SourceFinding> findings;
    std::int64_t units = 0; // lines, rows or elements read for this batch (events + rejects)

    bool empty() const {
        return events.empty() && rejects.empty() && streams.empty() && attributes.empty() &&
               relations.empty() && findings.empty();
    }
};

struct RowSourceOptions {
    FieldMap map;                          // --map (JSON Lines, CSV, SQLite tables)
    const date::time_zone* source_zone{};  // zone of naive times (--source-tz)
    std::optional<char> delimiter;         // CSV --delimiter; default: sniffed from the header
    std::optional<std::string> table;      // SQLite snapshot --table
    const std::atomic<bool>* cancel = nullptr;
};

class RowSource {
public:
    virtual ~RowSource() = default;

    // Appends the next rows to `out` (about a few thousand units; never the whole source).
    // Returns false when the source is exhausted (`out` may still have received rows). A
    // failure ends the import: use it for unreadable or wrong-kind sources, not for bad rows.
    virtual Result<bool> next(RowBatch& out) = 0;

    virtual std::string format() const = 0; // "jsonl", "csv", "xes", "ocel-json", ...
    virtual std::uint64_t raw_size() const = 0;     // bytes of the source on disk
    virtual std::uint64_t raw_consumed() const = 0; // bytes read so far (progress)
    // SHA-256 of the raw source bytes; valid once next() has returned false.
    virtual Digest raw_digest() const = 0;
    // Events (and attributes) whose time had no zone and were read in the source zone, and
    // those whose time had one; both nonzero is a mix the import reports.
    virtual std::int64_t naive_times() const = 0;
    virtual std::int64_t zoned_times() const = 0;
    // The field mapping actually used, as a JSON object (recorded with the import).
    virtual std::string mapping_json() const = 0;
};

// Opens `path` in `format` ("auto": from the extension, then the content). The error of a file
// that is not what its extension or --format says names what was found ("not XES: the file is
// JSON Lines").
Result<std::unique_ptr<RowSource>> open_row_source(const std::string& path,
                                                   const std::string& format,
                                                   const RowSourceOptions& options);

// One factory per format (each in its own file).
Result<std::unique_ptr<RowSource>> open_jsonl_source(const std::string& path,
                                                     const RowSourceOptions& options);
Result<std::unique_ptr<RowSource>> open_csv_source(const std::string& path,
                                                   const RowSourceOptions& options);
Result<std::unique_ptr<RowSource>> open_sqlite_table_source(const std::string& path,
                                                            const RowSourceOptions& options);
Result<std::unique_ptr<RowSource>> open_xes_source(const std::string& path,
                                                   const RowSourceOptions& options);
Result<std::unique_ptr<RowSource>> open_ocel_json_source(const std::string& path,
                                                         const RowSourceOptions& options);
Result<std::unique_ptr<RowSource>> open_ocel_xml_source(const std::string& path,
                                                        const RowSourceOptions& options);
Result<std::unique_ptr<RowSource>> open_ocel_sqlite_source(const std::string& path,
                                                           const RowSourceOptions& options);

} // namespace asof
