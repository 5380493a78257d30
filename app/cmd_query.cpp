// `asof query CASE "QUERY"`: answers a question in the query language, stating the interval,
// zone and clock it used.
#include "app/commands.hpp"
#include "eventlog/case_reader.hpp"
#include "eventlog/json_text.hpp"
#include "eventlog/text_index.hpp"
#include "query/canonical.hpp"
#include "query/executor.hpp"
#include "report/csv_writer.hpp"
#include "report/event_writer.hpp"

#include <date/tz.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace asof {
namespace {

using ordered_json = nlohmann::ordered_json;
using query::PreparedQuery;

std::string zone_name(const date::time_zone* zone) {
    return zone ? zone->name() : std::string("UTC");
}

bool has_text_search(const query::Filter& filter) {
    if (filter.kind == query::Filter::Kind::text_search) return true;
    for (const auto& child : filter.children)
        if (has_text_search(child)) return true;
    return false;
}

// Brings the case's full-text index up to date on a short-lived writable connection. Returns
// whether it can be used; a case that cannot be written falls back to a substring scan, with a
// note.
bool build_text_index(const std::string& path, CliContext& context) {
    auto db = sql::Db::open(path, sql::Db::Mode::read_write);
    if (!db) {
        context.err << "asof: note: the case cannot be written, so it has no full-text index; "
                       "searching payload text by substring instead\n";
        return false;
    }
    if (context.err_is_terminal) context.err << "building the full-text index (once)...";
    auto added = update_text_index(*db, context.cancel);
    if (context.err_is_terminal) context.err << "\r\x1b[K";
    if (added) return true;
    context.err << "asof: note: cannot build the full-text index (" << added.error().describe()
                << "); searching payload text by substring instead\n";
    return false;
}

std::string range_heading(const PreparedQuery& prepared) {
    const auto* zone = prepared.clock.zone;
    const auto& interval = prepared.interval;
    std::string text = "interval ";
    if (!prepared.query.time)
        text += "(all time)";
    else
        text +=
            "[" + (interval.from ? format_in_zone(*interval.from, zone) : std::string("start")) +
            ", " + (interval.to ? format_in_zone(*interval.to, zone) : std::string("end")) + ")";
    return text + "  zone " + zone_name(zone) + "  now " + format_in_zone(prepared.clock.now, zone);
}

// The members every JSON answer starts with: query, canonical, now, range.
std::vector<std::pair<std::string, ordered_json>> json_head(const PreparedQuery& prepared) {
    std::vector<std::pair<std::string, ordered_json>> head;
    head.emplace_back("query", prepared.text);
    head.emplace_back("canonical", prepared.canonical);
    head.emplace_back("now", format_utc(prepared.clock.now));
    if (prepared.query.time) {
        ordered_json range;
        const auto& interval = prepared.interval;
        range["from"] = interval.from ? ordered_json(format_utc(*interval.from)) : ordered_json();
        range["to"] = interval.to ? ordered_json(format_utc(*interval.to)) : ordered_json();
        range["tz"] = zone_name(prepared.clock.zone);
        head.emplace_back("range", range);
    }
    return head;
}

// The label of a time bucket in the zone: "2026-04-14", "2026-04-14 09:00 +02:00",
// "2026-04-13 (week)".
std::string bucket_label(Timestamp start, query::CountBy by, const date::time_zone* zone) {
    std::string shown = format_in_zone(start, zone); // "2026-04-14 09:00:00 +02:00"
    if (by == query::CountBy::hour) return shown.substr(0, 16) + shown.substr(19);
    return shown.substr(0, 10);
}

int write_groups(const PreparedQuery& prepared, const std::vector<query::Group>& groups,
                 EventFormat format, CliContext& context) {
    query::CountBy by = *prepared.query.count_by;
    bool by_time =
        by == query::CountBy::day || by == query::CountBy::hour || by == query::CountBy::week;
    const auto* zone = prepared.clock.zone;
    std::int64_t total = 0;
    for (const auto& group : groups)
        total += group.count;
    auto label = [&](const query::Group& group) {
        return by_time ? bucket_label(*group.start, by, zone) : group.key.value_or("(none)");
    };
    std::ostream& out = context.out;
    switch (format) {
    case EventFormat::table: {
        out << "query " << printable(prepared.canonical) << '\n' << range_heading(prepared) << '\n';
        std::size_t width = query::count_by_name(by).size();
        for (const auto& group : groups)
            width = std::max(width, display_width(printable(label(group))));
        std::string header = query::count_by_name(by);
        out << header << std::string(width - header.size() + 2, ' ') << "count\n";
        for (const auto& group : groups) {
            std::string shown = printable(label(group));
            out << shown << std::string(width - display_width(shown) + 2, ' ') << group.count
                << '\n';
        }
        out << total << (total == 1 ? " event" : " events") << " in " << groups.size()
            << (groups.size() == 1 ? " group" : " groups") << '\n';
        break;
    }
    case EventFormat::csv: {
        std::string text = query::count_by_name(by) + (by_time ? ",from,count\r\n" : ",count\r\n");
        for (const auto& group : groups) {
            append_csv_field(text, label(group));
            if (by_time) text += "," + format_utc(*group.start);
            text += "," + std::to_string(group.count) + "\r\n";
        }
        out << text;
        break;
    }
    case EventFormat::json:
    case EventFormat::jsonl: {
        auto group_json = [&](const query::Group& group) {
            ordered_json item;
            item["key"] = by_time || group.key ? ordered_json(label(group)) : ordered_json();
            if (by_time) item["from"] = format_utc(*group.start);
            item["count"] = group.count;
            return item;
        };
        if (format == EventFormat::jsonl) {
            for (const auto& group : groups)
                out << group_json(group).dump(-1, ' ', false,
                                              ordered_json::error_handler_t::replace)
                    << '\n';
            break;
        }
        ordered_json doc;
        for (auto& [key, value] : json_head(prepared))
            doc[key] = value;
        doc["count"] = total;
        doc["count_by"] = query::count_by_name(by);
        doc["groups"] = ordered_json::array();
        for (const auto& group : groups)
            doc["groups"].push_back(group_json(group));
        out << doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) << '\n';
        break;
    }
    }
    return exit_ok;
}

int explain(query::Executor& executor, const PreparedQuery& prepared,
            std::optional<std::int64_t> limit, CliContext& context) {
    auto explanation = executor.explain(prepared, limit);
    if (!explanation) return report_error(context, explanation.error(), exit_internal);
    std::ostream& out = context.out;
    out << "query " << printable(prepared.canonical) << '\n' << range_heading(prepared) << "\n\n";
    out << "sql\n  " << explanation->statement.sql << "\n\nparameters\n";
    if (explanation->statement.params.empty()) out << "  (none)\n";
    for (std::size_t i = 0; i < explanation->statement.params.size(); ++i)
        out << "  ?" << i + 1 << " = "
            << printable(query::param_text(explanation->statement.params[i])) << '\n';
    out << "\nplan\n";
    for (const auto& line : explanation->plan)
        out << "  " << line << '\n';
    return exit_ok;
}

} // namespace

int report_query_error(CliContext& context, std::string_view text, const query::QueryError& error) {
    std::size_t begin = std::min(error.span.begin, text.size());
    std::size_t end = std::clamp(error.span.end, begin, text.size());
    if (context.err_is_terminal) context.err << "\r\x1b[K";
    context.err << "asof: query: column " << begin + 1 << ": " << printable(error.message) << '\n';
    std::string shown = printable(text);
    std::size_t pad = display_width(printable(text.substr(0, begin)));
    std::size_t marks =
        std::max<std::size_t>(1, display_width(printable(text.substr(begin, end - begin))));
    context.err << "  " << shown << '\n'
                << "  " << std::string(pad, ' ') << std::string(marks, '^') << '\n';
    return exit_bad_query;
}

int cmd_query(const QueryArgs& args, CliContext& context) {
    int code = exit_ok;
    auto pinned = pinned_clock(args.now, args.tz, context, code);
    if (!pinned) return code;
    const query::Clock clock = *pinned;
    const date::time_zone* zone = clock.zone;
    auto prepared = query::prepare_query(args.text, clock);
    if (!prepared) return report_query_error(context, args.text, prepared.error());

    auto path = resolve_case_argument(args.source, context, code);
    if (!path) return code;
    auto format = event_format_from_name(args.format).value_or(EventFormat::table);
    if (prepared->query.mode == query::Query::Mode::as_of) {
        // "TARGET as of T": the state of each target at T, as `asof replay --blame` prints it.
        if (prepared->query.targets.empty() || prepared->query.filter || prepared->query.count_by)
            return report_error(context,
                                {"\"as of\" needs a target and takes no filter or count", "query"},
                                exit_bad_query);
        auto at = replay_instant(*prepared->query.as_of, prepared->clock);
        if (!at) return report_error(context, at.error(), exit_bad_query);
        ReplayArgs replay_args;
        replay_args.common.json = format == EventFormat::json || format == EventFormat::jsonl;
        replay_args.blame = true;
        return replay_targets(*path, prepared->query.targets, *at, replay_args, zone, context);
    }
    if (prepared->query.mode == query::Query::Mode::changes) {
        // "TARGET changes [between A and B]": as `asof changes TARGET RANGE` prints it.
        if (prepared->query.targets.empty() || prepared->query.filter || prepared->query.count_by)
            return report_error(
                context, {"\"changes\" needs a target and takes no filter or count", "query"},
                exit_bad_query);
        TimeTravelArgs changes_args;
        changes_args.json = format == EventFormat::json || format == EventFormat::jsonl;
        return changes_targets(*path, prepared->query.targets, prepared->interval, changes_args,
                               zone, context);
    }
    auto db = open_case(*path);
    if (!db) return report_error(context, db.error(), exit_code_for(db.error(), context));
    if (auto ok = db->exec("PRAGMA query_only = 1"); !ok)
        return report_error(context, ok.error(), exit_internal);
    // The full-text index is built when a search needs it, not for --explain, which shows the
    // plan it would use now: the index when it is current, else the substring scan. The query
    // connection sees the index from its next read on.
    bool text_index = true;
    if (prepared->query.filter && has_text_search(*prepared->query.filter)) {
        auto current = text_index_current(*db);
        if (!current) return report_error(context, current.error(), exit_internal);
        text_index = *current || (!args.explain && build_text_index(*path, context));
    }

    query::Executor executor(*db, text_index);
    auto problem = executor.check_names(*prepared);
    if (!problem)
        return report_error(context, problem.error(), exit_code_for(problem.error(), context));
    if (*problem) return report_query_error(context, args.text, **problem);

    auto limit = query::effective_limit(prepared->query, args.limit);
    if (args.explain) return explain(executor, *prepared, limit, context);

    if (prepared->query.count_by) {
        auto groups = executor.groups(*prepared);
        if (!groups)
            return report_error(context, groups.error(), exit_code_for(groups.error(), context));
        return write_groups(*prepared, *groups, format, context);
    }

    // The total of matches: JSON states it before the events, so it is counted first; the
    // other formats need it only when the limit may have cut the listing.
    std::optional<std::int64_t> total;
    if (format == EventFormat::json) {
        auto counted = executor.count(*prepared);
        if (!counted)
            return report_error(context, counted.error(), exit_code_for(counted.error(), context));
        total = *counted;
    }

    EventWriter writer(context.out, format, zone);
    if (total) {
        std::int64_t listed_count = limit ? std::min(*limit, *total) : *total;
        std::vector<std::string> members;
        for (auto& [key, value] : json_head(*prepared))
            members.push_back("\"" + key + "\":" +
                              value.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
        members.push_back("\"count\":" + std::to_string(listed_count));
        members.push_back("\"total\":" + std::to_string(*total));
        writer.set_json_members(std::move(members));
        writer.set_trailing_count(false);
    }
    writer.set_table_heading({"query " + printable(prepared->canonical), range_heading(*prepared)});
    auto listed =
        executor.each_event(*prepared, limit, [&](const StoredEvent& e) { writer.write(e); });
    if (!listed)
        return report_error(context, listed.error(), exit_code_for(listed.error(), context));
    if (!total) {
        total = *listed;
        if (limit && *listed == *limit) {
            auto counted = executor.count(*prepared);
            if (!counted)
                return report_error(context, counted.error(),
                                    exit_code_for(counted.error(), context));
            total = *counted;
        }
    }
    std::string footer = std::to_string(*total) + (*total == 1 ? " event" : " events");
    if (*listed < *total)
        footer = "showing " + std::to_string(*listed) + " of " + footer + " (limit " +
                 std::to_string(*limit) + ")";
    writer.set_table_footer(footer);
    writer.finish();
    if (format != EventFormat::table && *listed < *total)
        context.err << "asof: note: showing " << *listed << " of " << *total
                    << " matching events (limit " << *limit << ")\n";
    return exit_ok;
}

} // namespace asof
