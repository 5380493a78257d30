// `asof replay CASE TARGET [--at T]`: the state of one stream as of an instant, who set each
// field, and warnings where the stream's order is doubtful. Also answers "TARGET as of T"
// queries.
#include "app/commands.hpp"
#include "eventlog/case_reader.hpp"
#include "eventlog/json_text.hpp"
#include "query/canonical.hpp"
#include "query/executor.hpp"
#include "query/parser.hpp"
#include "replay/replay.hpp"

#include <date/tz.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace asof {
namespace {

using ordered_json = nlohmann::ordered_json;

std::string dump(const nlohmann::json& value, int indent = -1) {
    return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The one stream `target` names, or an error that lists the candidates or the nearest names.
Result<query::StreamRef> find_stream(sql::Db& db, const query::Target& target) {
    auto found = query::streams_of(db, target, 6);
    if (!found) return tl::unexpected(found.error());
    if (found->size() == 1) return found->front();
    if (found->empty()) {
        auto message = query::no_stream_message(db, target);
        if (!message) return tl::unexpected(message.error());
        return fail(*message, "target");
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < found->size() && i < 5; ++i)
        names.push_back((*found)[i].name);
    return fail(query::canonical_target(target) + " matches several streams (" +
                    quoted_names(names) + (found->size() > 5 ? " ..." : "") +
                    "); name one with stream:NAME",
                "target");
}

ordered_json event_ref_json(const replay::EventRef& ref) {
    ordered_json out;
    out["seq"] = ref.seq;
    out["id"] = ref.id ? ordered_json(*ref.id) : ordered_json();
    out["ts"] = format_utc(ref.ts);
    out["type"] = ref.type ? ordered_json(*ref.type) : ordered_json();
    out["actor"] = ref.actor ? ordered_json(*ref.actor) : ordered_json();
    return out;
}

void print_state(const std::string& target_text, const replay::ReplayState& state,
                 const ReplayArgs& args, const date::time_zone* zone, CliContext& context) {
    std::ostream& out = context.out;
    if (args.json) {
        ordered_json doc;
        doc["target"] = target_text;
        doc["stream"] = state.stream;
        doc["at"] = format_utc(state.at);
        doc["version"] = state.version ? ordered_json(*state.version) : ordered_json();
        doc["applied"] = state.applied;
        doc["state"] = ordered_json::parse(dump(state.state));
        if (args.blame) {
            ordered_json blame = ordered_json::object();
            for (const auto& [pointer, ref] : state.blame)
                blame[pointer] = event_ref_json(ref);
            doc["blame"] = blame;
        }
        doc["warnings"] = state.warnings;
        out << doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) << '\n';
        return;
    }
    out << "stream " << printable(state.stream) << "  as of " << format_in_zone(state.at, zone)
        << "  zone " << (zone ? zone->name() : std::string("UTC")) << '\n'
        << "version " << (state.version ? std::to_string(*state.version) : "-") << "  applied "
        << state.applied << (state.applied == 1 ? " event" : " events") << '\n';
    std::string pretty = dump(state.state, 2);
    for (std::size_t start = 0; start < pretty.size();) {
        std::size_t end = std::min(pretty.find('\n', start), pretty.size());
        out << printable(std::string_view(pretty).substr(start, end - start)) << '\n';
        start = end + 1;
    }
    if (args.blame && !state.blame.empty()) {
        out << "blame\n";
        std::size_t width = 0;
        for (const auto& [pointer, ref] : state.blame)
            width = std::max(width, display_width(printable(pointer)));
        for (const auto& [pointer, ref] : state.blame) {
            std::string shown = printable(pointer);
            out << "  " << shown << std::string(width - display_width(shown) + 2, ' ') << "seq "
                << ref.seq << "  " << format_in_zone(ref.ts, zone) << "  "
                << printable(ref.type.value_or("-")) << "  " << printable(ref.actor.value_or("-"))
                << '\n';
        }
    }
    for (const auto& warning : state.warnings)
        out << "warning: " << printable(warning) << '\n';
}

} // namespace

Result<Timestamp> replay_instant(const query::TimePoint& point, const query::Clock& clock) {
    auto span = query::resolve_point(point, clock);
    if (!span) return fail(span.error().message, "--at");
    // A day or longer means the state at its end; an instant or time of day, at that moment.
    return span->calendar ? span->end - Micros{1} : span->start;
}

int replay_targets(const std::string& case_path, const std::vector<query::Target>& targets,
                   Timestamp at, const ReplayArgs& args, const date::time_zone* zone,
                   CliContext& context) {
    auto db = open_case(case_path);
    if (!db) return report_error(context, db.error(), exit_code_for(db.error(), context));
    for (const auto& target : targets) {
        auto stream = find_stream(*db, target);
        if (!stream) return report_error(context, stream.error(), exit_bad_query);
        auto state = replay::replay_stream(*db, stream->id, stream->name, at);
        if (!state)
            return report_error(context, state.error(), exit_code_for(state.error(), context));
        print_state(query::canonical_target(target), *state, args, zone, context);
    }
    return exit_ok;
}

int cmd_replay(const ReplayArgs& args, CliContext& context) {
    int code = exit_ok;
    auto pinned = pinned_clock(args.now, args.tz, context, code);
    if (!pinned) return code;
    const query::Clock clock = *pinned;
    const date::time_zone* zone = clock.zone;
    auto parsed = query::parse_query(args.target);
    if (!parsed) return report_error(context, {parsed.error().message, "target"}, exit_bad_query);
    if (parsed->targets.size() != 1 || parsed->time || parsed->filter || parsed->count_by ||
        parsed->mode != query::Query::Mode::list)
        return report_error(context,
                            {"expected one target (discrepancy #4721, stream:NAME or a stream "
                             "name) and nothing else",
                             "target"},
                            exit_bad_query);
    Timestamp at = clock.now;
    if (args.at) {
        auto point = query::parse_time_point(*args.at);
        if (!point)
            return report_error(context,
                                {point.error().message + " (column " +
                                     std::to_string(point.error().span.begin + 1) + ")",
                                 "--at"},
                                exit_bad_query);
        auto instant = replay_instant(*point, clock);
        if (!instant) return report_error(context, instant.error(), exit_bad_query);
        at = *instant;
    }
    auto path = resolve_case_argument(args.source, context, code);
    if (!path) return code;
    return replay_targets(*path, parsed->targets, at, args, zone, context);
}

} // namespace asof
