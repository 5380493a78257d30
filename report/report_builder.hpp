// Builds a Report (report_model.hpp) from a case and a query: runs the query, lists the
// matching events with the fields each changed (from replay), replays each stream's state at
// the start and end of the interval (and at --at), and fills the manifest that says how the
// answer was obtained. Everything is formatted here so that every writer agrees.
#pragma once

#include "eventlog/sqlite.hpp"
#include "query/time_resolve.hpp"
#include "replay/projection.hpp"
#include "replay/replayer.hpp"
#include "report/report_model.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asof::report {

struct ReportRequest {
    std::string query_text;      // as typed
    query::Clock clock;          // the pinned now and the zone times are shown in
    std::string title;           // empty: "asof report: " + the canonical query ("all events")
    std::optional<Timestamp> at; // --at: also each stream's state as of this instant
    std::optional<Timestamp> generated_at; // absent: the system clock's now
    // The projection to replay with; null: the case's own (the default merge when it has none).
    std::shared_ptr<const replay::Projection> projection;
    std::string case_path; // the case file `db` is (for snapshots and its name in the manifest)
    std::int64_t max_events = 100000; // events listed at most; the rest is counted and noted
    std::int64_t max_streams = 200;   // streams whose states are replayed at most
    replay::ReplayLimits limits;
};

// The report for `request` on the case `db` (open, read-only is enough; snapshots are stored
// through a short-lived writable connection to `request.case_path` when it can be written).
// Query errors come back with where "query" and the column in the message; a query that is
// not a listing (count by, as of) is refused with a hint.
Result<Report> build_report(sql::Db& db, const ReportRequest& request);

// The files a report must never overwrite: the case file and every source log it recorded.
Result<std::vector<std::string>> report_protected_paths(sql::Db& db, const std::string& case_path);

} // namespace asof::report
