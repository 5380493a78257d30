// Opening a case, its projection and a target's replayer for time travel (see
// replay_session.hpp).
#include "app/replay_session.hpp"

#include "app/commands.hpp"

#include "eventlog/case_reader.hpp"
#include "eventlog/json_text.hpp"
#include "query/canonical.hpp"
#include "query/executor.hpp"
#include "query/parser.hpp"

#include <ostream>

namespace asof {
Result<query::StreamRef> find_target_stream(sql::Db& db, const query::Target& target) {
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

Result<OpenedStream> open_target_stream(ReplaySession& session, const query::Target& target) {
    auto stream = find_target_stream(session.db, target);
    if (!stream) return tl::unexpected(stream.error());
    auto replayer =
        replay::open_stream_replayer(session.db, session.path, stream->id, stream->name,
                                     session.projection.projection, session.limits, session.notes);
    if (!replayer) return tl::unexpected(replayer.error());
    return OpenedStream{stream->name, std::move(*replayer)};
}

std::string projection_heading(const replay::Projection& projection) {
    return projection.name() + " (sha256 " + projection.hash().substr(0, 12) + ")";
}

} // namespace asof

namespace asof {

Result<query::Target> parse_single_target(const std::string& text) {
    auto parsed = query::parse_query(text);
    if (!parsed) return fail(parsed.error().message, "target");
    if (parsed->targets.size() != 1 || parsed->time || parsed->filter || parsed->count_by ||
        parsed->mode != query::Query::Mode::list)
        return fail("expected one target (discrepancy #4721, stream:NAME or a stream name) and "
                    "nothing else",
                    "target");
    return parsed->targets.front();
}

nlohmann::ordered_json event_ref_json(const replay::EventRef& ref) {
    using nlohmann::ordered_json;
    ordered_json out;
    out["seq"] = ref.seq;
    out["id"] = ref.id ? ordered_json(*ref.id) : ordered_json();
    out["ts"] = format_utc(ref.ts);
    out["type"] = ref.type ? ordered_json(*ref.type) : ordered_json();
    out["actor"] = ref.actor ? ordered_json(*ref.actor) : ordered_json();
    out["version"] = ref.version ? ordered_json(*ref.version) : ordered_json();
    if (ref.attribute) { // a stream attribute value (seq = -its id), not an event
        out["attribute"] = *ref.attribute;
        out["initial"] = ref.initial;
        if (ref.initial) out["ts"] = nullptr;
    }
    return out;
}

int report_stream_error(CliContext& context, const Error& error) {
    return report_error(context, error,
                        error.where == "target" ? exit_bad_query : exit_code_for(error, context));
}

void print_indented_json(std::ostream& out, const nlohmann::json& value) {
    std::string pretty = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    for (std::size_t start = 0; start < pretty.size();) {
        std::size_t end = std::min(pretty.find('\n', start), pretty.size());
        out << printable(std::string_view(pretty).substr(start, end - start)) << '\n';
        start = end + 1;
    }
}

void print_notes(const ReplaySession& session, std::ostream& err) {
    for (const auto& note : session.notes)
        err << "asof: note: " << note << '\n';
}

} // namespace asof
