// Compiles a parsed query and its resolved interval to SQLite SQL. The SQL text is built only
// from fixed fragments; every value from the query (names, keys, paths, literals, times) is a
// bound parameter.
#pragma once

#include "eventlog/sqlite.hpp"
#include "query/ast.hpp"
#include "query/time_resolve.hpp"

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace asof::query {

using SqlValue = std::variant<std::int64_t, double, std::string>;

struct SqlStatement {
    std::string sql;
    std::vector<SqlValue> params; // ?1, ?2, ... in order
};

struct PlanOptions {
    Interval interval;
    std::optional<std::int64_t> limit; // events only
    // Whether the case's full-text index covers every event. Without it, a quoted search is a
    // case-insensitive substring match over the payload's text values (slower).
    bool text_index = true;
    // Only events whose seq lies in [first, last] (a part of a listing read in parallel).
    std::optional<std::pair<std::int64_t, std::int64_t>> seq_range;
};

// The matching events: seq, event_id, stream, type, version, ts, actor, data, meta (the columns
// read_stored_event expects), in time order (ties by seq), newest first when asked.
SqlStatement plan_events(const Query& query, const PlanOptions& options);

// The matching events' keys without their payloads: seq, ts, stream id (the target's stream
// when the query names targets, else the primary one), type, version, actor. With a limit, in
// the order of plan_events (the first `limit` of it); without one, in no particular order.
SqlStatement plan_event_keys(const Query& query, const PlanOptions& options);

// One row: the number of matching events (ignoring any limit).
SqlStatement plan_count(const Query& query, const PlanOptions& options);

// For count by type/actor/stream: rows (key or NULL, count), largest count first.
SqlStatement plan_groups(const Query& query, const PlanOptions& options);

// For count by day/hour/week: the time of each matching event, in order.
SqlStatement plan_times(const Query& query, const PlanOptions& options);

// The FTS5 query text that matches `text` as one phrase.
std::string fts_phrase(std::string_view text);

// Binds `params` to `stmt` as ?1, ?2, ...
void bind_params(sql::Stmt& stmt, const std::vector<SqlValue>& params);

// A parameter as shown by --explain: 42, 1.5, 'text' (quotes doubled).
std::string param_text(const SqlValue& value);

} // namespace asof::query
