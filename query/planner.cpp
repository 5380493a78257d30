// The query planner: fixed SQL fragments around bound parameters (see planner.hpp).
#include "query/planner.hpp"

#include "query/words.hpp"

#include <charconv>

namespace asof::query {
namespace {

// Accumulates parameters and hands out their placeholders.
class Params {
public:
    std::string add(SqlValue value) {
        values_.push_back(std::move(value));
        return "?" + std::to_string(values_.size());
    }
    std::vector<SqlValue> take() { return std::move(values_); }

private:
    std::vector<SqlValue> values_;
};

// The JSON path SQLite's json functions take: $."amount"."value", $."items"[0].
std::string json_path(const FieldPath& path) {
    std::string text = "$";
    for (const auto& step : path.steps)
        text += step.index ? "[" + std::to_string(*step.index) + "]" : ".\"" + step.key + "\"";
    return text;
}

SqlValue number_value(const Literal& value) {
    std::int64_t integer = 0;
    const char* begin = value.text.data();
    const char* end = begin + value.text.size();
    auto [stop, error] = std::from_chars(begin, end, integer);
    if (error == std::errc() && stop == end) return integer;
    return value.number;
}

// Where the event rows come from, and the names of its time and seq columns.
struct Source {
    std::string from;
    const char* ts;
    const char* seq;
};

bool uses_payload(const Filter& filter, bool text_index) {
    switch (filter.kind) {
    case Filter::Kind::compare:
    case Filter::Kind::in_list:
    case Filter::Kind::exists:
        return true;
    case Filter::Kind::text_search:
        return !text_index;
    case Filter::Kind::type_is:
    case Filter::Kind::actor_is:
        return false;
    default:
        for (const auto& child : filter.children)
            if (uses_payload(child, text_index)) return true;
        return false;
    }
}

// The joins a shape needs: the payload for output or payload filters, the stream's name for
// output or grouping.
Source source_of(const Query& query, bool payload, bool stream_name) {
    bool targets = !query.targets.empty();
    Source source;
    source.ts = targets ? "es.ts" : "e.ts";
    source.seq = targets ? "es.seq" : "e.seq";
    source.from = targets ? "event_streams es JOIN events e ON e.seq = es.seq" : "events e";
    if (stream_name)
        source.from += targets ? " JOIN streams s ON s.id = es.stream_id"
                               : " JOIN streams s ON s.id = e.stream_id";
    if (payload) source.from += std::string(" LEFT JOIN event_payloads p ON p.seq = ") + source.seq;
    return source;
}

std::string equality(const std::string& doc, const std::string& path, const Literal& value,
                     Params& params) {
    switch (value.kind) {
    case Literal::Kind::number:
        return "(json_type(" + doc + ", " + path + ") IN ('integer', 'real') AND json_extract(" +
               doc + ", " + path + ") = " + params.add(number_value(value)) + ")";
    case Literal::Kind::string:
        return "(json_type(" + doc + ", " + path + ") = 'text' AND json_extract(" + doc + ", " +
               path + ") = " + params.add(value.text) + ")";
    case Literal::Kind::boolean:
        return "json_type(" + doc + ", " + path +
               ") = " + params.add(std::string(value.boolean ? "true" : "false"));
    case Literal::Kind::null:
        return "json_type(" + doc + ", " + path + ") = 'null'";
    }
    return "0";
}

std::string ordering(const std::string& doc, const std::string& path, CompareOp op,
                     const Literal& value, Params& params) {
    const char* sql_op = op == CompareOp::lt   ? "<"
                         : op == CompareOp::le ? "<="
                         : op == CompareOp::gt ? ">"
                                               : ">=";
    bool number = value.kind == Literal::Kind::number;
    return "(json_type(" + doc + ", " + path + ") " +
           (number ? "IN ('integer', 'real')" : "= 'text'") + " AND json_extract(" + doc + ", " +
           path + ") " + sql_op + " " +
           (number ? params.add(number_value(value)) : params.add(value.text)) + ")";
}

std::string negated(const std::string& condition) {
    return "NOT coalesce(" + condition + ", 0)";
}

std::string condition(const Filter& filter, bool text_index, Params& params) {
    auto doc = [&] {
        return std::string(filter.path.root == FieldPath::Root::data ? "p.data" : "p.meta");
    };
    switch (filter.kind) {
    case Filter::Kind::type_is:
        return "e.type = " + params.add(filter.name);
    case Filter::Kind::actor_is:
        return "e.actor = " + params.add(filter.name);
    case Filter::Kind::text_search:
        if (text_index)
            return "e.seq IN (SELECT rowid FROM event_text WHERE event_text MATCH " +
                   params.add(fts_phrase(filter.name)) + ")";
        return "EXISTS (SELECT 1 FROM json_tree(p.data) t WHERE t.type = 'text' AND "
               "instr(lower(t.value), lower(" +
               params.add(filter.name) + ")) > 0)";
    case Filter::Kind::exists:
        return "json_type(" + doc() + ", " + params.add(json_path(filter.path)) + ") IS NOT NULL";
    case Filter::Kind::compare: {
        std::string path = params.add(json_path(filter.path));
        const Literal& value = filter.values.front();
        switch (filter.op) {
        case CompareOp::eq:
            return equality(doc(), path, value, params);
        case CompareOp::ne:
            return negated(equality(doc(), path, value, params));
        case CompareOp::contains:
            return "instr(lower(json_extract(" + doc() + ", " + path + ")), lower(" +
                   params.add(value.text) + ")) > 0";
        default:
            return ordering(doc(), path, filter.op, value, params);
        }
    }
    case Filter::Kind::in_list: {
        std::string path = params.add(json_path(filter.path));
        std::string text = "(";
        for (std::size_t i = 0; i < filter.values.size(); ++i)
            text += (i ? " OR " : "") + equality(doc(), path, filter.values[i], params);
        return text + ")";
    }
    case Filter::Kind::negate:
        return negated(condition(filter.children.front(), text_index, params));
    case Filter::Kind::all_of:
    case Filter::Kind::any_of: {
        std::string text = "(";
        const char* joiner = filter.kind == Filter::Kind::all_of ? " AND " : " OR ";
        for (std::size_t i = 0; i < filter.children.size(); ++i)
            text += (i ? joiner : "") + condition(filter.children[i], text_index, params);
        return text + ")";
    }
    }
    return "0";
}

std::string target_condition(const Query& query, Params& params) {
    std::string text = "es.stream_id IN (SELECT id FROM streams WHERE ";
    for (std::size_t i = 0; i < query.targets.size(); ++i) {
        const Target& target = query.targets[i];
        if (i) text += " OR ";
        if (target.kind == Target::Kind::kind_key) {
            std::string kind = params.add(target.stream_kind);
            std::string key = params.add(target.key);
            text += "(kind = " + kind + " COLLATE NOCASE AND key = " + key + " COLLATE NOCASE)";
        } else {
            text += "name = " + params.add(target.name);
        }
    }
    return text + ")";
}

// "FROM ... WHERE ..." shared by every shape.
std::string from_where(const Query& query, const PlanOptions& options, const Source& source,
                       Params& params) {
    std::vector<std::string> conditions;
    if (!query.targets.empty()) conditions.push_back(target_condition(query, params));
    if (options.interval.from)
        conditions.push_back(
            std::string(source.ts) +
            " >= " + params.add(std::int64_t{options.interval.from->time_since_epoch().count()}));
    if (options.interval.to)
        conditions.push_back(
            std::string(source.ts) + " < " +
            params.add(std::int64_t{options.interval.to->time_since_epoch().count()}));
    if (query.filter) conditions.push_back(condition(*query.filter, options.text_index, params));
    if (options.seq_range)
        conditions.push_back(std::string(source.seq) + " BETWEEN " +
                             params.add(options.seq_range->first) + " AND " +
                             params.add(options.seq_range->second));
    std::string text = " FROM " + source.from;
    for (std::size_t i = 0; i < conditions.size(); ++i)
        text += (i ? " AND " : " WHERE ") + conditions[i];
    return text;
}

bool filter_needs_payload(const Query& query, bool text_index) {
    return query.filter && uses_payload(*query.filter, text_index);
}

} // namespace

std::string fts_phrase(std::string_view text) {
    std::string phrase = "\"";
    for (char c : text) {
        if (c == '"') phrase += '"';
        phrase += c;
    }
    return phrase + '"';
}

namespace {

// SELECT `columns` of the matching events in listing order (time, then seq; reversed for
// "newest first"), at most the limit.
// Without a limit, `ordered` false leaves the order to SQLite (the caller sorts): for a large
// share of the case a table scan and a sort in memory beat walking the time index, which costs
// one table lookup per row.
SqlStatement listing(const Query& query, const PlanOptions& options, const Source& source,
                     const std::string& columns, bool ordered = true) {
    Params params;
    std::string sql = "SELECT " + columns + from_where(query, options, source, params);
    const char* direction = query.newest_first ? " DESC" : "";
    if (ordered || options.limit)
        sql += std::string(" ORDER BY ") + source.ts + direction + ", " + source.seq + direction;
    if (options.limit) sql += " LIMIT " + params.add(*options.limit);
    return {sql, params.take()};
}

} // namespace

SqlStatement plan_events(const Query& query, const PlanOptions& options) {
    return listing(query, options, source_of(query, true, true),
                   "e.seq, e.event_id, s.name, e.type, e.version, e.ts, e.actor, p.data, p.meta");
}

SqlStatement plan_event_keys(const Query& query, const PlanOptions& options) {
    Source source = source_of(query, filter_needs_payload(query, options.text_index), false);
    std::string stream = query.targets.empty() ? "e.stream_id" : "es.stream_id";
    return listing(query, options, source,
                   std::string(source.seq) + ", " + source.ts + ", " + stream +
                       ", e.type, e.version, e.actor",
                   false);
}

SqlStatement plan_count(const Query& query, const PlanOptions& options) {
    Params params;
    Source source = source_of(query, filter_needs_payload(query, options.text_index), false);
    std::string sql = "SELECT count(*)" + from_where(query, options, source, params);
    return {sql, params.take()};
}

SqlStatement plan_groups(const Query& query, const PlanOptions& options) {
    Params params;
    Source source = source_of(query, filter_needs_payload(query, options.text_index),
                              query.count_by == CountBy::stream);
    const char* key = "e.type";
    if (query.count_by == CountBy::actor) key = "e.actor";
    if (query.count_by == CountBy::stream) key = "s.name";
    std::string sql = std::string("SELECT ") + key + ", count(*)" +
                      from_where(query, options, source, params) + " GROUP BY 1 ORDER BY 2 DESC, 1";
    return {sql, params.take()};
}

SqlStatement plan_times(const Query& query, const PlanOptions& options) {
    Params params;
    Source source = source_of(query, filter_needs_payload(query, options.text_index), false);
    std::string sql = std::string("SELECT ") + source.ts +
                      from_where(query, options, source, params) + " ORDER BY " + source.ts;
    return {sql, params.take()};
}

void bind_params(sql::Stmt& stmt, const std::vector<SqlValue>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        int index = static_cast<int>(i + 1);
        std::visit([&](const auto& value) { stmt.bind(index, value); }, params[i]);
    }
}

std::string param_text(const SqlValue& value) {
    if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
    if (const auto* number = std::get_if<double>(&value)) {
        char buffer[32];
        auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, *number);
        return error == std::errc() ? std::string(buffer, end) : "?";
    }
    std::string text = "'";
    for (char c : std::get<std::string>(value)) {
        if (c == '\'') text += '\'';
        text += c;
    }
    return text + "'";
}

} // namespace asof::query
