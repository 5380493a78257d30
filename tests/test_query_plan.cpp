// Planner snapshot tests: query text to the exact SQL and parameters. Every value must be a
// parameter; the SQL text is made of fixed fragments only.
#include "query_support.hpp"

#include <catch2/catch.hpp>

using namespace asof;
using namespace asof::query;

namespace {

PreparedQuery prepared_ok(std::string_view text) {
    return test::prepared_ok(text, test::clock_at("UTC", "2026-04-17T08:00:00Z"));
}

std::string params_text(const std::vector<SqlValue>& params) {
    std::string text;
    for (std::size_t i = 0; i < params.size(); ++i)
        text += (i ? ", " : "") + param_text(params[i]);
    return text;
}

void check_plan(const SqlStatement& statement, std::string_view sql, std::string_view params) {
    CHECK(statement.sql == sql);
    CHECK(params_text(statement.params) == params);
}

PlanOptions options_of(const PreparedQuery& prepared, std::optional<std::int64_t> limit = {},
                       bool text_index = true) {
    return PlanOptions{prepared.interval, limit, text_index, std::nullopt};
}

constexpr std::string_view event_columns =
    "SELECT e.seq, e.event_id, s.name, e.type, e.version, e.ts, e.actor, p.data, p.meta";

} // namespace

TEST_CASE("plan: a target and an interval use the stream index", "[query][plan]") {
    auto q = prepared_ok("discrepancy #4721 2026-04-14..2026-04-16");
    check_plan(plan_events(q.query, options_of(q, 10)),
               std::string(event_columns) +
                   " FROM event_streams es JOIN events e ON e.seq = es.seq JOIN streams s ON s.id "
                   "= es.stream_id LEFT JOIN event_payloads p ON p.seq = es.seq WHERE "
                   "es.stream_id IN (SELECT id FROM streams WHERE (kind = ?1 COLLATE NOCASE AND "
                   "key = ?2 COLLATE NOCASE)) AND es.ts >= ?3 AND es.ts < ?4 ORDER BY es.ts, "
                   "es.seq LIMIT ?5",
               "'discrepancy', '4721', 1776124800000000, 1776384000000000, 10");
    check_plan(plan_count(q.query, options_of(q)),
               "SELECT count(*) FROM event_streams es JOIN events e ON e.seq = es.seq WHERE "
               "es.stream_id IN (SELECT id FROM streams WHERE (kind = ?1 COLLATE NOCASE AND key = "
               "?2 COLLATE NOCASE)) AND es.ts >= ?3 AND es.ts < ?4",
               "'discrepancy', '4721', 1776124800000000, 1776384000000000");
}

TEST_CASE("plan: several targets, exact names, newest first", "[query][plan]") {
    auto q = prepared_ok("stream:order:990001 or shipment #88 newest first");
    check_plan(plan_events(q.query, options_of(q)),
               std::string(event_columns) +
                   " FROM event_streams es JOIN events e ON e.seq = es.seq JOIN streams s ON s.id "
                   "= es.stream_id LEFT JOIN event_payloads p ON p.seq = es.seq WHERE "
                   "es.stream_id IN (SELECT id FROM streams WHERE name = ?1 OR (kind = ?2 COLLATE "
                   "NOCASE AND key = ?3 COLLATE NOCASE)) ORDER BY es.ts DESC, es.seq DESC",
               "'order:990001', 'shipment', '88'");
}

TEST_CASE("plan: names and payload comparisons are typed and bound", "[query][plan]") {
    auto q = prepared_ok("type:NoteAdded actor:\"o'brien\" where data.amount.value > 1000 and "
                         "not meta.schema = 2");
    check_plan(plan_count(q.query, options_of(q)),
               "SELECT count(*) FROM events e LEFT JOIN event_payloads p ON p.seq = e.seq WHERE "
               "(e.type = ?1 AND e.actor = ?2 AND (json_type(p.data, ?3) IN ('integer', 'real') "
               "AND json_extract(p.data, ?3) > ?4) AND NOT coalesce((json_type(p.meta, ?5) IN "
               "('integer', 'real') AND json_extract(p.meta, ?5) = ?6), 0))",
               "'NoteAdded', 'o''brien', '$.\"amount\".\"value\"', 1000, '$.\"schema\"', 2");

    q = prepared_ok("data.status != \"open\" or data.items[0].sku ~ ab or data.note exists or "
                    "data.flag in (true, null, 2.5)");
    check_plan(plan_count(q.query, options_of(q)),
               "SELECT count(*) FROM events e LEFT JOIN event_payloads p ON p.seq = e.seq WHERE "
               "(NOT coalesce((json_type(p.data, ?1) = 'text' AND json_extract(p.data, ?1) = ?2), "
               "0) OR instr(lower(json_extract(p.data, ?3)), lower(?4)) > 0 OR json_type(p.data, "
               "?5) IS NOT NULL OR (json_type(p.data, ?6) = ?7 OR json_type(p.data, ?6) = 'null' "
               "OR (json_type(p.data, ?6) IN ('integer', 'real') AND json_extract(p.data, ?6) = "
               "?8)))",
               "'$.\"status\"', 'open', '$.\"items\"[0].\"sku\"', 'ab', '$.\"note\"', "
               "'$.\"flag\"', 'true', 2.5");
}

TEST_CASE("plan: full-text search uses the FTS index, or a substring scan without it",
          "[query][plan]") {
    auto q = prepared_ok("\"reweigh \"\"certificate\"\"\" since 2026-04-01");
    check_plan(plan_count(q.query, options_of(q)),
               "SELECT count(*) FROM events e WHERE e.ts >= ?1 AND e.ts < ?2 AND e.seq IN (SELECT "
               "rowid FROM event_text WHERE event_text MATCH ?3)",
               "1775001600000000, 1776412800000000, '\"reweigh \"\"certificate\"\"\"'");
    check_plan(plan_count(q.query, options_of(q, std::nullopt, false)),
               "SELECT count(*) FROM events e LEFT JOIN event_payloads p ON p.seq = e.seq WHERE "
               "e.ts >= ?1 AND e.ts < ?2 AND EXISTS (SELECT 1 FROM json_tree(p.data) t WHERE "
               "t.type = 'text' AND instr(lower(t.value), lower(?3)) > 0)",
               "1775001600000000, 1776412800000000, 'reweigh \"certificate\"'");
}

TEST_CASE("plan: count by groups in SQL or reads times in order", "[query][plan]") {
    auto q = prepared_ok("type:NoteAdded count by stream");
    check_plan(plan_groups(q.query, options_of(q)),
               "SELECT s.name, count(*) FROM events e JOIN streams s ON s.id = e.stream_id WHERE "
               "e.type = ?1 GROUP BY 1 ORDER BY 2 DESC, 1",
               "'NoteAdded'");
    q = prepared_ok("discrepancy #4721 count by actor");
    check_plan(plan_groups(q.query, options_of(q)),
               "SELECT e.actor, count(*) FROM event_streams es JOIN events e ON e.seq = es.seq "
               "WHERE es.stream_id IN (SELECT id FROM streams WHERE (kind = ?1 COLLATE NOCASE AND "
               "key = ?2 COLLATE NOCASE)) GROUP BY 1 ORDER BY 2 DESC, 1",
               "'discrepancy', '4721'");
    q = prepared_ok("last 2 days count by hour");
    check_plan(plan_times(q.query, options_of(q)),
               "SELECT e.ts FROM events e WHERE e.ts >= ?1 AND e.ts < ?2 ORDER BY e.ts",
               "1776240000000000, 1776412800000000");
}

TEST_CASE("plan: hostile text stays in parameters", "[query][plan]") {
    auto q = prepared_ok(
        "stream:\"x'); DROP TABLE events; --\" where data.a = \"1' OR 1=1 --\" or type:\"'\"");
    auto statement = plan_events(q.query, options_of(q));
    CHECK(statement.sql.find("DROP") == std::string::npos);
    CHECK(statement.sql.find("'x") == std::string::npos);
    CHECK(params_text(statement.params).find("DROP TABLE") != std::string::npos);
}
