// What a timeline report holds, independent of the format it is written in: the manifest (how
// the answer was obtained), every matching event with the fields it changed, and each stream's
// state at the start and end of the interval. Every text a writer prints is already formatted
// here (times in UTC and in the zone, JSON values compactly), so that all formats agree and the
// same inputs give the same bytes. Values that come from the log are raw: writers escape them.
#pragma once

#include "eventlog/time.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace asof::report {

enum class ReportFormat { html, pdf, csv, json, md };

struct ReportSource {
    std::string name; // the file name (not the path: the report may leave the machine)
    std::int64_t size = 0;
    std::string sha256, format, source_tz;
    std::int64_t events = 0, rejected = 0;
};

struct ReportFinding {
    std::string kind, stream;
    std::optional<std::int64_t> seq;
    std::string detail;
};

struct ReportManifest {
    std::string title;
    std::string case_name;        // the case file's name
    std::string query_text;       // as typed
    std::string query_canonical;  // canonical form
    std::string zone;             // IANA name the times are shown in
    std::optional<Timestamp> from, to; // the resolved interval [from, to); absent: unbounded
    std::string interval_utc;     // "2026-03-03T00:00:00Z .. 2026-03-06T00:00:00Z" (or "all time")
    std::string interval_zone;    // the same in the zone, with offsets
    Timestamp now{};              // the pinned now
    std::string now_text;         // UTC ISO 8601
    std::optional<Timestamp> as_of;    // --at
    std::string as_of_text;            // UTC, empty without --at
    std::vector<ReportSource> sources;
    std::string chain_head;       // hex of the case's hash-chain head
    bool verified = false;        // whether `asof verify` passes on the case
    std::string verify_summary;   // "passes: 1,234 events checked" or the first problem
    std::string projection_name, projection_sha256;
    std::string asof_version;
    Timestamp generated_at{};
    std::string generated_at_text; // UTC ISO 8601
    std::int64_t matching_events = 0; // how many events the query matches
    std::int64_t listed_events = 0;   // how many the report lists (== matching unless cut)
    std::int64_t stream_count = 0;    // streams the matching events belong to
    std::vector<std::string> notes;   // every cut or omission, said in words
    std::vector<ReportFinding> findings; // integrity findings touching the listed events
};

// One place an event changed, its old and new values as compact JSON ("" when absent).
struct ReportChange {
    std::string pointer;
    std::string kind; // added | removed | changed
    std::string before, after;
};

struct ReportEvent {
    std::int64_t seq = 0;
    std::optional<std::string> event_id;
    Timestamp ts{};
    std::string time_utc;   // "2026-03-03T14:05:00.000000Z"
    std::string time_local; // in the manifest's zone, with offset
    std::string stream;
    std::optional<std::string> type, actor;
    std::optional<std::int64_t> version;
    std::vector<ReportChange> changes; // from replay, in pointer order
    std::string data;                  // the payload as compact JSON ("" when none)
};

// A stream's state over the report's interval; with --at, also its state as of that instant.
struct ReportStream {
    std::string name;
    std::int64_t listed_events = 0; // events of this stream in the report
    std::string start_label, end_label; // the instants the states are taken at, UTC
    nlohmann::json state_start, state_end;
    std::vector<ReportChange> diff; // start -> end
    std::optional<nlohmann::json> state_at;
    std::vector<std::string> warnings; // the replay's warnings (version gaps, ...)
};

struct Report {
    ReportManifest manifest;
    std::vector<ReportEvent> events; // in the query's order
    std::vector<ReportStream> streams;
    std::vector<std::string> types; // the distinct event types, sorted (legend order)
};

} // namespace asof::report
