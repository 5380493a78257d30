// `asof diff CASE TARGET T1 T2` (what differs between two instants and which events did it) and
// `asof changes CASE TARGET [RANGE]` (each event's changes, in fold order). Also answers
// "TARGET changes between A and B" queries.
#include "app/commands.hpp"
#include "app/replay_session.hpp"
#include "eventlog/json_text.hpp"
#include "query/canonical.hpp"
#include "query/parser.hpp"

#include <date/tz.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace asof {
namespace {

using ordered_json = nlohmann::ordered_json;

std::string zone_name(const date::time_zone* zone) {
    return zone ? zone->name() : std::string("UTC");
}

ordered_json change_json(const replay::Change& change) {
    ordered_json out;
    out["path"] = change.pointer;
    out["kind"] = change.kind();
    if (change.before) out["old"] = ordered_json(*change.before);
    if (change.after) out["new"] = ordered_json(*change.after);
    return out;
}

// "changed  /amount  1840 -> 2052.4", padded to `width` for the pointer.
std::string change_line(const replay::Change& change, std::size_t width) {
    std::string pointer = printable(change.pointer);
    std::string kind = change.kind();
    std::string line =
        kind + std::string(9 - kind.size(), ' ') + pointer +
        std::string(width > display_width(pointer) ? width - display_width(pointer) : 0, ' ') +
        "  ";
    if (change.before && change.after)
        line += printable(compact_json(*change.before)) + " -> " +
                printable(compact_json(*change.after));
    else
        line += printable(compact_json(change.before ? *change.before : *change.after));
    return line;
}

std::size_t pointer_width(const std::vector<replay::Change>& changes) {
    std::size_t width = 0;
    for (const auto& change : changes)
        width = std::max(width, display_width(printable(change.pointer)));
    return width;
}

std::string event_line(const replay::EventRef& ref, const date::time_zone* zone) {
    if (ref.attribute) // a stream attribute value, not an event
        return printable((ref.initial ? std::string("(initial)") : format_in_zone(ref.ts, zone)) +
                         "  " + replay::describe_ref(ref));
    std::string line =
        format_in_zone(ref.ts, zone) + "  " + replay::describe_event(ref.seq, ref.id);
    if (ref.version) line += "  version " + std::to_string(*ref.version);
    return printable(line + "  " + ref.type.value_or("-") + "  " + ref.actor.value_or("-"));
}

std::string interval_text(const query::Interval& interval, const date::time_zone* zone) {
    if (!interval.from && !interval.to) return "(all time)";
    if (!interval.to) return "since " + format_in_zone(*interval.from, zone);
    if (!interval.from) return "before " + format_in_zone(*interval.to, zone);
    return "[" + format_in_zone(*interval.from, zone) + ", " + format_in_zone(*interval.to, zone) +
           ")";
}

void print_changes(const std::string& target_text, const replay::ReplayState& state,
                   const query::Interval& interval, const replay::Projection& projection,
                   const TimeTravelArgs& args, const date::time_zone* zone, CliContext& context) {
    std::ostream& out = context.out;
    if (args.json) {
        ordered_json doc;
        doc["target"] = target_text;
        doc["stream"] = state.stream;
        doc["from"] = interval.from ? ordered_json(format_utc(*interval.from)) : ordered_json();
        doc["to"] = interval.to ? ordered_json(format_utc(*interval.to)) : ordered_json();
        doc["tz"] = zone_name(zone);
        doc["projection"] = {{"name", projection.name()}, {"sha256", projection.hash()}};
        ordered_json events = ordered_json::array();
        for (const auto& event : state.timeline) {
            ordered_json item = event_ref_json(state.events.at(event.seq));
            item["changes"] = ordered_json::array();
            for (const auto& change : event.changes)
                item["changes"].push_back(change_json(change));
            events.push_back(std::move(item));
        }
        doc["events"] = std::move(events);
        doc["warnings"] = state.warnings;
        out << doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) << '\n';
        return;
    }
    out << "changes of " << printable(state.stream) << "  " << interval_text(interval, zone)
        << "  zone " << zone_name(zone) << '\n'
        << "projection " << printable(projection_heading(projection)) << "\n\n";
    std::size_t count = 0;
    for (const auto& event : state.timeline) {
        out << event_line(state.events.at(event.seq), zone) << '\n';
        if (event.changes.empty()) out << "  (no change)\n";
        std::size_t width = pointer_width(event.changes);
        for (const auto& change : event.changes)
            out << "  " << change_line(change, width) << '\n';
        count += event.changes.size();
    }
    out << state.timeline.size() << (state.timeline.size() == 1 ? " event, " : " events, ") << count
        << (count == 1 ? " change" : " changes") << '\n';
    for (const auto& warning : state.warnings)
        out << "warning: " << printable(warning) << '\n';
}

void print_diff(const std::string& target_text, const replay::StateDiff& diff,
                const replay::Projection& projection, const TimeTravelArgs& args,
                const date::time_zone* zone, CliContext& context) {
    std::ostream& out = context.out;
    auto side_json = [](const replay::ReplayState& side) {
        ordered_json item;
        item["at"] = format_utc(side.at);
        item["version"] = side.version ? ordered_json(*side.version) : ordered_json();
        item["applied"] = side.applied;
        return item;
    };
    if (args.json) {
        ordered_json doc;
        doc["target"] = target_text;
        doc["stream"] = diff.to.stream;
        doc["from"] = side_json(diff.from);
        doc["to"] = side_json(diff.to);
        doc["projection"] = {{"name", projection.name()}, {"sha256", projection.hash()}};
        ordered_json changes = ordered_json::array();
        for (const auto& entry : diff.entries) {
            ordered_json item = change_json(entry.change);
            item["causes"] = ordered_json::array();
            for (std::int64_t seq : entry.causes)
                item["causes"].push_back(event_ref_json(diff.to.events.at(seq)));
            changes.push_back(std::move(item));
        }
        doc["changes"] = std::move(changes);
        doc["warnings"] = diff.to.warnings;
        out << doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) << '\n';
        return;
    }
    auto side_text = [&](const replay::ReplayState& side) {
        return format_in_zone(side.at, zone) + " (version " +
               (side.version ? std::to_string(*side.version) : std::string("-")) + ", " +
               std::to_string(side.applied) + (side.applied == 1 ? " event)" : " events)");
    };
    out << "diff of " << printable(diff.to.stream) << "  zone " << zone_name(zone) << '\n'
        << "from " << side_text(diff.from) << '\n'
        << "to   " << side_text(diff.to) << '\n'
        << "projection " << printable(projection_heading(projection)) << "\n\n";
    std::vector<replay::Change> changes;
    for (const auto& entry : diff.entries)
        changes.push_back(entry.change);
    std::size_t width = pointer_width(changes);
    for (const auto& entry : diff.entries) {
        out << change_line(entry.change, width) << '\n';
        for (std::int64_t seq : entry.causes)
            out << "    by " << event_line(diff.to.events.at(seq), zone) << '\n';
        if (entry.causes.empty()) out << "    by no event in between (see the warnings)\n";
    }
    out << diff.entries.size() << (diff.entries.size() == 1 ? " change, " : " changes, ")
        << diff.to.timeline.size()
        << (diff.to.timeline.size() == 1 ? " event in between" : " events in between") << '\n';
    for (const auto& warning : diff.to.warnings)
        out << "warning: " << printable(warning) << '\n';
}

} // namespace

int changes_targets(const std::string& case_path, const std::vector<query::Target>& targets,
                    const query::Interval& interval, const TimeTravelArgs& args,
                    const date::time_zone* zone, CliContext& context) {
    auto session = open_replay_session(case_path, args.projection, args.max_state_mib);
    if (!session)
        return report_error(context, session.error(), exit_code_for(session.error(), context));
    Timestamp from = interval.from.value_or(Timestamp::min());
    Timestamp to = interval.to ? *interval.to - Micros{1} : Timestamp::max();
    for (const auto& target : targets) {
        auto stream = open_target_stream(*session, target);
        print_notes(*session, context.err);
        session->notes.clear();
        if (!stream) return report_stream_error(context, stream.error());
        auto state = stream->replayer.changes(from, to);
        if (state) {
            if (auto named = stream->replayer.name_events(*state); !named)
                return report_error(context, named.error(), exit_internal);
        }
        if (!state)
            return report_error(context, state.error(), exit_code_for(state.error(), context));
        print_changes(query::canonical_target(target), *state, interval,
                      stream->replayer.projection(), args, zone, context);
    }
    return exit_ok;
}

int cmd_changes(const ChangesArgs& args, CliContext& context) {
    int code = exit_ok;
    auto pinned = pinned_clock(args.common.now, args.common.tz, context, code);
    if (!pinned) return code;
    auto target = parse_single_target(args.common.target);
    if (!target) return report_error(context, target.error(), exit_bad_query);
    query::Interval interval;
    if (args.range) {
        // The range is a time clause of the query language ("between tuesday and thursday",
        // "last week", "since 2026-04-14").
        auto parsed = query::parse_query(*args.range);
        if (!parsed)
            return report_error(context,
                                {parsed.error().message + " (column " +
                                     std::to_string(parsed.error().span.begin + 1) + ")",
                                 "range"},
                                exit_bad_query);
        if (!parsed->time || !parsed->targets.empty() || parsed->filter || parsed->count_by ||
            parsed->as_of)
            return report_error(context,
                                {"expected a time range only, such as \"between tuesday and "
                                 "thursday\" or \"last week\"",
                                 "range"},
                                exit_bad_query);
        auto resolved = query::resolve_range(*parsed->time, *pinned);
        if (!resolved)
            return report_error(context, {resolved.error().message, "range"}, exit_bad_query);
        interval = *resolved;
    }
    auto path = resolve_case_argument(args.common.source, context, code);
    if (!path) return code;
    return changes_targets(*path, {*target}, interval, args.common, pinned->zone, context);
}

int cmd_diff(const DiffArgs& args, CliContext& context) {
    int code = exit_ok;
    auto pinned = pinned_clock(args.common.now, args.common.tz, context, code);
    if (!pinned) return code;
    auto target = parse_single_target(args.common.target);
    if (!target) return report_error(context, target.error(), exit_bad_query);
    auto from = read_instant(args.from, *pinned, "T1");
    if (!from) return report_error(context, from.error(), exit_bad_query);
    auto to = read_instant(args.to, *pinned, "T2");
    if (!to) return report_error(context, to.error(), exit_bad_query);
    if (*to < *from)
        return report_error(context,
                            {"T1 (" + format_in_zone(*from, pinned->zone) + ") is after T2 (" +
                                 format_in_zone(*to, pinned->zone) + "); swap them",
                             "T2"},
                            exit_bad_query);
    auto path = resolve_case_argument(args.common.source, context, code);
    if (!path) return code;
    auto session = open_replay_session(*path, args.common.projection, args.common.max_state_mib);
    if (!session)
        return report_error(context, session.error(), exit_code_for(session.error(), context));
    auto stream = open_target_stream(*session, *target);
    print_notes(*session, context.err);
    if (!stream) return report_stream_error(context, stream.error());
    auto diff = stream->replayer.diff(*from, *to);
    if (diff) {
        if (auto named = stream->replayer.name_events(diff->to); !named)
            return report_error(context, named.error(), exit_internal);
    }
    if (!diff) return report_error(context, diff.error(), exit_code_for(diff.error(), context));
    print_diff(query::canonical_target(*target), *diff, stream->replayer.projection(), args.common,
               pinned->zone, context);
    return exit_ok;
}

} // namespace asof
