// Read-only access to a case file: its summary, sources, rejects, findings and events.
#pragma once

#include "eventlog/sqlite.hpp"
#include "eventlog/time.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace asof {

// Whether `path` is an asof case file (SQLite header and asof's application id).
bool is_case_file(const std::string& path);

// Opens a case file read-only, checking that it is one and that this asof can read it.
Result<sql::Db> open_case(const std::string& path);

struct SourceInfo {
    std::int64_t id = 0;
    std::string path, name, sha256, format, mapping, source_tz;
    std::int64_t size = 0, lines = 0, events = 0, rejected = 0, naive_times = 0;
    std::int64_t zoned_times = 0, attributes = 0, relations = 0;
    Timestamp started_at{};
    std::optional<Timestamp> finished_at;
    std::string chain_head; // hex
};

struct FindingInfo {
    std::string kind;
    std::string stream; // empty when the finding is about no stream
    std::optional<std::int64_t> seq;
    std::string detail;
};

struct CaseInfo {
    std::int64_t events = 0, streams = 0, rejected = 0;
    std::int64_t relations = 0; // object-to-object relations
    std::optional<Timestamp> first, last;
    std::vector<SourceInfo> sources;
    std::vector<FindingInfo> findings;
};

Result<CaseInfo> read_case_info(sql::Db& db);

struct RejectInfo {
    std::string source; // the source's file name
    std::int64_t line = 0, byte_offset = 0;
    std::string reason, excerpt;
    std::string place; // "row 17", an element path; empty for line-based sources
};

Result<std::vector<RejectInfo>> read_rejects(sql::Db& db);

struct StoredEvent {
    std::int64_t seq = 0;
    std::optional<std::string> event_id;
    std::string stream;
    std::optional<std::string> type;
    std::optional<std::int64_t> version;
    Timestamp ts{};
    std::optional<std::string> actor;
    std::optional<std::string> data, meta; // JSON text
};

// Which events to list: optionally one stream, a half-open interval [from, to), a maximum.
struct EventFilter {
    std::optional<std::string> stream;
    std::optional<Timestamp> from, to;
    std::optional<std::int64_t> limit;
};

// Calls `visit` for each matching event in time order (ties by seq), streaming from SQLite.
// An unknown stream fails with a message that suggests the nearest stream names.
Result<std::int64_t> for_each_event(sql::Db& db, const EventFilter& filter,
                                    const std::function<void(const StoredEvent&)>& visit);

// Reads the columns seq, event_id, stream name, type, version, ts, actor, data, meta (in that
// order, from column 0) of the current row into `event`.
void read_stored_event(const sql::Stmt& row, StoredEvent& event);

// One stream as the console lists it.
struct StreamSummary {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> kind, key;
    std::int64_t events = 0;
    Timestamp first{}, last{};
};

// Every stream with its event count and first and last event time, by name.
Result<std::vector<StreamSummary>> read_stream_summaries(sql::Db& db);

// Everything the case knows about one event: its row, where it came from, every stream it
// belongs to (with the link's qualifier) and the integrity findings about it.
struct EventDetail {
    StoredEvent event;
    std::optional<Timestamp> recorded_at;
    std::string source; // the source's file name
    std::int64_t line = 0, byte_offset = 0;
    std::vector<std::pair<std::string, std::optional<std::string>>> streams;
    std::vector<FindingInfo> findings;
    // The object-to-object relations (OCEL) of the event's streams, either way, by name; at
    // most `max_relations`, with `more_relations` set when there were more.
    struct Relation {
        std::string from, to;
        std::optional<std::string> qualifier;
    };
    static constexpr std::size_t max_relations = 50;
    std::vector<Relation> relations;
    bool more_relations = false;
};

// The detail of event `seq`, or nullopt when the case has no such event.
Result<std::optional<EventDetail>> read_event_detail(sql::Db& db, std::int64_t seq);

// Up to `count` values of `select_names` (a fixed one-column query; NULLs skipped) nearest to
// `name` by edit distance (case-insensitive).
Result<std::vector<std::string>> nearest_names(sql::Db& db, std::string_view select_names,
                                               std::string_view name, std::size_t count = 3);

// Names for a message: "a", "b", "c".
std::string quoted_names(const std::vector<std::string>& names);

// Up to `count` stream names nearest to `name` by edit distance (case-insensitive).
Result<std::vector<std::string>> nearest_stream_names(sql::Db& db, std::string_view name,
                                                      std::size_t count = 3);

} // namespace asof
