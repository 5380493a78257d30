// What the console's panels share: the open case, the clock and zone, the query and its
// results, the selection, the cursors, and the replay of the stream under inspection. Panels
// read it and change it; the Console owns it. No ImGui types here.
#pragma once

#include "eventlog/background_task.hpp"
#include "eventlog/case_reader.hpp"
#include "eventlog/console_store.hpp"
#include "query/result_set.hpp"
#include "replay/projection_store.hpp"
#include "replay/replayer.hpp"
#include "ui/timeline.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asof::ui {

// The replay of one stream at cursor A (and B), recomputed only when they move.
struct Inspection {
    std::int64_t stream_id = -1;
    std::string stream_name;
    std::optional<replay::Replayer> replayer;
    std::optional<std::int64_t> at;           // the instant `state` is for
    std::optional<replay::ReplayState> state; // with named events
    std::optional<std::int64_t> diff_a, diff_b;
    std::optional<replay::StateDiff> diff;
    std::optional<std::int64_t> changes_seq;    // the event `changed` is for
    std::vector<replay::Change> changed;        // places the selected event changed
    std::vector<AttributeMark> attribute_marks; // the stream's dated attribute values, by time
    std::string error;
};

struct ConsoleState {
    std::string case_path;
    sql::Db db;
    CaseInfo info;
    std::vector<StreamSummary> streams;
    std::shared_ptr<const replay::Projection> projection;

    const date::time_zone* zone = nullptr; // nullptr: UTC
    Timestamp now{};                       // the pinned clock

    // The query bar.
    std::string query_text;
    std::vector<std::string> history;
    int history_pos = -1; // -1: not walking the history
    std::optional<query::PreparedQuery> prepared;
    std::optional<query::QueryError> query_error;
    std::string run_error;
    query::ResultSet results;
    std::uint64_t results_generation = 0; // counts the result sets shown
    double query_ms = 0;

    // Selection and cursors (µs UTC).
    std::optional<std::int64_t> selected_seq;
    bool scroll_to_selection = false;
    std::int64_t cursor_a = 0;
    std::optional<std::int64_t> cursor_b;
    std::vector<Bookmark> bookmarks; // kept in the case file
    std::string store_note;          // why history and bookmarks are not kept, if they are not

    TimelineState timeline;
    Inspection inspection;
    std::map<std::int64_t, EventDetail> detail_cache; // by seq; small, cleared when large

    // Work on threads (the app's mode; tests run everything in place): the query's rows, the
    // stream counts, snapshots of the inspected stream and reports, each on its own connection.
    bool background = false;
    std::function<void()> wake; // ConsoleOptions::wake, given to each task
    std::unique_ptr<BackgroundTask<query::ResultSet>> query_task;
    std::optional<query::PreparedQuery> query_pending; // what query_task runs
    std::chrono::steady_clock::time_point query_started;
    std::unique_ptr<BackgroundTask<std::vector<StreamSummary>>> streams_task;
    std::unique_ptr<BackgroundTask<std::int64_t>> snapshot_task;
    // File > Export report: the report being written (its result is the file's path) and the
    // outcome of the last one, shown in the dialog.
    std::unique_ptr<BackgroundTask<std::string>> report_task;
    std::string report_message;
    std::int64_t snapshot_stream = -1;  // the stream snapshot_task builds (or tried)
    bool cursor_on_last_result = false; // put cursor A on the last row when rows arrive
    std::optional<std::int64_t> select_when_ready;

    // Panel requests.
    int right_tab = 0; // 0 state, 1 diff, 2 event, 3 integrity, 4 bookmarks
    bool show_help = false;
    bool show_export = false;
    bool show_report_export = false;
    bool dark = true;
    std::deque<std::string> messages; // errors shown in a popup, oldest first
};

// Runs `state.query_text` (records it in the history); fills results or the error. In
// background mode the rows arrive later (poll_background), the last results staying until then.
void run_query(ConsoleState& state);

// Takes what background work has finished: results, stream counts, built snapshots, reports.
void poll_background(ConsoleState& state);

// Whether background work is still running.
bool busy(const ConsoleState& state);

// The query for one stream by its exact name (quoted as the lexer reads it).
std::string stream_query(const std::string& name);

// Selects event `seq` everywhere (table, timeline, inspector) and puts cursor A on it; when
// the results do not hold it, queries its stream first.
void select_event(ConsoleState& state, std::int64_t seq);

// Bookmarks cursor A in the case file (or for the session when it cannot be written).
void bookmark_cursor(ConsoleState& state);
void remove_bookmark_at(ConsoleState& state, std::size_t index);

// The event detail of `seq`, read once and cached; nullptr when it cannot be read.
const EventDetail* event_detail(ConsoleState& state, std::int64_t seq);

// Points the inspection at the stream of the selected event (or the query's single target) and
// replays it at cursor A (and B) when they changed.
void update_inspection(ConsoleState& state);

} // namespace asof::ui
