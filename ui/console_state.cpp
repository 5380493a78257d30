// The console's shared actions: running a query, reading event details, keeping the replay of
// the inspected stream in step with the cursors (see console_state.hpp).
#include "ui/console_state.hpp"

#include "eventlog/json_text.hpp"

#include <algorithm>
#include <chrono>

namespace asof::ui {
namespace {
Timestamp wall_clock() {
    return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
}

// Shows the rows of a query that ran.
void finish_query(ConsoleState& state, query::PreparedQuery prepared, query::ResultSet results) {
    state.prepared = std::move(prepared);
    state.results = std::move(results);
    ++state.results_generation;
    state.timeline.fit_requested = true;
    if (state.selected_seq && !state.results.find_seq(*state.selected_seq))
        state.selected_seq.reset();
    if (state.cursor_on_last_result && !state.results.rows.empty()) {
        state.cursor_a = state.results.rows.back().ts;
        state.cursor_on_last_result = false;
    }
    if (state.select_when_ready) {
        auto seq = *state.select_when_ready;
        state.select_when_ready.reset();
        if (auto row = state.results.find_seq(seq)) {
            state.selected_seq = seq;
            state.scroll_to_selection = true;
        } else {
            state.messages.push_back("seq " + std::to_string(seq) + " is not among the results");
        }
    }
    state.query_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               state.query_started)
                         .count();
}

} // namespace

void poll_background(ConsoleState& state) {
    if (state.query_task && state.query_task->done()) {
        auto results = state.query_task->take();
        state.query_task.reset();
        if (results && state.query_pending)
            finish_query(state, std::move(*state.query_pending), std::move(*results));
        else if (!results)
            state.run_error = results.error().describe();
        state.query_pending.reset();
    }
    if (state.streams_task && state.streams_task->done()) {
        auto streams = state.streams_task->take();
        state.streams_task.reset();
        if (streams) state.streams = std::move(*streams);
    }
    if (state.snapshot_task && state.snapshot_task->done()) {
        auto built = state.snapshot_task->take();
        state.snapshot_task.reset();
        // Reopen the inspected stream so that it starts from the new snapshots.
        if (built && state.inspection.stream_id == state.snapshot_stream)
            state.inspection = Inspection{};
    }
    if (state.report_task && state.report_task->done()) {
        auto written = state.report_task->take();
        state.report_task.reset();
        state.report_message =
            written ? "Written to " + *written : "Not written: " + written.error().describe();
    }
}

bool busy(const ConsoleState& state) {
    return state.query_task || state.streams_task || state.report_task;
}

void run_query(ConsoleState& state) {
    auto started = std::chrono::steady_clock::now();
    state.query_error.reset();
    state.run_error.clear();
    bool new_question = !state.query_text.empty() &&
                        (state.history.empty() || state.history.back() != state.query_text);
    if (new_question) state.history.push_back(state.query_text);
    state.history_pos = -1;
    query::Clock clock{state.now, state.zone};
    auto prepared = query::prepare_query(state.query_text, clock);
    if (!prepared) {
        state.query_error = prepared.error();
        return;
    }
    query::Executor executor(state.db, false);
    auto problem = executor.check_names(*prepared);
    if (!problem) {
        state.run_error = problem.error().describe();
        return;
    }
    if (*problem) {
        state.query_error = **problem;
        return;
    }
    // The console lists matches oldest first, whatever the query says, so that the table and
    // the timeline share one order; "limit" still applies.
    query::PreparedQuery listing = *prepared;
    listing.query.newest_first = false;
    auto limit = query::effective_limit(listing.query, std::nullopt);
    state.query_started = started;
    if (state.background) {
        state.query_pending = std::move(*prepared);
        state.query_task = std::make_unique<BackgroundTask<query::ResultSet>>(
            [path = state.case_path, listing,
             limit](const std::atomic<bool>& cancel) -> Result<query::ResultSet> {
                auto db = open_case(path);
                if (!db) return tl::unexpected(db.error());
                query::Executor worker(*db, false);
                return query::collect_results(*db, worker, listing, limit, &cancel);
            },
            state.wake);
    } else {
        auto results = query::collect_results(state.db, executor, listing, limit);
        if (!results) {
            state.run_error = results.error().describe();
            return;
        }
        finish_query(state, std::move(*prepared), std::move(*results));
    } // Keep the question in the case's history.
    if (new_question && state.store_note.empty()) {
        auto kept = append_query_history(state.case_path, state.query_text, wall_clock());
        if (!kept)
            state.store_note = "history and bookmarks are kept for this session only (" +
                               kept.error().message + ")";
    }
}

std::string stream_query(const std::string& name) {
    std::string query = "stream:\"";
    for (char c : name) {
        if (c == '"' || c == '\\') query += '\\'; // the lexer's escape
        query += c;
    }
    return query + "\"";
}

void select_event(ConsoleState& state, std::int64_t seq) {
    if (!state.results.find_seq(seq)) {
        const EventDetail* detail = event_detail(state, seq);
        if (!detail) return;
        state.query_text = stream_query(detail->event.stream);
        run_query(state);
    }
    auto row = state.results.find_seq(seq);
    if (!row) return;
    state.selected_seq = seq;
    state.cursor_a = state.results.rows[*row].ts;
    state.scroll_to_selection = true;
}

namespace {
std::int64_t next_session_bookmark = -1; // ids of bookmarks that could not be stored
} // namespace

void bookmark_cursor(ConsoleState& state) {
    Timestamp at{Micros{state.cursor_a}};
    std::string label = format_in_zone(at, state.zone);
    if (state.store_note.empty()) {
        auto id = add_bookmark(state.case_path, at, label, wall_clock());
        if (id)
            state.bookmarks.push_back({*id, at, label});
        else
            state.store_note =
                "history and bookmarks are kept for this session only (" + id.error().message + ")";
    }
    if (!state.store_note.empty()) state.bookmarks.push_back({next_session_bookmark--, at, label});
    std::sort(state.bookmarks.begin(), state.bookmarks.end(),
              [](const Bookmark& a, const Bookmark& b) { return a.at < b.at; });
}

void remove_bookmark_at(ConsoleState& state, std::size_t index) {
    if (index >= state.bookmarks.size()) return;
    if (state.bookmarks[index].id > 0)
        (void)remove_bookmark(state.case_path, state.bookmarks[index].id);
    state.bookmarks.erase(state.bookmarks.begin() + static_cast<std::ptrdiff_t>(index));
}

const EventDetail* event_detail(ConsoleState& state, std::int64_t seq) {
    auto found = state.detail_cache.find(seq);
    if (found != state.detail_cache.end()) return &found->second;
    if (state.detail_cache.size() > 4096) state.detail_cache.clear();
    auto read = read_event_detail(state.db, seq);
    if (!read || !*read) return nullptr;
    return &state.detail_cache.emplace(seq, std::move(**read)).first->second;
}

namespace {

// The stream to inspect: the selected event's (the row's stream), else the query's only
// target's stream when the results hold one stream.
std::optional<std::pair<std::int64_t, std::string>> inspected_stream(ConsoleState& state) {
    const query::ResultRow* row = nullptr;
    if (state.selected_seq)
        if (auto index = state.results.find_seq(*state.selected_seq))
            row = &state.results.rows[*index];
    if (!row && !state.results.rows.empty() && state.results.streams().size() == 1)
        row = &state.results.rows.front();
    if (!row) return std::nullopt;
    const std::string& name = state.results.stream_name(*row);
    auto stream = std::find_if(state.streams.begin(), state.streams.end(),
                               [&](const StreamSummary& s) { return s.name == name; });
    if (stream == state.streams.end()) return std::nullopt;
    return std::make_pair(stream->id, stream->name);
}

} // namespace

void update_inspection(ConsoleState& state) {
    Inspection& inspection = state.inspection;
    auto stream = inspected_stream(state);
    if (!stream) {
        inspection = Inspection{};
        return;
    }
    if (stream->first != inspection.stream_id) {
        inspection = Inspection{};
        inspection.stream_id = stream->first;
        inspection.stream_name = stream->second;
        auto replayer =
            replay::Replayer::open(state.db, stream->first, stream->second, state.projection);
        if (!replayer) {
            inspection.error = replayer.error().describe();
            return;
        }
        inspection.replayer.emplace(std::move(*replayer));
        for (const auto& attribute : inspection.replayer->attributes())
            if (attribute.ts)
                inspection.attribute_marks.push_back(
                    {*attribute.ts,
                     printable(attribute.name) + " = " +
                         printable_excerpt(replay::compact_json(attribute.value), 200)});
        // A long stream without snapshots: build them on a thread (once per stream), so that
        // scrubbing backwards stays within a frame.
        const auto& entries = inspection.replayer->order().entries;
        if (state.background && !state.snapshot_task &&
            state.snapshot_stream != inspection.stream_id &&
            inspection.replayer->snapshot_count() == 0 &&
            static_cast<std::int64_t>(entries.size()) > replay::default_snapshot_every) {
            state.snapshot_stream = inspection.stream_id;
            state.snapshot_task = std::make_unique<BackgroundTask<std::int64_t>>(
                [path = state.case_path, id = inspection.stream_id, name = inspection.stream_name,
                 projection = state.projection](const std::atomic<bool>&) -> Result<std::int64_t> {
                    auto db = open_case(path);
                    if (!db) return tl::unexpected(db.error());
                    auto writable = sql::Db::open(path, sql::Db::Mode::read_write);
                    if (!writable) return tl::unexpected(writable.error());
                    auto builder = replay::Replayer::open(*db, id, name, projection);
                    if (!builder) return tl::unexpected(builder.error());
                    return builder->build_snapshots(*writable, replay::default_snapshot_every);
                },
                state.wake);
        }
    }
    if (!inspection.replayer) return;
    replay::Replayer& replayer = *inspection.replayer;
    if (inspection.at != state.cursor_a) {
        inspection.at = state.cursor_a;
        auto replayed = replayer.state_at(Timestamp{Micros{state.cursor_a}});
        if (replayed && replayer.name_events(*replayed)) {
            inspection.state = std::move(*replayed);
            inspection.error.clear();
        } else {
            inspection.state.reset();
            inspection.error = replayed ? "cannot name the events" : replayed.error().describe();
        }
    }
    // The places the selected event changed (highlighted in the state tree).
    if (state.selected_seq != inspection.changes_seq) {
        inspection.changes_seq = state.selected_seq;
        inspection.changed.clear();
        if (state.selected_seq)
            if (auto index = state.results.find_seq(*state.selected_seq)) {
                Timestamp ts{Micros{state.results.rows[*index].ts}};
                if (auto changes = replayer.changes(ts, ts))
                    for (auto& event : changes->timeline)
                        if (event.seq == *state.selected_seq) inspection.changed = event.changes;
            }
    }
    // A versus B.
    std::optional<std::int64_t> a = state.cursor_a, b = state.cursor_b;
    if (b && (a != inspection.diff_a || b != inspection.diff_b)) {
        inspection.diff_a = a;
        inspection.diff_b = b;
        auto from = std::min(*a, *b), to = std::max(*a, *b);
        auto diff = replayer.diff(Timestamp{Micros{from}}, Timestamp{Micros{to}});
        if (diff && replayer.name_events(diff->to))
            inspection.diff = std::move(*diff);
        else
            inspection.diff.reset();
    }
    if (!b) inspection.diff.reset();
}

} // namespace asof::ui
