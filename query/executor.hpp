// Runs queries against a case file: prepares them (parse, resolve the time, canonical text),
// checks the names they use, and lists, counts, groups or explains the matching events.
#pragma once

#include "eventlog/case_reader.hpp"
#include "query/planner.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace asof::query {

// A query ready to run: parsed, its time resolved against the pinned clock, in canonical form.
struct PreparedQuery {
    std::string text; // as typed
    Query query;
    std::string canonical;
    Clock clock;
    Interval interval; // unbounded on both sides when the query has no time clause
};

QueryResult<PreparedQuery> prepare_query(std::string_view text, const Clock& clock);

// One line of a count: the key (type, actor or stream; NULL shown as none) or the start of a
// time bucket, and how many events.
struct Group {
    std::optional<std::string> key;
    std::optional<Timestamp> start; // for day, hour and week buckets
    std::int64_t count = 0;
};

struct Explanation {
    SqlStatement statement;
    std::vector<std::string> plan; // EXPLAIN QUERY PLAN, one line per step, indented by depth
};

struct StreamRef {
    std::int64_t id = 0;
    std::string name;
};

// The streams `target` names, by name, at most `limit` of them: kind and key compared without
// case, or the exact name.
Result<std::vector<StreamRef>> streams_of(sql::Db& db, const Target& target, std::size_t limit);

// "no stream matches discrepancy #4712; nearest: "discrepancy-4721", ...", for a target that
// names no stream.
Result<std::string> no_stream_message(sql::Db& db, const Target& target);

// Runs prepared queries on one open (read-only) case connection.
class Executor {
public:
    // `text_index`: whether the full-text index is current (text_index_current).
    Executor(sql::Db& db, bool text_index) : db_(db), text_index_(text_index) {}

    bool text_index() const { return text_index_; }

    // Checks that each target names at least one stream and each type:/actor: name occurs in
    // the case; the error points at the name and suggests the nearest ones.
    Result<std::optional<QueryError>> check_names(const PreparedQuery& prepared);

    // How many events match (no limit).
    Result<std::int64_t> count(const PreparedQuery& prepared);

    // Calls `visit` for each matching event in order, at most `limit`; returns how many.
    Result<std::int64_t> each_event(const PreparedQuery& prepared,
                                    std::optional<std::int64_t> limit,
                                    const std::function<void(const StoredEvent&)>& visit);

    // Calls `visit` with each matching event's key columns (see plan_event_keys: in order only
    // when limited), at most `limit`; stops early, returning what was visited, when `visit`
    // returns false. `seq_range` keeps only the events whose seq lies in it.
    Result<std::int64_t>
    each_key(const PreparedQuery& prepared, std::optional<std::int64_t> limit,
             const std::function<bool(const sql::Stmt& row)>& visit,
             std::optional<std::pair<std::int64_t, std::int64_t>> seq_range = std::nullopt);

    // The groups of `count by`. Time buckets are days, hours or Monday-start weeks in the
    // query's zone; empty buckets between the first and last event are included.
    Result<std::vector<Group>> groups(const PreparedQuery& prepared);

    // The statement `each_event` (or `groups`, for count by) would run and SQLite's plan.
    Result<Explanation> explain(const PreparedQuery& prepared, std::optional<std::int64_t> limit);

private:
    PlanOptions options(const PreparedQuery& prepared, std::optional<std::int64_t> limit) const;

    sql::Db& db_;
    bool text_index_;
};

// The effective limit of a listing: the smaller of the query's "limit N" and `option`.
std::optional<std::int64_t> effective_limit(const Query& query, std::optional<std::int64_t> option);

} // namespace asof::query
