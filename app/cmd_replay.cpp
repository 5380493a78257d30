// `asof replay CASE TARGET [--at T]`: the state of one stream as of an instant, who set each
// field, and warnings where the stream's order is doubtful. Also answers "TARGET as of T"
// queries.
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

void print_state(const std::string& target_text, const replay::ReplayState& state,
                 const replay::Projection& projection, const ReplayArgs& args,
                 const date::time_zone* zone, CliContext& context) {
    std::ostream& out = context.out;
    if (args.common.json) {
        ordered_json doc;
        doc["target"] = target_text;
        doc["stream"] = state.stream;
        doc["at"] = format_utc(state.at);
        doc["version"] = state.version ? ordered_json(*state.version) : ordered_json();
        doc["applied"] = state.applied;
        doc["projection"] = {{"name", projection.name()}, {"sha256", projection.hash()}};
        doc["state"] = ordered_json(state.state); // converted, not dumped and parsed again
        if (args.blame) {
            ordered_json blame = ordered_json::object();
            for (const auto& [pointer, seq] : state.blame)
                blame[pointer] = event_ref_json(state.events.at(seq));
            doc["blame"] = blame;
        }
        doc["warnings"] = state.warnings;
        out << doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) << '\n';
        return;
    }
    out << "stream " << printable(state.stream) << "  as of " << format_in_zone(state.at, zone)
        << "  zone " << (zone ? zone->name() : std::string("UTC")) << '\n'
        << "version " << (state.version ? std::to_string(*state.version) : "-") << "  applied "
        << state.applied << (state.applied == 1 ? " event" : " events") << "  projection "
        << printable(projection_heading(projection)) << '\n';
    print_indented_json(out, state.state);
    if (args.blame && !state.blame.empty()) {
        out << "blame\n";
        std::size_t width = 0, seq_width = 0;
        for (const auto& [pointer, seq] : state.blame) {
            width = std::max(width, display_width(printable(pointer)));
            seq_width = std::max(seq_width, std::to_string(seq).size());
        }
        for (const auto& [pointer, seq] : state.blame) {
            const replay::EventRef& ref = state.events.at(seq);
            std::string shown = printable(pointer), number = std::to_string(ref.seq);
            if (ref.attribute) {
                out << "  " << shown << std::string(width - display_width(shown) + 2, ' ')
                    << printable(replay::describe_ref(ref)) << '\n';
                continue;
            }
            out << "  " << shown << std::string(width - display_width(shown) + 2, ' ') << "seq "
                << number << std::string(seq_width - number.size() + 2, ' ')
                << format_in_zone(ref.ts, zone) << "  " << printable(ref.type.value_or("-")) << "  "
                << printable(ref.actor.value_or("-")) << '\n';
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

Result<Timestamp> read_instant(const std::string& text, const query::Clock& clock,
                               const std::string& where) {
    auto point = query::parse_time_point(text);
    if (!point)
        return fail(point.error().message + " (column " +
                        std::to_string(point.error().span.begin + 1) + ")",
                    where);
    auto instant = replay_instant(*point, clock);
    if (!instant) return fail(instant.error().message, where);
    return *instant;
}

int replay_targets(const std::string& case_path, const std::vector<query::Target>& targets,
                   Timestamp at, const ReplayArgs& args, const date::time_zone* zone,
                   CliContext& context) {
    auto session =
        open_replay_session(case_path, args.common.projection, args.common.max_state_mib);
    if (!session)
        return report_error(context, session.error(), exit_code_for(session.error(), context));
    for (const auto& target : targets) {
        auto stream = open_target_stream(*session, target);
        print_notes(*session, context.err);
        session->notes.clear();
        if (!stream) return report_stream_error(context, stream.error());
        auto state = stream->replayer.state_at(at);
        if (state && args.blame) {
            if (auto named = stream->replayer.name_events(*state); !named)
                return report_error(context, named.error(), exit_internal);
        }
        if (!state)
            return report_error(context, state.error(), exit_code_for(state.error(), context));
        print_state(query::canonical_target(target), *state, stream->replayer.projection(), args,
                    zone, context);
    }
    return exit_ok;
}

int cmd_replay(const ReplayArgs& args, CliContext& context) {
    int code = exit_ok;
    auto pinned = pinned_clock(args.common.now, args.common.tz, context, code);
    if (!pinned) return code;
    const query::Clock clock = *pinned;
    auto target = parse_single_target(args.common.target);
    if (!target) return report_error(context, target.error(), exit_bad_query);
    Timestamp at = clock.now;
    if (args.at) {
        auto instant = read_instant(*args.at, clock, "--at");
        if (!instant) return report_error(context, instant.error(), exit_bad_query);
        at = *instant;
    }
    auto path = resolve_case_argument(args.common.source, context, code);
    if (!path) return code;
    return replay_targets(*path, {*target}, at, args, clock.zone, context);
}

} // namespace asof
