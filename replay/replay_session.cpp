// Opening a case, its projection and its streams' replayers (see replay_session.hpp).
#include "replay/replay_session.hpp"

#include "eventlog/case_reader.hpp"
#include "replay/snapshots.hpp"

namespace asof::replay {

Result<StoredProjection> settle_projection(sql::Db& db,
                                           const std::optional<std::string>& projection_file) {
    if (!projection_file) return case_projection(db);
    auto projection = read_projection_file(*projection_file);
    if (!projection) return tl::unexpected(projection.error());
    StoredProjection settled;
    settled.projection = *projection;
    settled.source = *projection_file;
    return settled;
}

Result<ReplaySession> open_replay_session(const std::string& path,
                                          const std::optional<std::string>& projection_file,
                                          std::optional<std::int64_t> max_state_mib) {
    auto db = open_case(path);
    if (!db) return tl::unexpected(db.error());
    ReplaySession session{path, std::move(*db), {}, {}, {}};
    auto projection = settle_projection(session.db, projection_file);
    if (!projection) return tl::unexpected(projection.error());
    session.projection = std::move(*projection);
    if (max_state_mib) {
        if (*max_state_mib < 1) return fail("must be at least 1", "--max-state-mib");
        session.limits.max_state_bytes = static_cast<std::size_t>(*max_state_mib) << 20;
    }
    return session;
}

Result<Replayer> open_stream_replayer(sql::Db& db, const std::string& case_path,
                                      std::int64_t stream_id, const std::string& name,
                                      std::shared_ptr<const Projection> projection,
                                      ReplayLimits limits, std::vector<std::string>& notes) {
    auto replayer = Replayer::open(db, stream_id, name, std::move(projection), limits);
    if (!replayer) return tl::unexpected(replayer.error());
    if (replayer->snapshot_count() == 0 &&
        static_cast<std::int64_t>(replayer->order().entries.size()) > default_snapshot_every) {
        // Worth storing snapshots; a case that cannot be written is replayed from the start.
        auto writable = sql::Db::open(case_path, sql::Db::Mode::read_write);
        auto built = writable ? replayer->build_snapshots(*writable, default_snapshot_every)
                              : Result<std::int64_t>(tl::unexpected(writable.error()));
        if (!built)
            notes.push_back("cannot store snapshots of " + name + " (" + built.error().message +
                            "); it is replayed from its first event each time");
    }
    return replayer;
}

} // namespace asof::replay
