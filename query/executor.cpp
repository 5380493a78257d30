// Prepares and runs queries (see executor.hpp).
#include "query/executor.hpp"

#include "query/canonical.hpp"
#include "query/parser.hpp"

#include <algorithm>
#include <date/tz.h>

namespace asof::query {
namespace {

Timestamp from_micros(std::int64_t micros) {
    return Timestamp{Micros{micros}};
}

// The start of the day, hour or Monday-start week containing `t` in `zone`, and the next one.
struct Bucket {
    Timestamp start, end;
};

Bucket bucket_of(Timestamp t, CountBy unit, const date::time_zone* zone) {
    using namespace std::chrono;
    auto offset = [&](Timestamp at) {
        return zone ? duration_cast<Micros>(zone->get_info(floor<seconds>(at)).offset) : Micros{0};
    };
    Micros local = t.time_since_epoch() + offset(t);
    if (unit == CountBy::hour) {
        // Local hours are real hours: step back to the local hour's start in UTC, so the two
        // 02:00 hours of a fall-back night stay apart.
        Timestamp start = t - (local - floor<hours>(local));
        return Bucket{start, start + hours{1}};
    }
    auto day = floor<date::days>(local);
    if (unit == CountBy::week) {
        date::weekday weekday{date::sys_days{day}};
        day -= date::days{(weekday.c_encoding() + 6) % 7}; // back to Monday
    }
    Micros start_local = duration_cast<Micros>(day);
    Micros end_local = duration_cast<Micros>(day + date::days{unit == CountBy::week ? 7 : 1});
    Bucket bucket{local_to_sys(start_local, zone), local_to_sys(end_local, zone)};
    // A local midnight that DST skips or repeats can map past t; keep t inside.
    if (bucket.start > t) bucket.start = t;
    if (bucket.end <= t) bucket.end = t + Micros{1};
    return bucket;
}

// At most this many empty buckets are filled in between events (beyond it they are omitted).
constexpr std::size_t max_filled_buckets = 100000;

} // namespace

QueryResult<PreparedQuery> prepare_query(std::string_view text, const Clock& clock) {
    auto parsed = parse_query(text);
    if (!parsed) return tl::unexpected(parsed.error());
    PreparedQuery prepared;
    prepared.text = std::string(text);
    prepared.query = std::move(*parsed);
    prepared.canonical = canonical_text(prepared.query);
    prepared.clock = clock;
    if (prepared.query.time) {
        auto interval = resolve_range(*prepared.query.time, clock);
        if (!interval) return tl::unexpected(interval.error());
        prepared.interval = *interval;
    }
    return prepared;
}

std::optional<std::int64_t> effective_limit(const Query& query,
                                            std::optional<std::int64_t> option) {
    if (query.limit && option) return std::min(*query.limit, *option);
    return query.limit ? query.limit : option;
}

PlanOptions Executor::options(const PreparedQuery& prepared,
                              std::optional<std::int64_t> limit) const {
    return PlanOptions{prepared.interval, limit, text_index_, std::nullopt};
}

Result<std::vector<StreamRef>> streams_of(sql::Db& db, const Target& target, std::size_t limit) {
    bool by_kind = target.kind == Target::Kind::kind_key;
    auto stmt = db.prepare(by_kind ? "SELECT id, name FROM streams WHERE kind = ?1 COLLATE NOCASE "
                                     "AND key = ?2 COLLATE NOCASE ORDER BY name LIMIT ?3"
                                   : "SELECT id, name FROM streams WHERE name = ?1 LIMIT ?3");
    if (!stmt) return tl::unexpected(stmt.error());
    if (by_kind)
        stmt->bind(1, target.stream_kind).bind(2, target.key);
    else
        stmt->bind(1, target.name);
    stmt->bind(3, static_cast<std::int64_t>(limit));
    std::vector<StreamRef> found;
    auto done = stmt->each([&](const sql::Stmt& row) {
        found.push_back({row.column_int(0), std::string(row.column_text(1))});
    });
    if (!done) return tl::unexpected(done.error());
    return found;
}

Result<std::string> no_stream_message(sql::Db& db, const Target& target) {
    bool by_kind = target.kind == Target::Kind::kind_key;
    auto near =
        nearest_stream_names(db, by_kind ? target.stream_kind + "-" + target.key : target.name);
    if (!near) return tl::unexpected(near.error());
    std::string message = "no stream matches " + (by_kind ? target.stream_kind + " #" + target.key
                                                          : "\"" + target.name + "\"");
    if (!near->empty()) message += "; nearest: " + quoted_names(*near);
    return message;
}

Result<std::optional<QueryError>> Executor::check_names(const PreparedQuery& prepared) {
    for (const auto& target : prepared.query.targets) {
        auto found = streams_of(db_, target, 1);
        if (!found) return tl::unexpected(found.error());
        if (!found->empty()) continue;
        auto message = no_stream_message(db_, target);
        if (!message) return tl::unexpected(message.error());
        return std::optional<QueryError>{QueryError{*message, target.span}};
    }

    // type: and actor: names, wherever they occur in the filter.
    std::optional<QueryError> problem;
    std::function<Result<void>(const Filter&)> visit = [&](const Filter& filter) -> Result<void> {
        if (problem) return {};
        if (filter.kind == Filter::Kind::type_is || filter.kind == Filter::Kind::actor_is) {
            bool is_type = filter.kind == Filter::Kind::type_is;
            auto stmt = db_.prepare(is_type ? "SELECT 1 FROM events WHERE type = ?1 LIMIT 1"
                                            : "SELECT 1 FROM events WHERE actor = ?1 LIMIT 1");
            if (!stmt) return tl::unexpected(stmt.error());
            stmt->bind(1, filter.name);
            auto row = stmt->step();
            if (!row) return tl::unexpected(row.error());
            if (*row) return {};
            auto near = nearest_names(db_,
                                      is_type ? "SELECT DISTINCT type FROM events"
                                              : "SELECT DISTINCT actor FROM events",
                                      filter.name);
            if (!near) return tl::unexpected(near.error());
            std::string message = std::string("no event has ") + (is_type ? "type" : "actor") +
                                  " \"" + filter.name + "\"";
            if (!near->empty()) message += "; nearest: " + quoted_names(*near);
            problem = QueryError{message, filter.span};
            return {};
        }
        for (const auto& child : filter.children)
            if (auto ok = visit(child); !ok) return ok;
        return {};
    };
    if (prepared.query.filter)
        if (auto ok = visit(*prepared.query.filter); !ok) return tl::unexpected(ok.error());
    return problem;
}

Result<std::int64_t> Executor::count(const PreparedQuery& prepared) {
    SqlStatement statement = plan_count(prepared.query, options(prepared, std::nullopt));
    auto stmt = db_.prepare(statement.sql);
    if (!stmt) return tl::unexpected(stmt.error());
    bind_params(*stmt, statement.params);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return stmt->column_int(0);
}

Result<std::int64_t> Executor::each_event(const PreparedQuery& prepared,
                                          std::optional<std::int64_t> limit,
                                          const std::function<void(const StoredEvent&)>& visit) {
    SqlStatement statement = plan_events(prepared.query, options(prepared, limit));
    auto stmt = db_.prepare(statement.sql);
    if (!stmt) return tl::unexpected(stmt.error());
    bind_params(*stmt, statement.params);
    std::int64_t listed = 0;
    StoredEvent event;
    auto done = stmt->each([&](const sql::Stmt& row) {
        read_stored_event(row, event);
        visit(event);
        ++listed;
    });
    if (!done) return tl::unexpected(done.error());
    return listed;
}

Result<std::int64_t>
Executor::each_key(const PreparedQuery& prepared, std::optional<std::int64_t> limit,
                   const std::function<bool(const sql::Stmt& row)>& visit,
                   std::optional<std::pair<std::int64_t, std::int64_t>> seq_range) {
    PlanOptions plan_options = options(prepared, limit);
    plan_options.seq_range = seq_range;
    SqlStatement statement = plan_event_keys(prepared.query, plan_options);
    auto stmt = db_.prepare(statement.sql);
    if (!stmt) return tl::unexpected(stmt.error());
    bind_params(*stmt, statement.params);
    std::int64_t visited = 0;
    for (;;) {
        auto row = stmt->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        ++visited;
        if (!visit(*stmt)) break;
    }
    return visited;
}

Result<std::vector<Group>> Executor::groups(const PreparedQuery& prepared) {
    std::vector<Group> result;
    CountBy by = prepared.query.count_by.value_or(CountBy::type);
    if (by == CountBy::type || by == CountBy::actor || by == CountBy::stream) {
        SqlStatement statement = plan_groups(prepared.query, options(prepared, std::nullopt));
        auto stmt = db_.prepare(statement.sql);
        if (!stmt) return tl::unexpected(stmt.error());
        bind_params(*stmt, statement.params);
        auto done = stmt->each([&](const sql::Stmt& row) {
            result.push_back({row.column_opt_text(0), std::nullopt, row.column_int(1)});
        });
        if (!done) return tl::unexpected(done.error());
        return result;
    }
    SqlStatement statement = plan_times(prepared.query, options(prepared, std::nullopt));
    auto stmt = db_.prepare(statement.sql);
    if (!stmt) return tl::unexpected(stmt.error());
    bind_params(*stmt, statement.params);
    const date::time_zone* zone = prepared.clock.zone;
    // Empty buckets from `from` up to (not including) the bucket that starts at or after
    // `until`, while there are not too many.
    std::size_t filled = 0;
    auto fill_empty = [&](Timestamp from, Timestamp until) {
        for (Bucket gap = bucket_of(from, by, zone);
             gap.start < until && filled < max_filled_buckets; gap = bucket_of(gap.end, by, zone)) {
            result.push_back({std::nullopt, gap.start, 0});
            ++filled;
        }
    };
    const Interval& interval = prepared.interval;
    std::optional<Bucket> current;
    auto done = stmt->each([&](const sql::Stmt& row) {
        Timestamp t = from_micros(row.column_int(0));
        if (current && t < current->end) {
            ++result.back().count;
            return;
        }
        Bucket next = bucket_of(t, by, zone);
        if (current)
            fill_empty(current->end, next.start);
        else if (interval.from)
            fill_empty(*interval.from, next.start);
        current = next;
        result.push_back({std::nullopt, next.start, 1});
    });
    if (!done) return tl::unexpected(done.error());
    // A bounded interval is covered to its end, and one with no events at all from its start.
    if (interval.to) {
        if (current)
            fill_empty(current->end, *interval.to);
        else if (interval.from)
            fill_empty(*interval.from, *interval.to);
    }
    return result;
}

Result<Explanation> Executor::explain(const PreparedQuery& prepared,
                                      std::optional<std::int64_t> limit) {
    Explanation explanation;
    const Query& query = prepared.query;
    PlanOptions plan_options = options(prepared, limit);
    if (!query.count_by)
        explanation.statement = plan_events(query, plan_options);
    else if (*query.count_by == CountBy::type || *query.count_by == CountBy::actor ||
             *query.count_by == CountBy::stream)
        explanation.statement = plan_groups(query, plan_options);
    else
        explanation.statement = plan_times(query, plan_options);

    auto stmt = db_.prepare("EXPLAIN QUERY PLAN " + explanation.statement.sql);
    if (!stmt) return tl::unexpected(stmt.error());
    bind_params(*stmt, explanation.statement.params);
    std::vector<std::pair<std::int64_t, int>> depth_of; // id -> depth
    auto done = stmt->each([&](const sql::Stmt& row) {
        std::int64_t id = row.column_int(0), parent = row.column_int(1);
        int depth = 0;
        for (const auto& [known, known_depth] : depth_of)
            if (known == parent) depth = known_depth + 1;
        depth_of.emplace_back(id, depth);
        explanation.plan.push_back(std::string(static_cast<std::size_t>(depth) * 2, ' ') +
                                   std::string(row.column_text(3)));
    });
    if (!done) return tl::unexpected(done.error());
    return explanation;
}

} // namespace asof::query
