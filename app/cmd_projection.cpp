// `asof projection CASE [FILE | --clear]` shows or sets the case's projection, and
// `asof snapshot CASE [TARGET] [--every K]` stores replay snapshots ahead of time (or lists them).
#include "app/commands.hpp"
#include "app/replay_session.hpp"
#include "eventlog/json_text.hpp"
#include "replay/snapshots.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>

namespace asof {
namespace {

using ordered_json = nlohmann::ordered_json;

Result<sql::Db> open_writable(const std::string& path) {
    auto db = sql::Db::open(path, sql::Db::Mode::read_write);
    if (!db) return tl::unexpected(db.error());
    if (sqlite3_db_readonly(db->handle(), "main") == 1)
        return fail("the case file cannot be written", path);
    return db;
}

} // namespace

int cmd_projection(const ProjectionArgs& args, CliContext& context) {
    int code = exit_ok;
    if (args.file && args.clear)
        return report_error(context, {"give a projection FILE or --clear, not both", "--clear"},
                            exit_usage);
    auto path = resolve_case_argument(args.source, context, code);
    if (!path) return code;
    if (args.file || args.clear) {
        std::shared_ptr<const replay::Projection> projection;
        if (args.file) {
            auto read = replay::read_projection_file(*args.file);
            if (!read) return report_error(context, read.error(), exit_bad_input);
            projection = *read;
        }
        auto db = open_writable(*path);
        if (!db) return report_error(context, db.error(), exit_bad_input);
        auto now = std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
        auto stored = projection ? replay::store_case_projection(*db, *projection, *args.file, now)
                                 : replay::clear_case_projection(*db);
        if (!stored)
            return report_error(context, stored.error(), exit_code_for(stored.error(), context));
    }
    auto db = open_case(*path);
    if (!db) return report_error(context, db.error(), exit_code_for(db.error(), context));
    auto current = replay::case_projection(*db);
    if (!current)
        return report_error(context, current.error(), exit_code_for(current.error(), context));
    const replay::Projection& projection = *current->projection;
    if (args.json) {
        ordered_json doc;
        doc["name"] = projection.name();
        doc["sha256"] = projection.hash();
        doc["default"] = projection.is_default();
        doc["source"] = current->source ? ordered_json(*current->source) : ordered_json();
        doc["stored_at"] = current->stored_at
                               ? ordered_json(format_utc(Timestamp{Micros{*current->stored_at}}))
                               : ordered_json();
        doc["rules"] = ordered_json::parse(projection.canonical_text());
        context.out << doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) << '\n';
        return exit_ok;
    }
    context.out << "projection " << printable(projection.name()) << "  sha256 " << projection.hash()
                << '\n';
    if (projection.is_default()) {
        context.out << "the default: each event's data is merged into the state as a JSON merge "
                       "patch (RFC 7386)\n";
        return exit_ok;
    }
    context.out << "stored from " << printable(current->source.value_or("-")) << " at "
                << (current->stored_at ? format_utc(Timestamp{Micros{*current->stored_at}})
                                       : std::string("-"))
                << '\n';
    print_indented_json(context.out, nlohmann::json::parse(projection.canonical_text()));
    return exit_ok;
}

int cmd_snapshot(const SnapshotArgs& args, CliContext& context) {
    int code = exit_ok;
    auto path = resolve_case_argument(args.source, context, code);
    if (!path) return code;
    if (args.list) {
        auto db = open_case(*path);
        if (!db) return report_error(context, db.error(), exit_code_for(db.error(), context));
        auto sets = replay::list_snapshot_sets(*db);
        if (!sets) return report_error(context, sets.error(), exit_internal);
        if (sets->empty()) context.out << "no snapshots stored\n";
        for (const auto& set : *sets)
            context.out << printable(set.stream) << "  projection "
                        << set.projection_hash.substr(0, 12) << "  every " << set.every << "  "
                        << set.count << " snapshots  " << set.bytes << " bytes"
                        << (set.current ? "" : "  (stale)") << '\n';
        return exit_ok;
    }
    std::int64_t every = args.every > 0 ? args.every : replay::default_snapshot_every;
    auto session = open_replay_session(*path, args.projection, args.max_state_mib);
    if (!session)
        return report_error(context, session.error(), exit_code_for(session.error(), context));
    auto writable = open_writable(*path);
    if (!writable) return report_error(context, writable.error(), exit_bad_input);

    // The target's stream, or every stream with more events than the spacing.
    std::vector<std::pair<std::int64_t, std::string>> streams;
    if (args.target) {
        auto target = parse_single_target(*args.target);
        if (!target) return report_error(context, target.error(), exit_bad_query);
        auto stream = find_target_stream(session->db, *target);
        if (!stream) return report_stream_error(context, stream.error());
        streams.emplace_back(stream->id, stream->name);
    } else {
        auto stmt = session->db.prepare("SELECT s.id, s.name FROM streams s JOIN (SELECT "
                                        "stream_id, count(*) AS n FROM event_streams GROUP BY "
                                        "stream_id) c ON c.stream_id = s.id WHERE c.n > ?1 "
                                        "ORDER BY s.name");
        if (!stmt) return report_error(context, stmt.error(), exit_internal);
        stmt->bind(1, every);
        auto done = stmt->each([&](const sql::Stmt& row) {
            streams.emplace_back(row.column_int(0), std::string(row.column_text(1)));
        });
        if (!done) return report_error(context, done.error(), exit_internal);
    }
    std::int64_t total = 0;
    for (const auto& [id, name] : streams) {
        if (context.cancel && context.cancel->load()) return exit_interrupted;
        auto replayer = replay::Replayer::open(session->db, id, name,
                                               session->projection.projection, session->limits);
        if (!replayer)
            return report_error(context, replayer.error(),
                                exit_code_for(replayer.error(), context));
        auto built = replayer->build_snapshots(*writable, every);
        if (!built)
            return report_error(context, built.error(), exit_code_for(built.error(), context));
        total += *built;
        context.out << printable(name) << "  " << replayer->order().entries.size() << " events  "
                    << *built << " snapshots\n";
    }
    context.out << total << (total == 1 ? " snapshot" : " snapshots") << " stored for "
                << streams.size() << (streams.size() == 1 ? " stream" : " streams") << " (every "
                << every << " events, projection "
                << printable(projection_heading(*session->projection.projection)) << ")\n";
    return exit_ok;
}

} // namespace asof
